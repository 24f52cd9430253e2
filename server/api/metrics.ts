// GET /metrics: this instance's metrics in the Prometheus text format, for whoever holds
// METRICS_TOKEN (Authorization: Bearer). Without METRICS_TOKEN the path does not exist.
import { Router } from "express";
import { bearerToken } from "../http/bearer.js";
import { constantTimeEqual } from "../lib/crypto.js";
import type { Services } from "../services.js";
import { sendProblem } from "./problem.js";

const REALM = 'realm="metrics"';

/** The /metrics route, or undefined when METRICS_TOKEN is unset. */
export function metricsRouter(s: Services): Router | undefined {
  const expected = s.env.metricsToken;
  if (!expected) return undefined;
  const router = Router();
  router.get("/metrics", async (req, res, next) => {
    res.set("Cache-Control", "no-store");
    const token = bearerToken(req.get("authorization"));
    if (!token || !constantTimeEqual(token, expected)) {
      res.set("WWW-Authenticate", token ? `Bearer ${REALM}, error="invalid_token"` : `Bearer ${REALM}`);
      return sendProblem(res, { status: 401, title: "Unauthorized", detail: "Send the metrics token as Authorization: Bearer <token>." });
    }
    try {
      const { contentType, body } = await s.metrics.scrape();
      res.type(contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
