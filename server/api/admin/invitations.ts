// /admin/api/v1/identityStores/{store}/invite (docs/admin-api.md): create, list, get, resend, revoke.
import { Router, type Request, type RequestHandler, type Response } from "express";
import {
  createAdminInvitation,
  resendAdminInvitation,
  revokeAdminInvitation,
  type AdminActor,
  type CreateOutcome,
} from "../../invitations/admin.js";
import type { RuleViolation } from "../../invitations/admin-rules.js";
import { CSV_EXPORT_MAX_ROWS, invitationsCsv } from "../../invitations/export-csv.js";
import { normalizePhone } from "../../lib/validation.js";
import type { Services } from "../../services.js";
import { getInvitation, type Invitation } from "../../store/invitations.js";
import { listInvitations, type InvitationFilter } from "../../store/invitation-list.js";
import { listDeliveries, type Delivery } from "../../store/outbox.js";
import { parseFields } from "../../lib/field-errors.js";
import { jsonBody } from "../json-body.js";
import { invalidParameters, methodNotAllowed, sendProblem, type Problem } from "../problem.js";
import { requireScope, type AdminPrincipal } from "./auth.js";
import { createInvitationBodySchema, toAdminInviteInput } from "../../invitations/invite-body.js";
import { listInvitationsQuerySchema, metadataOut, parseSort, resendBodySchema, type InvitationOut } from "./schemas.js";

export function invitationOut(inv: Invitation, invitationUrl?: string, deliveries?: Delivery[]): InvitationOut {
  return {
    id: inv.id,
    store: inv.store,
    clientId: inv.clientId,
    email: inv.email,
    phone: inv.phone,
    channel: inv.channel,
    language: inv.language,
    organization: inv.organization,
    roles: inv.roles.map((r) => ({ id: r.id, organization: r.organization })),
    groups: inv.groups.map((g) => ({ id: g.id })),
    metadata: metadataOut(inv.metadata),
    sent: inv.sent,
    validUntil: inv.validUntil,
    kind: inv.kind,
    accountId: inv.accountId,
    status: inv.status,
    resendCount: inv.resendCount,
    redirectUri: inv.redirectUri,
    invitedBy: inv.invitedBy && { type: inv.invitedBy.type, name: inv.invitedBy.name },
    remindedAt: inv.remindedAt,
    remindersSent: inv.remindedAt ? 1 : 0,
    ...(deliveries ? { deliveries } : {}),
    ...(invitationUrl ? { invitationUrl } : {}),
  };
}

/** The admin API token a request was made with, as an invitation records it. */
export const tokenActor = (res: Response): AdminActor => ({ type: "token", name: (res.locals.admin as AdminPrincipal).name });

const rulesProblem = (violations: RuleViolation[]): Problem => ({
  status: 400,
  title: "Invalid invitation",
  detail: "The invitation breaks a rule of the identity store's configuration; nothing was changed.",
  errors: violations.map((v) => ({ field: v.field, message: v.message, code: v.code })),
});

export const notFound = (what: string): Problem => ({ status: 404, title: "Not Found", detail: `No such ${what} in this identity store.` });

export function createProblem(outcome: Exclude<CreateOutcome, { kind: "created" }>): Problem {
  switch (outcome.kind) {
    case "unknown-store":
      return { status: 404, title: "Not Found", detail: "No such identity store." };
    case "rules":
      return {
        ...rulesProblem(outcome.violations),
        detail: "The invitation breaks a rule of the identity store's configuration; nothing was created.",
      };
    case "pending-exists":
      return {
        status: 409,
        title: "Conflict",
        detail: "A pending invitation for this email already exists in the identity store. Resend or revoke it instead.",
        errors: [{ field: "email", message: "already has a pending invitation" }],
        conflictingId: outcome.conflictingId,
      };
    case "account-exists":
      return {
        status: 409,
        title: "Conflict",
        detail:
          "An account with this email already exists in the identity store, and the self-service policy of the client's application does not let it be invited again.",
        errors: [{ field: "email", message: "already belongs to an account in this identity store" }],
      };
  }
}

/** The JSON body is optional (resend): an empty request reads as {}. */
function optionalJsonBody(): RequestHandler[] {
  const chain = jsonBody();
  return chain.map((handler) => (req, res, next) => {
    const empty = !req.headers["transfer-encoding"] && (req.headers["content-length"] ?? "0") === "0";
    if (empty) {
      req.body = {};
      return next();
    }
    return handler(req, res, next);
  });
}

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap =
  (h: Handler): RequestHandler =>
  (req, res, next) =>
    h(req, res).catch(next);

