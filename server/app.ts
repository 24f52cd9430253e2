// The HTTP application: the APIs, static files and the Remix pages in one Express app.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import helmet from "helmet";
import { ADMIN_API_BASE, adminApiRouter } from "./api/admin/index.js";
import { healthRouter } from "./api/health.js";
import { bodyErrors } from "./api/json-body.js";
import { metricsRouter } from "./api/metrics.js";
import { preRegisterRouter } from "./api/pre-register.js";
import { openApiRouter } from "./api/openapi.js";
import { sendProblem } from "./api/problem.js";
import { CSV_MAX_BYTES, CSV_UPLOAD_MAX_BYTES } from "./invitations/bulk-csv.js";
import { accessLog, loggedPath } from "./http/access-log.js";
import { pageHandler, readPageBody, rejectLegacyDataRequests, rejectUnusableUrls } from "./http/page-requests.js";
import { requestMetrics } from "./http/request-metrics.js";
import type { Services } from "./services.js";
import { ROOT } from "./paths.js";

/**
 * public/'s files (build/ apart, served above), looked for on disk only under the names public/
 * holds at start-up: a page's address such as /invite/<token> goes straight to its route, where
 * serve-static's stat and its "not found" error cost a tenth of the landing page's CPU.
 */
function publicFiles(dir: string): RequestHandler {
  let names: Set<string>;
  try {
    names = new Set(readdirSync(dir).filter((name) => name !== "build"));
  } catch {
    names = new Set();
  }
  const serve = express.static(dir, { maxAge: "1h" });
  return (req, res, next) => (names.has(req.path.split("/", 2)[1]!) ? serve(req, res, next) : next());
}

/** Asked for by load balancers and Prometheus on the instance's own address, over plain HTTP too. */
const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

export interface PageContext {
  services: Services;
  cspNonce: string;
  /** Origins allowed to frame the page; a route that knows its client sets them (docs/journey.md, "Embedding"). */
  frameAncestors: string[];
  /** The caller's address (behind a trusted proxy, the forwarded one): the key of per-IP rate limits. */
  clientIp: string;
  /** The posted body was over its route's cap and was not kept (the CSV upload says so on its page). */
  bodyTooLarge: boolean;
}

declare module "@remix-run/node" {
  // Declaration merging: Remix's context type becomes ours (an empty body is the point).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends PageContext {}
}

export interface AppOptions {
  /** The Remix server build; omitted, only the APIs are served. */
  build?: ServerBuild | (() => Promise<ServerBuild>);
  mode?: string;
}

export function createApp(s: Services, options: AppOptions = {}): express.Express {
  const app = express();
  const https = s.env.publicUrl.startsWith("https://");
  app.disable("x-powered-by");
  app.locals.publicUrl = s.env.publicUrl;
  app.set("trust proxy", s.env.trustProxy);

  app.use(requestMetrics(s.metrics));
  app.use(accessLog(s.log));
  // The baseline headers. The pages' Content-Security-Policy (a nonce per page, the client's
  // frame-ancestors) is the product's own (app/entry.server.tsx), and so is framing: an allowed
  // portal may embed the journey, which X-Frame-Options cannot express.
  app.use(
    helmet({
      contentSecurityPolicy: false,
      xFrameOptions: false,
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );
  app.use((req, res, next) => {
    // Private unless said otherwise: the static files below set their own caching.
    res.set("Cache-Control", "no-store");
    // Behind a TLS proxy in production, plain HTTP is refused rather than served (pages are
    // redirected); the probes answer on each instance's own address.
    if (https && s.env.mode === "production" && req.protocol !== "https" && !PROBES.has(req.path)) {
      if (req.method === "GET" || req.method === "HEAD") return res.redirect(308, `${s.env.publicUrl}${req.originalUrl}`);
      return sendProblem(res, { status: 403, title: "HTTPS Required", detail: "Use https." });
    }
    next();
  });

  app.use(rejectUnusableUrls);
  app.use(healthRouter(s));
  const metrics = metricsRouter(s);
  if (metrics) app.use(metrics);
  app.use("/idp/v1/account", preRegisterRouter(s));
  // The admin API and the OpenAPI document (docs/admin-api.md).
  app.use(openApiRouter(s));
  app.use(ADMIN_API_BASE, adminApiRouter(s));
  app.use(["/idp", "/admin/api", "/api"], (_req, res) => sendProblem(res, { status: 404, title: "Not Found" }));

  // Fingerprinted client bundles are immutable; other public files may change. (The pages below
  // set no-store again on whatever these do not serve.)
  app.use((_req, res, next) => {
    res.removeHeader("Cache-Control");
    next();
  });
  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(publicFiles(path.join(ROOT, "public")));

  if (options.build) {
    const getLoadContext = (req: Request, res: Response) => ({
      services: s,
      cspNonce: res.locals.cspNonce as string,
      frameAncestors: [],
      clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      bodyTooLarge: res.locals.bodyTooLarge === true,
    });
    app.all(
      "*",
      (_req, res, next) => {
        res.locals.cspNonce = randomBytes(16).toString("base64");
        next();
      },
      rejectLegacyDataRequests,
      readPageBody([
        { test: /^\/admin\/stores\/[^/]+\/invitations\/bulk$/, maxBytes: CSV_UPLOAD_MAX_BYTES, drainUpToBytes: 16 * CSV_MAX_BYTES },
        // An upload's results posted back for their CSV: the file's emails and a few reasons per row.
        { test: /^\/admin\/stores\/[^/]+\/invitations\/bulk\/results\.csv$/, maxBytes: 2 * CSV_UPLOAD_MAX_BYTES },
      ]),
      pageHandler(options.build, options.mode ?? s.env.mode, getLoadContext),
    );
  }

  app.use(bodyErrors);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Express's own client errors (a parameter that does not decode, a body it could not read)
    // keep their 4xx: they are the client's, and nothing was changed.
    const status = (err as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      if (!res.headersSent) sendProblem(res, { status, title: "Bad Request", detail: "The request could not be read." });
      return;
    }
    s.log.error("http.unhandled", { method: req.method, path: loggedPath(req.originalUrl), error: String(err) });
    if (res.headersSent) return;
    sendProblem(res, { status: 500, title: "Internal Server Error", detail: "Something went wrong; nothing was changed." });
  });
  return app;
}
