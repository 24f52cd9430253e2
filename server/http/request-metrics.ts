// Counts and times every HTTP request under a route pattern from a fixed list, never under the raw
// path: a path may hold a link token, and would make a new series for every token.
import type { Request, RequestHandler } from "express";
import { ADMIN_API_BASE } from "../api/admin/index.js";
import type { Metrics } from "../metrics.js";

/**
 * The route patterns, first match wins (":name" is one path segment, a trailing "/*" anything
 * below). A page's data request (".data") counts under its page. Anything else is "other".
 */
const ROUTES: string[] = [
  "/healthz",
  "/readyz",
  "/metrics",
  "/api/openapi.json",
  "/idp/v1/account/pre-register",
  `${ADMIN_API_BASE}/identityStores/:store/invite/batch`,
  `${ADMIN_API_BASE}/identityStores/:store/invite/:id/resend`,
  `${ADMIN_API_BASE}/identityStores/:store/invite/:id`,
  `${ADMIN_API_BASE}/identityStores/:store/invite`,
  `${ADMIN_API_BASE}/identityStores/:store/accounts/:id`,
  `${ADMIN_API_BASE}/identityStores/:store/accounts`,
  `${ADMIN_API_BASE}/*`,
  "/invite/:token",
  "/invite",
  "/i/:token",
  "/activate",
  "/admin/*",
  "/dev/*",
  "/build/*",
  "/_root.data",
  "/",
];

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
const COMPILED = ROUTES.map((route) => {
  const body = escape(route)
    .replace(/\/\*$/, "(?:/.*)?")
    .replace(/:[a-z]+/g, "[^/]+");
  return { route: route === "/_root.data" ? "/" : route, test: new RegExp(`^${body === "/" ? "" : body}(?:\\.data)?/?$`) };
});

export function routeLabel(req: Pick<Request, "originalUrl">): string {
  const path = req.originalUrl.split("?")[0]!;
  return COMPILED.find(({ test }) => test.test(path))?.route ?? "other";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once("close", () => {
      const labels = { method: METHODS.has(req.method) ? req.method : "other", route: routeLabel(req) };
      metrics.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      metrics.requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };
}
