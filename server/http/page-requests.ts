// The edge in front of the Remix pages. Everything a client controls about a page request is
// checked here, once, before any route runs, so no route can be reached with input that makes it
// fail: a path that does not decode, a NUL anywhere in the URL, a cross-origin post, a body that
// is not a form, a form larger than its cap (refused while it streams, never read to the end), a
// multipart body that does not parse. What passes is handed to Remix as a Request whose body is
// already in memory and known to parse.
import {
  createRequestHandler as createRemixHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response } from "express";
import { sendProblem } from "../api/problem.js";
import { leanPages } from "./lean-pages.js";
import { isSameOriginPost } from "./same-origin.js";

/** A page form: CSRF token, a profile, a password. Nothing legitimate comes near it. */
export const FORM_MAX_BYTES = 32 * 1024;

/**
 * A route with a cap of its own (the console's CSV upload). With `drainUpToBytes`, a body over the
 * cap is read on (and thrown away, never kept) up to that many bytes, so a person who picked too
 * big a file gets the route's own page saying so (`bodyTooLarge` in the load context) instead of
 * a reset connection; past it the connection is closed like any other.
 */
export interface BodyCap {
  test: RegExp;
  maxBytes: number;
  drainUpToBytes?: number;
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function mediaType(req: ExpressRequest): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The URL decodes and holds no NUL: checked before any route or database sees a parameter. */
export function urlIsUsable(originalUrl: string, host = "localhost"): boolean {
  try {
    // The whole address parses (a request target such as "//[" or a Host such as "a b" does not)...
    new URL(`http://${host}${originalUrl.startsWith("/") ? "" : "/"}${originalUrl}`);
    if (!originalUrl.startsWith("/")) return false;
    // ...and every escape decodes, to no NUL.
    const decoded = decodeURIComponent(originalUrl.replace(/\+/g, " "));
    return !decoded.includes("\u0000");
  } catch {
    return false;
  }
}

/** 400 for an address that does not parse or decode, or carries a NUL; in front of the APIs and the pages. */
export const rejectUnusableUrls: RequestHandler = (req, res, next) => {
  if (urlIsUsable(req.originalUrl, req.get("host") ?? "localhost")) return next();
  sendProblem(res, { status: 400, title: "Bad Request", detail: "The address is not a valid URL." });
};

/**
 * Answers 413 and closes the connection: the rest of the body is never read. Node would otherwise
 * read (and throw away) whatever the client keeps sending.
 */
function refuseTooLarge(req: ExpressRequest, res: Response, maxBytes: number): void {
  req.pause();
  res.set("Connection", "close");
  res.on("finish", () => req.socket.destroy());
  sendProblem(res, { status: 413, title: "Payload Too Large", detail: `The form must be at most ${maxBytes} bytes.` });
}

/**
 * `?_data=` is the data protocol of Remix before single fetch; these pages speak only the new one
 * (".data" addresses), and Remix answers the old one with an error of its own.
 */
export const rejectLegacyDataRequests: RequestHandler = (req, res, next) => {
  if (req.query._data === undefined) return next();
  sendProblem(res, { status: 400, title: "Bad Request", detail: "The _data parameter is not supported." });
};

/** Reads the body of a page post into memory, up to the cap for its path. */
export function readPageBody(caps: BodyCap[]): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    if (req.method !== "POST") {
      res.set("Allow", "GET, HEAD, POST");
      return sendProblem(res, { status: 405, title: "Method Not Allowed", detail: "Pages take GET, and POST from their own forms." });
    }
    if (!isSameOriginPost(req.headers, req.app.locals.publicUrl as string, `${req.protocol}://${req.get("host")}`))
      return sendProblem(res, { status: 403, title: "Forbidden", detail: "Cross-site form posts are refused." });
    if (!FORM_TYPES.includes(mediaType(req)))
      return sendProblem(res, { status: 415, title: "Unsupported Media Type", detail: "Pages take HTML form posts only." });
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity")
      return sendProblem(res, { status: 415, title: "Unsupported Media Type", detail: "Form posts are not compressed." });

