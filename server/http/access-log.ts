// The access log: one line per request with its id, method, path, status and time.
// A path is logged without its query (a search may hold an email address, a login_hint a token)
// and with a link token replaced by ":token"; every response says its request id (X-Request-Id),
// so a person reporting a problem can quote it.
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../lib/logger.js";

/** A request's path as logs may show it: no query, no link token. */
export function loggedPath(url: string): string {
  // As the router will see it (dot segments resolved, escapes decoded, any case), so that no
  // spelling of a link's address carries its token into the log.
  let path = url.split("?")[0]!;
  try {
    path = decodeURIComponent(new URL(path, "http://x").pathname);
  } catch {
    // An address that does not parse is refused before it is served; log it as it came.
  }
  return path.replace(/^\/(invite|i)\/[^/]+/i, "/$1/:token");
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One line per request when its response is finished (or its connection closed first): written
 * straight through the service's pino logger with the fields pino-http wrote (req.id, req.method,
 * req.path, res.status, responseTime, event "http.request"), at error level for a 5xx. pino-http
 * made two child loggers and serialized the request for every request, logged or not; this does
 * the work once, when the line is written.
 */
export function accessLog(log: Logger): RequestHandler {
  const pino = log.pino;
  return (req, res, next) => {
    const started = Date.now();
    // A request id from the proxy in front is kept when it looks like one; otherwise a new one.
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    // The address as it came: routers below rewrite req.url while they handle it.
    const url = req.url;
    // Static files are many and say nothing about the service.
    if (url.startsWith("/build/")) return next();
    const written = () => {
      res.removeListener("finish", written);
      res.removeListener("close", written);
      const status = res.statusCode;
      const fields = { req: { id, method: req.method, path: loggedPath(url) }, res: { status }, responseTime: Date.now() - started };
      if (status >= 500) pino.error({ ...fields, err: new Error(`failed with status code ${status}`) }, "http.request");
      else pino.info(fields, "http.request");
    };
    res.on("finish", written);
    res.on("close", written);
    next();
  };
}
