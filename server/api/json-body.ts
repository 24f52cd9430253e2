// Reads a JSON request body with the checks every API shares: content type (415), size (413),
// syntax (400). Errors are problem+json and nothing is changed.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { sendProblem } from "./problem.js";

export const BODY_LIMIT_BYTES = 16 * 1024;

export function jsonBody(limit = BODY_LIMIT_BYTES): RequestHandler[] {
  return [
    (req, res, next) => {
      // An empty body has no media type to check: it is simply not valid JSON (400, below).
      if (req.is("application/json") === false) {
        sendProblem(res, { status: 415, title: "Unsupported Media Type", detail: "Send the body as application/json." });
        return;
      }
      next();
    },
    express.raw({ type: () => true, limit }),
    (req, res, next) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
      try {
        req.body = JSON.parse(raw);
      } catch {
        sendProblem(res, { status: 400, title: "Bad Request", detail: "The body is not valid JSON." });
        return;
      }
      next();
    },
  ];
}

/** Body-parser's own errors (too large, bad encoding, aborted) as problem+json. */
export function bodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number } | null;
  if (e?.type === "entity.too.large") {
    sendProblem(res, { status: 413, title: "Payload Too Large", detail: `The body must be at most ${BODY_LIMIT_BYTES} bytes.` });
    return;
  }
  if (e?.type && typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    sendProblem(res, { status: e.status, title: "Bad Request", detail: "The body could not be read." });
    return;
  }
  next(err);
}
