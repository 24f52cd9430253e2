// The admin API (docs/admin-api.md), mounted at /admin/api/v1: every request needs an admin bearer
// token; each route then asks for the scope it needs (read:account or write:account).
import { Router } from "express";
import type { Services } from "../../services.js";
import { sendProblem } from "../problem.js";
import { accountsRouter } from "./accounts.js";
import { adminAuth } from "./auth.js";
import { bulkInvitationsRouter } from "./bulk.js";
import { invitationsRouter } from "./invitations.js";

export const ADMIN_API_BASE = "/admin/api/v1";

export function adminApiRouter(s: Services): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  router.use(adminAuth(s.tenant));
  router.use("/identityStores/:store", (req, res, next) => {
    if (!s.tenant.store(String(req.params.store)))
      return sendProblem(res, { status: 404, title: "Not Found", detail: "No such identity store." });
    next();
  });
  // Before the invitations router, whose /:id would take "batch" for an invitation id.
  router.use("/identityStores/:store/invite/batch", bulkInvitationsRouter(s));
  router.use("/identityStores/:store/invite", invitationsRouter(s));
  router.use("/identityStores/:store/accounts", accountsRouter(s));
  return router;
}
