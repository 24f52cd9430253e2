// What an administrator does with invitations (docs/admin-api.md): invite, resend, revoke.
// Input arrives validated in shape (API body or console form); the rules that need the
// configuration or the database are checked here, and each change and its message are written in
// one transaction (the outbox), so nothing is sent for a change that did not happen.
import { randomUUID } from "node:crypto";
import { invitationEventData } from "../events/types.js";
import type { Services } from "../services.js";
import { findAccountByIdentifier } from "../store/accounts.js";
import { isUniqueViolation } from "../store/database.js";
import {
  findPendingInvitation,
  findPendingInvitations,
  getInvitation,
  insertInvitation,
  expireLapsed,
  revokeOpenInvitation,
  rotateInvitationToken,
  type Invitation,
  type InvitedBy,
} from "../store/invitations.js";
import { checkExpiry, checkInviteTarget, type InviteTarget, type RuleViolation } from "./admin-rules.js";
import { asJoinMessage, joinTarget, linkFor, newLink, queueActivation, recipientOf } from "./issue.js";

export interface AdminInviteInput extends InviteTarget {
  /** Trimmed and lower-cased. */
  email: string;
  language: string;
  /** Profile pre-fill with the profile field names of server/config/schema.ts (firstName, lastName, ...). */
  metadata: Record<string, string>;
  /** false: nothing is sent and the link is returned, for brands that deliver it themselves. */
  sendEmail: boolean;
}

export type CreateOutcome =
  | { kind: "created"; invitation: Invitation; invitationUrl?: string }
  | { kind: "unknown-store" }
  | { kind: "rules"; violations: RuleViolation[] }
  | { kind: "pending-exists"; conflictingId: string }
  | { kind: "account-exists" };

class Conflict extends Error {
  constructor(readonly outcome: CreateOutcome) {
    super(outcome.kind);
  }
}

/** Who an administrator is, as an invitation records it: an admin API token or a console administrator. */
export type AdminActor = InvitedBy & { type: "token" | "console" };

/**
 * `actor` is recorded as the invitation's invitedBy (the admin API passes its token's name, the
 * console its administrator's); without one, nothing is recorded.
 */
export async function createAdminInvitation(
  s: Services,
  storeName: string,
  input: AdminInviteInput,
  actor?: AdminActor,
): Promise<CreateOutcome> {
  const store = s.tenant.store(storeName);
  if (!store) return { kind: "unknown-store" };
  const { violations, checked } = checkInviteTarget(s.tenant, store, input);
  if (!checked) return { kind: "rules", violations };
  const { ctx } = checked;

  // Token (and, when we send, the sealed message) are made before the transaction opens; whether
  // the message invites to join an existing account is only known inside it.
  const link = await newLink(
    s,
    ctx,
    { channel: "email", email: input.email, phone: null, language: input.language, name: input.metadata.firstName },
    input.sendEmail,
    input.expiresInHours,
  );
  const { token, validUntil } = link;
  let prepared = link.prepared;

  const now = s.clock.now();
  const nowIso = now.toISOString();
  const id = randomUUID();
  const invitation: Invitation = {
    id,
    store: store.name,
    email: input.email,
    phone: null,
    channel: "email",
    source: "admin",
    clientId: ctx.client.clientId,
    redirectUri: input.redirectUri ?? null,
    organization: checked.organization?.id ?? null,
    roles: checked.roles,
    groups: checked.groups,
    language: input.language,
    metadata: input.metadata,
    status: "pending",
    sent: prepared ? nowIso : null,
    validUntil: validUntil.toISOString(),
    resendCount: 0,
    accountId: null,
    createdAt: nowIso,
    kind: "activate",
    confirmFailures: 0,
    confirmLockedUntil: null,
    invitedBy: actor ? { type: actor.type, name: actor.name } : null,
    remindedAt: null,
  };
  try {
    await s.db.kysely.transaction().execute(async (trx) => {
      // Any invitation still waiting for this email conflicts, a pre-registered one included.
      const pending = await findPendingInvitations(trx, store.name, { email: input.email });
      const live = pending.find((p) => p.valid_until > nowIso);
      if (live) throw new Conflict({ kind: "pending-exists", conflictingId: live.id });
      // A lapsed invitation does not block a new one; it stays listed as expired.
      await expireLapsed(trx, store.name, { email: input.email }, nowIso);
      const policy = ctx.application.selfServicePolicy;
      const existing = await findAccountByIdentifier(trx, store.name, { email: input.email });
      if (existing && (policy.inviteMethodReadOnly || !policy.allowDifferentEmail)) throw new Conflict({ kind: "account-exists" });
      // An active account the policy lets an administrator invite joins with what the invitation
      // grants, confirming with its current password. A pending one (pre-registered, its own
      // invitation lapsed) is activated by this invitation like any other (activate.ts).
      if (existing?.status === "active") {
        invitation.kind = "join";
        invitation.accountId = existing.id;
        if (prepared) prepared = { ...prepared, message: asJoinMessage(prepared.message, joinTarget(ctx, invitation.organization)) };
      }
      const inserted = await insertInvitation(trx, { ...invitation, tokenHash: token.hash, now: nowIso });
      if (!inserted) {
        // A concurrent request invited the same email a moment ago: the database kept one.
        const winner = await findPendingInvitation(trx, store.name, { email: input.email });
        if (!winner) throw new Error("the invitation insert conflicted with no pending invitation");
        throw new Conflict({ kind: "pending-exists", conflictingId: winner.id });
      }
      await s.webhooks.publish(trx, "invitation.created", invitationEventData(invitation, "pending"), now);
      if (prepared) await queueActivation(trx, s, prepared);
    });
  } catch (error) {
    if (error instanceof Conflict) return error.outcome;
    if (isUniqueViolation(error)) {
      const winner = await findPendingInvitation(s.db.kysely, store.name, { email: input.email });
      if (winner) return { kind: "pending-exists", conflictingId: winner.id };
    }
    throw error;
  }
  s.worker.kick();
  s.log.info("admin.invitation_created", {
    invitation: id,
    store: store.name,
    client: ctx.client.clientId,
    kind: invitation.kind,
    sent: !!prepared,
  });
  // The link the brand delivers itself is the one an email would carry (through its portal if any).
  return { kind: "created", invitation, ...(prepared ? {} : { invitationUrl: await linkFor(s, ctx, "email", token.token) }) };
}

