// The HTTP application: the APIs, static files and the Remix pages in one Express app.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { ADMIN_API_BASE, adminApiRouter } from "./api/admin/index.js";
import { healthRouter } from "./api/health.js";
import { bodyErrors } from "./api/json-body.js";
import { preRegisterRouter } from "./api/pre-register.js";
import { openApiRouter } from "./api/openapi.js";
import { sendProblem } from "./api/problem.js";
import { RateLimits } from "./api/rate-limit.js";
import type { Services } from "./services.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface PageContext {
  services: Services;
  cspNonce: string;
  /** Origins allowed to frame the page; a route that knows its client sets them (SPEC section 6). */
  frameAncestors: string[];
  rateLimits: RateLimits;
  /** The caller's address (behind a trusted proxy, the forwarded one): the key of per-IP rate limits. */
  clientIp: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends PageContext {}
}

export interface AppOptions {
  /** The Remix server build; omitted, only the APIs are served. */
  build?: ServerBuild | (() => Promise<ServerBuild>);
  mode?: string;
}

export function createApp(s: Services, options: AppOptions = {}): express.Express {
  const app = express();
  const limits = new RateLimits();
  const https = s.env.publicUrl.startsWith("https://");
  app.disable("x-powered-by");
  app.set("trust proxy", s.env.trustProxy);

  app.use((req, res, next) => {
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    if (https) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Behind a TLS proxy in production, plain HTTP is refused rather than served (SPEC section 3).
    if (https && s.env.mode === "production" && req.protocol !== "https" && req.path !== "/healthz") {
      if (req.method === "GET" || req.method === "HEAD") return res.redirect(308, `${s.env.publicUrl}${req.originalUrl}`);
      return sendProblem(res, { status: 403, title: "HTTPS Required", detail: "Use https." });
    }
    next();
  });

  app.use(healthRouter(s));
  app.use("/idp/v1/account", preRegisterRouter(s, limits));
  // The admin API and the OpenAPI document (SPEC section 4).
  app.use(openApiRouter(s));
  app.use(ADMIN_API_BASE, adminApiRouter(s));
  app.use(["/idp", "/admin/api", "/api"], (_req, res) => sendProblem(res, { status: 404, title: "Not Found" }));

  // Fingerprinted client bundles are immutable; other public files may change.
  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));

  if (options.build) {
    const handler = createRequestHandler({
      build: options.build,
      mode: options.mode ?? s.env.mode,
      getLoadContext: (req, res) => ({
        services: s,
        cspNonce: res.locals.cspNonce as string,
        frameAncestors: [],
        rateLimits: limits,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    });
    app.all(
      "*",
      (req, res, next) => {
        res.locals.cspNonce = randomBytes(16).toString("base64");
        // Under Referrer-Policy: no-referrer, browsers send "Origin: null" with a page's own form
        // posts, which Remix's action guard takes for a forged origin (a 500). When the browser also
        // says the post is same-origin (or says nothing), drop the meaningless header: the forms'
        // CSRF tokens and Sec-Fetch-Site checks (app/security.server.ts) do the real work.
        const site = req.get("sec-fetch-site");
        if (req.get("origin") === "null" && (!site || site === "same-origin")) delete req.headers.origin;
        // Pages' forms are posted by the pages themselves: another site's post is refused plainly
        // (Remix's own guard would answer it with a 500).
        if (req.method !== "GET" && req.method !== "HEAD" && (site === "cross-site" || site === "same-site"))
          return sendProblem(res, { status: 403, title: "Forbidden", detail: "Cross-site form posts are refused." });
        next();
      },
      handler,
    );
  }

  app.use(bodyErrors);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    s.log.error("http.unhandled", { method: req.method, path: req.path.replace(/\/(invite|i)\/[^/]+/, "/$1/:token"), error: String(err) });
    if (res.headersSent) return;
    sendProblem(res, { status: 500, title: "Internal Server Error", detail: "Something went wrong; nothing was changed." });
  });
  return app;
}