    const cap: Omit<BodyCap, "test"> = caps.find((c) => c.test.test(req.path)) ?? { maxBytes: FORM_MAX_BYTES };
    const { maxBytes } = cap;
    const drainUpTo = cap.drainUpToBytes ?? maxBytes;
    const declared = Number(req.headers["content-length"]);
    if (declared > drainUpTo) return refuseTooLarge(req, res, maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      req.off("data", onData).off("end", onEnd).off("error", finish).off("aborted", onAborted);
      if (error) next(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainUpTo) {
        finish();
        return refuseTooLarge(req, res, maxBytes);
      }
      if (size <= maxBytes) chunks.push(chunk);
    };
    const onAborted = () => finish();
    const onEnd = () => {
      finish();
      if (size > maxBytes) {
        res.locals.bodyTooLarge = true;
        return next();
      }
      const body = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) at += (body.set(chunk, at), chunk.length);
      formParses(req.headers["content-type"]!, body).then(
        (ok) => {
          if (!ok) return sendProblem(res, { status: 400, title: "Bad Request", detail: "The form could not be read." });
          res.locals.pageBody = body;
          next();
        },
        (error: unknown) => next(error),
      );
    };
    req.on("data", onData).on("end", onEnd).on("error", finish).on("aborted", onAborted);
  };
}

/**
 * The body parses as the form its Content-Type says. (Control characters in a value, NUL among
 * them, are the fields' own business: each page says which field holds one, in the invitee's
 * language; see server/lib/validation.ts.)
 */
async function formParses(contentType: string, body: Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    await new Response(body, { headers: { "Content-Type": contentType } }).formData();
    return true;
  } catch {
    return false;
  }
}

/**
 * Remix's request handler for Express, with the body read above. (The adapter of
 * @remix-run/express streams the raw request into Remix, which is what the caps above replace.)
 */
export function pageHandler(
  build: ServerBuild | (() => Promise<ServerBuild>),
  mode: string,
  getLoadContext: (req: ExpressRequest, res: Response) => AppLoadContext,
): RequestHandler {
  const full = createRemixHandler(build, mode);
  // A build that is a function is the dev server's, rebuilt on every change: one handler.
  const lean = typeof build === "function" ? undefined : leanPages(build);
  const leanHandle = lean && createRemixHandler(lean.build, mode);
  return async (req: ExpressRequest, res: Response, next: NextFunction) => {
    try {
      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const body = res.locals.pageBody as Uint8Array<ArrayBuffer> | undefined;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      // "Origin: null" is what our own pages send under Referrer-Policy: no-referrer; the check
      // above has judged the post already, and Remix's own guard would take "null" for a forgery.
      if (headers.get("origin") === "null") headers.delete("origin");
      if (!body) headers.delete("content-length");
      const url = requestUrl(req);
      const handle = leanHandle && lean.claims(url) ? leanHandle : full;
      const request = new Request(url, {
        method: req.method,
        headers,
        signal: controller.signal,
        ...(body ? { body } : {}),
      });
      const response = await handle(request, getLoadContext(req, res));
      // Every page response is private unless the route says otherwise: no proxy or browser cache
      // keeps a page, or the data a page is built from, that names a person or carries a token.
      if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [name, value] of response.headers) if (name !== "set-cookie") res.set(name, value);
      for (const cookie of response.headers.getSetCookie()) res.append("Set-Cookie", cookie);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}

/** The URL the client asked for, built as @remix-run/express builds it (req.hostname honours "trust proxy"). */
function requestUrl(req: ExpressRequest): string {
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const forwarded = portOf(req.get("x-forwarded-host"));
  const direct = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwarded) ? forwarded : Number.isSafeInteger(direct) ? direct : undefined;
  return `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
}