export function invitationsRouter(s: Services): Router {
  const router = Router({ mergeParams: true });
  const store = (req: Request) => String(req.params.store);

  router.post(
    "/",
    requireScope("write:account"),
    ...jsonBody(),
    wrap(async (req, res) => {
      const parsed = parseFields(createInvitationBodySchema, req.body);
      if (!parsed.success) return sendProblem(res, invalidParameters(parsed.errors));
      const body = parsed.data;
      const outcome = await createAdminInvitation(s, store(req), toAdminInviteInput(body), tokenActor(res));
      if (outcome.kind !== "created") return sendProblem(res, createProblem(outcome));
      res.location(`${req.baseUrl}/${outcome.invitation.id}`);
      res.status(201).json(invitationOut(outcome.invitation, outcome.invitationUrl));
    }),
  );

  router.get(
    "/",
    requireScope("read:account"),
    wrap(async (req, res) => {
      const parsed = parseFields(listInvitationsQuerySchema, req.query);
      if (!parsed.success) return sendProblem(res, invalidParameters(parsed.errors));
      const q = parsed.data;
      const phone = q.q ? normalizePhone(q.q) : undefined;
      const filter: Omit<InvitationFilter, "page" | "size"> = {
        status: q.status,
        email: q.email,
        organization: q.organization,
        clientId: q.clientId,
        channel: q.channel,
        delivery: q.delivery,
        ...(q.q ? { search: { text: q.q, ...(phone ? { phone } : {}) } } : {}),
        sort: parseSort(q.sort),
      };
      const csv = q.format === "csv" || (q.format === undefined && req.accepts(["application/json", "text/csv"]) === "text/csv");
      if (csv) {
        const all = await listInvitations(s.db.kysely, store(req), { ...filter, page: 0, size: CSV_EXPORT_MAX_ROWS }, s.clock.now());
        res.set("X-Total-Count", String(all.total));
        res.attachment(`invitations-${store(req)}.csv`);
        res.type("text/csv; charset=utf-8").send(invitationsCsv(all.items));
        return;
      }
      const page = await listInvitations(s.db.kysely, store(req), { ...filter, page: q.page, size: q.size }, s.clock.now());
      res.json({ ...page, items: page.items.map((i) => invitationOut(i)) });
    }),
  );
  router.all("/", methodNotAllowed("GET, POST"));

  router.get(
    "/:id",
    requireScope("read:account"),
    wrap(async (req, res) => {
      const invitation = await getInvitation(s.db.kysely, store(req), String(req.params.id), s.clock.now());
      if (!invitation) return sendProblem(res, notFound("invitation"));
      res.json(invitationOut(invitation, undefined, await listDeliveries(s.db.kysely, invitation.id)));
    }),
  );

  router.delete(
    "/:id",
    requireScope("write:account"),
    wrap(async (req, res) => {
      const outcome = await revokeAdminInvitation(s, store(req), String(req.params.id));
      if (outcome.kind === "not-found") return sendProblem(res, notFound("invitation"));
      if (outcome.kind === "already-accepted")
        return sendProblem(res, {
          status: 409,
          title: "Conflict",
          detail: "The invitation was accepted; it is kept as the record of how the account was made.",
        });
      res.status(204).end();
    }),
  );
  router.all("/:id", methodNotAllowed("GET, DELETE"));

  router.post(
    "/:id/resend",
    requireScope("write:account"),
    ...optionalJsonBody(),
    wrap(async (req, res) => {
      const parsed = parseFields(resendBodySchema, req.body);
      if (!parsed.success) return sendProblem(res, invalidParameters(parsed.errors));
      const outcome = await resendAdminInvitation(s, store(req), String(req.params.id), parsed.data);
      switch (outcome.kind) {
        case "not-found":
          return sendProblem(res, notFound("invitation"));
        case "already-accepted":
          return sendProblem(res, { status: 409, title: "Conflict", detail: "The invitation was already accepted." });
        case "resend-disabled":
          return sendProblem(res, {
            status: 400,
            title: "Bad Request",
            detail: "The invitation's client is not configured to resend invitations (resendInvite is false).",
            errors: [{ field: "clientId", message: "does not allow invitations to be resent" }],
          });
        case "rules":
          return sendProblem(res, rulesProblem(outcome.violations));
        case "pending-exists":
          return sendProblem(res, {
            status: 409,
            title: "Conflict",
            detail: "A newer pending invitation for this email exists; resend that one instead.",
            conflictingId: outcome.conflictingId,
          });
        case "resent":
          res.json(invitationOut(outcome.invitation, outcome.invitationUrl));
      }
    }),
  );
  router.all("/:id/resend", methodNotAllowed("POST"));
  return router;
}
