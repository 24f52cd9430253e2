// /admin/api/v1/identityStores/{store}/accounts (docs/admin-api.md): read-only, so an administrator can
// see what an accepted invitation produced.
import { Router } from "express";
import type { Services } from "../../services.js";
import { getAccount, listAccounts, type Account } from "../../store/accounts.js";
import { parseFields } from "../../lib/field-errors.js";
import { invalidParameters, methodNotAllowed, sendProblem } from "../problem.js";
import { requireScope } from "./auth.js";
import { notFound } from "./invitations.js";
import { listAccountsQuerySchema, type AccountOut } from "./schemas.js";

export function accountOut(a: Account): AccountOut {
  return {
    id: a.id,
    store: a.store,
    email: a.email,
    phone: a.phone,
    status: a.status,
    profile: a.profile,
    organization: a.organization,
    roles: a.roles.map((r) => ({ id: r.id, organization: r.organization })),
    memberships: a.memberships.map((m) => ({
      organization: m.organization,
      roles: m.roles.map((id) => ({ id, organization: m.organization })),
      grantedBy: m.grantedBy && { invitationId: m.grantedBy.invitationId, kind: m.grantedBy.kind },
      grantedAt: m.grantedAt,
    })),
    groups: a.groups.map((id) => ({ id })),
    clients: a.clients.map((clientId) => ({ clientId })),
    locale: a.locale,
    createdAt: a.createdAt,
  };
}

export function accountsRouter(s: Services): Router {
  const router = Router({ mergeParams: true });
  router.get("/", requireScope("read:account"), async (req, res, next) => {
    try {
      const parsed = parseFields(listAccountsQuerySchema, req.query);
      if (!parsed.success) return sendProblem(res, invalidParameters(parsed.errors));
      const page = await listAccounts(s.db.kysely, String(req.params.store), parsed.data);
      res.json({ ...page, items: page.items.map(accountOut) });
    } catch (error) {
      next(error);
    }
  });
  router.get("/:id", requireScope("read:account"), async (req, res, next) => {
    try {
      const account = await getAccount(s.db.kysely, String(req.params.store), String(req.params.id));
      if (!account) return sendProblem(res, notFound("account"));
      res.json(accountOut(account));
    } catch (error) {
      next(error);
    }
  });
  router.all(["/", "/:id"], methodNotAllowed("GET", "Accounts are read-only here: use GET."));
  return router;
}