export type ResendOutcome =
  | { kind: "resent"; invitation: Invitation; invitationUrl?: string }
  | { kind: "not-found" }
  | { kind: "already-accepted" }
  | { kind: "resend-disabled" }
  | { kind: "pending-exists"; conflictingId: string }
  | { kind: "rules"; violations: RuleViolation[] };

export interface ResendOptions {
  /** false: the new link is returned instead of sent. */
  sendEmail?: boolean;
  /** The new message's language, which the invitation keeps from then on. */
  language?: string;
  /** The new link's validity in hours (1 up to the store's maxInvitationTtlHours); invitationTtlHours without. */
  expiresInHours?: number;
}

/**
 * A new link for the same invitation: earlier links die, validity starts again, an expired
 * invitation is pending again, and `resendCount` goes up.
 */
export async function resendAdminInvitation(s: Services, storeName: string, id: string, opts: ResendOptions = {}): Promise<ResendOutcome> {
  const sendEmail = opts.sendEmail ?? true;
  const invitation = await getInvitation(s.db.kysely, storeName, id, s.clock.now());
  if (!invitation) return { kind: "not-found" };
  if (invitation.status === "done") return { kind: "already-accepted" };
  const ctx = s.tenant.client(invitation.clientId);
  if (!ctx) return { kind: "not-found" };
  if (!ctx.client.resendInvite) return { kind: "resend-disabled" };
  const expiry = checkExpiry(ctx.store, opts.expiresInHours);
  if (expiry) return { kind: "rules", violations: [expiry] };

  const language = opts.language ?? invitation.language;
  const to = { ...recipientOf(invitation, ctx), language };
  const { token, validUntil, prepared } = await newLink(s, ctx, to, sendEmail, opts.expiresInHours);
  const now = s.clock.now().toISOString();
  let rotated: boolean;
  try {
    rotated = await s.db.kysely.transaction().execute(async (trx) => {
      const ok = await rotateInvitationToken(trx, invitation.id, {
        tokenHash: token.hash,
        validUntil: validUntil.toISOString(),
        now,
        channel: invitation.channel,
        countResend: true,
        language,
      });
      if (ok && prepared) await queueActivation(trx, s, prepared);
      return ok;
    });
  } catch (error) {
    // Reviving an expired invitation while a newer one for the same email is pending.
    if (!isUniqueViolation(error)) throw error;
    const other = await findPendingInvitation(s.db.kysely, storeName, { email: invitation.email, phone: invitation.phone });
    return other ? { kind: "pending-exists", conflictingId: other.id } : { kind: "not-found" };
  }
  if (!rotated) {
    // Accepted or revoked between the read and the update.
    const after = await getInvitation(s.db.kysely, storeName, id, s.clock.now());
    return after?.status === "done" ? { kind: "already-accepted" } : { kind: "not-found" };
  }
  if (prepared) s.worker.kick();
  s.log.info("admin.invitation_resent", { invitation: invitation.id, store: storeName, sent: !!prepared });
  const updated = (await getInvitation(s.db.kysely, storeName, id, s.clock.now()))!;
  return { kind: "resent", invitation: updated, ...(prepared ? {} : { invitationUrl: await linkFor(s, ctx, "email", token.token) }) };
}

export type RevokeOutcome = { kind: "revoked" } | { kind: "not-found" } | { kind: "already-accepted" };

/** Revoking deletes the invitation: it leaves every list and its link stops working at once. */
export async function revokeAdminInvitation(s: Services, storeName: string, id: string): Promise<RevokeOutcome> {
  // Only a pending or expired invitation is deleted: the condition holds even against an
  // acceptance happening at the same moment.
  const revoked = await s.db.kysely.transaction().execute(async (trx) => {
    const deleted = await revokeOpenInvitation(trx, storeName, id);
    if (deleted) await s.webhooks.publish(trx, "invitation.revoked", invitationEventData(deleted, "revoked"), s.clock.now());
    return !!deleted;
  });
  if (revoked) {
    s.worker.kick();
    s.log.info("admin.invitation_revoked", { invitation: id, store: storeName });
    return { kind: "revoked" };
  }
  // An accepted invitation is the record of how an account was made; the account is managed instead.
  const invitation = await getInvitation(s.db.kysely, storeName, id, s.clock.now());
  return invitation?.status === "done" ? { kind: "already-accepted" } : { kind: "not-found" };
}
