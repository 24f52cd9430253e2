// The access log (pino-http): one line per request with its id, method, path, status and time.
// A path is logged without its query (a search may hold an email address, a login_hint a token)
// and with a link token replaced by ":token"; every response says its request id (X-Request-Id),
// so a person reporting a problem can quote it.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { pinoHttp } from "pino-http";
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

export function accessLog(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log.pino,
    // A request id from the proxy in front is kept when it looks like one; otherwise a new one.
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers["x-request-id"];
      const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customSuccessMessage: () => "http.request",
    customErrorMessage: () => "http.request",
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: loggedPath(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    // Static files are many and say nothing about the service.
    autoLogging: { ignore: (req) => (req.url ?? "").startsWith("/build/") },
  }) as unknown as RequestHandler;
}
