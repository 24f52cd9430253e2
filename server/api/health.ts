// GET /healthz (docs/operations.md): 200 when the database answers, 503 otherwise.
import { Router } from "express";
import type { Services } from "../services.js";

export function healthRouter(s: Services): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    try {
      await Promise.race([
        s.db.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref()),
      ]);
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
  return router;
}
