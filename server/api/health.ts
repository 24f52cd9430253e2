// GET /healthz: 200 while the database answers, 503 otherwise (is the process alive?).
// GET /readyz: 200 when this instance can serve (the database answers and its schema is at least
// at the migration this instance started with), 503 problem+json otherwise (should the load
// balancer send it requests?).
import { Router } from "express";
import type { Services } from "../services.js";
import { latestMigration } from "../store/schema-state.js";
import { sendProblem } from "./problem.js";

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), PROBE_TIMEOUT_MS).unref())]);
}

export function healthRouter(s: Services): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    try {
      await withTimeout(s.db.ping());
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
  router.get("/readyz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    let latest: string | undefined;
    try {
      latest = await withTimeout(latestMigration(s.db.kysely));
    } catch {
      return sendProblem(res, { status: 503, title: "Not Ready", detail: "The database does not answer." });
    }
    // Names sort in order; a newer schema (another instance of a later version migrated) still serves this one.
    if (s.schemaVersion && !(latest && latest >= s.schemaVersion))
      return sendProblem(res, { status: 503, title: "Not Ready", detail: "The database is missing migrations this version needs." });
    res.json({ status: "ready" });
  });
  return router;
}
