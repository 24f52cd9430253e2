// Invitations: rows <-> domain objects and their queries. Status "expired" is derived from
// validUntil when read, so an invitation expires on time without a sweeper.
import { type Selectable } from "kysely";
import type { Executor, RoleRef } from "./accounts.js";
import type { InvitationsTable } from "./tables.js";

export type InvitationStatus = "pending" | "done" | "expired";
/** "join": an active account joins (accountId is set from the start); "activate": an account is activated. */
export type InvitationKind = "activate" | "join";

/**
 * Who sent an invitation: an admin API token or a console administrator (their configured name),
 * or the client that pre-registered it (its client id).
 */
export interface InvitedBy {
  type: "token" | "console" | "client";
  name: string;
}

export interface Invitation {
  id: string;
  store: string;
  email: string | null;
  phone: string | null;
  channel: "email" | "sms";
  source: "admin" | "pre-register";
  clientId: string;
  redirectUri: string | null;
  organization: string | null;
  roles: RoleRef[];
  groups: { id: string }[];
  language: string;
  metadata: Record<string, string>;
  status: InvitationStatus;
  sent: string | null;
  validUntil: string;
  resendCount: number;
  accountId: string | null;
  createdAt: string;
  kind: InvitationKind;
  /** A join invitation's wrong passwords since its last lock, and until when it is locked. */
  confirmFailures: number;
  confirmLockedUntil: string | null;
  /** null: an administrator's invitation made before this was recorded. */
  invitedBy: InvitedBy | null;
  /** When its one reminder before expiry went out (server/invitations/reminders.ts). */
  remindedAt: string | null;
}

export type NewInvitation = Omit<
  Invitation,
  "status" | "resendCount" | "createdAt" | "kind" | "confirmFailures" | "confirmLockedUntil" | "invitedBy" | "remindedAt"
> & {
  /** "activate" unless given. */
  kind?: InvitationKind;
  invitedBy?: InvitedBy | null;
  tokenHash: string;
  now: string;
};

export function toInvitation(row: Selectable<InvitationsTable>, now: Date): Invitation {
  const expired = row.status === "pending" && row.valid_until <= now.toISOString();
  return {
    id: row.id,
    store: row.store,
    email: row.email,
    phone: row.phone,
    channel: row.channel,
    source: row.source,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    organization: row.organization,
    roles: JSON.parse(row.roles) as RoleRef[],
    groups: JSON.parse(row.groups) as { id: string }[],
    language: row.language,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    status: expired ? "expired" : row.status,
    sent: row.sent_at,
    validUntil: row.valid_until,
    resendCount: row.resend_count,
    accountId: row.account_id,
    createdAt: row.created_at,
    kind: row.kind,
    confirmFailures: row.confirm_failures,
    confirmLockedUntil: row.confirm_locked_until,
    invitedBy: row.invited_by ? (JSON.parse(row.invited_by) as InvitedBy) : null,
    remindedAt: row.reminded_at,
  };
}

/** Inserts an invitation; false when a pending one for the same identifier and store already exists. */
export async function insertInvitation(db: Executor, inv: NewInvitation): Promise<boolean> {
  const result = await db
    .insertInto("invitations")
    .values({
      id: inv.id,
      store: inv.store,
      email: inv.email,
      phone: inv.phone,
      channel: inv.channel,
      source: inv.source,
      client_id: inv.clientId,
      redirect_uri: inv.redirectUri,
      organization: inv.organization,
      roles: JSON.stringify(inv.roles),
      groups: JSON.stringify(inv.groups),
      language: inv.language,
      metadata: JSON.stringify(inv.metadata),
      status: "pending",
      token_hash: inv.tokenHash,
      sent_at: inv.sent,
      valid_until: inv.validUntil,
      resend_count: 0,
      account_id: inv.accountId,
      created_at: inv.now,
      updated_at: inv.now,
      kind: inv.kind ?? "activate",
      invited_by: inv.invitedBy ? JSON.stringify({ type: inv.invitedBy.type, name: inv.invitedBy.name }) : null,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findInvitationByTokenHash(db: Executor, tokenHash: string, now: Date): Promise<Invitation | undefined> {
  const row = await db.selectFrom("invitations").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  return row && toInvitation(row, now);
}

/**
 * Whether this token is a link a reminder replaced while its invitation still waits (its
 * holder is then told a newer link was sent, nothing more).
 */
export async function isReplacedLink(db: Executor, tokenHash: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom("invitations")
    .select("id")
    .where("replaced_token_hash", "=", tokenHash)
    .where("status", "=", "pending")
    .where("valid_until", ">", now.toISOString())
    .executeTakeFirst();
  return !!row;
}

export async function getInvitation(db: Executor, store: string, id: string, now: Date): Promise<Invitation | undefined> {
  const row = await db.selectFrom("invitations").selectAll().where("store", "=", store).where("id", "=", id).executeTakeFirst();
  return row && toInvitation(row, now);
}

/**
 * The newest not-yet-accepted invitation of a pending account (pre-register resend). With `lock`
 * (PostgreSQL), its row stays locked to the end of the transaction, in the order an activation
 * takes its locks (the invitation, then the account), so a resend and an activation never cross.
 */
export async function findOpenInvitationOfAccount(
  db: Executor,
  accountId: string,
  now: Date,
  lock = false,
): Promise<Invitation | undefined> {
  let q = db
    .selectFrom("invitations")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("status", "in", ["pending", "expired"])
    .orderBy("created_at", "desc");
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toInvitation(row, now);
}

/** A pending (not accepted) admin invitation for this identifier, expired or not. */
/** Every invitation still waiting for this identifier, from admins and pre-register alike, newest first. */
export async function findPendingInvitations(
  db: Executor,
  store: string,
  id: { email?: string | null; phone?: string | null },
): Promise<Selectable<InvitationsTable>[]> {
  let q = db.selectFrom("invitations").selectAll().where("store", "=", store).where("status", "=", "pending");
  if (id.email) q = q.where("email", "=", id.email);
  else if (id.phone) q = q.where("phone", "=", id.phone);
  else return [];
  return q.orderBy("valid_until", "desc").execute();
}

/** Closes the other open invitations of an account that has just been activated through one of them. */
export async function closeInvitationsOfAccount(db: Executor, accountId: string, now: string): Promise<void> {
  await db
    .updateTable("invitations")
    .set({ status: "done", updated_at: now })
    .where("account_id", "=", accountId)
    .where("status", "in", ["pending", "expired"])
    .execute();
}

export async function findPendingInvitation(
  db: Executor,
  store: string,
  id: { email?: string | null; phone?: string | null },
): Promise<Selectable<InvitationsTable> | undefined> {
  let q = db.selectFrom("invitations").selectAll().where("store", "=", store).where("status", "=", "pending");
  if (id.email) q = q.where("email", "=", id.email);
  else if (id.phone) q = q.where("phone", "=", id.phone);
  else return undefined;
  return q.executeTakeFirst();
}

/**
 * Marks every lapsed invitation still marked pending for this identifier expired (what it already
 * showed), freeing the identifier: the database keeps one waiting invitation per identifier.
 */
export async function expireLapsed(
  db: Executor,
  store: string,
  id: { email?: string | null; phone?: string | null },
  now: string,
): Promise<void> {
  let q = db.updateTable("invitations").set({ status: "expired", updated_at: now }).where("store", "=", store);
  if (id.email) q = q.where("email", "=", id.email);
  else if (id.phone) q = q.where("phone", "=", id.phone);
  else return;
  await q.where("status", "=", "pending").where("valid_until", "<=", now).execute();
}

/**
 * A new link for the same invitation: the old token dies, validity starts again, an expired
 * invitation is pending again, and the resend is counted.
 */
export async function rotateInvitationToken(
  db: Executor,
  id: string,
  r: {
    tokenHash: string;
    validUntil: string;
    now: string;
    channel: "email" | "sms";
    countResend: boolean;
    /** Only if this is still the current token: of two simultaneous requests, one rotates. */
    fromTokenHash?: string;
    /** The language its messages are written in from now on (a resend may change it). */
    language?: string;
  },
): Promise<boolean> {
  let query = db.updateTable("invitations");
  if (r.fromTokenHash) query = query.where("token_hash", "=", r.fromTokenHash);
  const result = await query
    .set((eb) => ({
      token_hash: r.tokenHash,
      valid_until: r.validUntil,
      sent_at: r.now,
      status: "pending",
      channel: r.channel,
      updated_at: r.now,
      resend_count: r.countResend ? eb("resend_count", "+", 1) : eb.ref("resend_count"),
      // Validity starts again: so does the one reminder before its end; the older links all die.
      reminded_at: null,
      replaced_token_hash: null,
      ...(r.language ? { language: r.language } : {}),
    }))
    .where("id", "=", id)
    .where("status", "in", ["pending", "expired"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Accepts a pending, unexpired invitation through the link whose token hash is given; false when
 * another request got there first or the link was replaced (a resend) in the meantime.
 */
export async function markInvitationDone(db: Executor, id: string, tokenHash: string, accountId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable("invitations")
    .set({ status: "done", account_id: accountId, updated_at: now })
    .where("id", "=", id)
    .where("token_hash", "=", tokenHash)
    .where("status", "=", "pending")
    .where("valid_until", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes a not-yet-accepted invitation; false when there is none (or it was accepted meanwhile). */
export async function deleteOpenInvitation(db: Executor, store: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("invitations")
    .where("store", "=", store)
    .where("id", "=", id)
    .where("status", "in", ["pending", "expired"])
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteInvitation(db: Executor, store: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("invitations").where("store", "=", store).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** What an invitation event names (server/events/types.ts): no personal data. */
export interface InvitationRef {
  id: string;
  store: string;
  clientId: string;
  organization: string | null;
  accountId: string | null;
  invitedBy: InvitedBy | null;
}

export const refColumns = ["id", "store", "client_id", "organization", "account_id", "invited_by"] as const;
export function toRef(r: {
  id: string;
  store: string;
  client_id: string;
  organization: string | null;
  account_id: string | null;
  invited_by: string | null;
}): InvitationRef {
  return {
    id: r.id,
    store: r.store,
    clientId: r.client_id,
    organization: r.organization,
    accountId: r.account_id,
    invitedBy: r.invited_by ? (JSON.parse(r.invited_by) as InvitedBy) : null,
  };
}

/** The invitation that holds this token now (the one an activation message is being queued for). */
export async function findInvitationRefByTokenHash(db: Executor, tokenHash: string): Promise<InvitationRef | undefined> {
  const row = await db.selectFrom("invitations").select(refColumns).where("token_hash", "=", tokenHash).executeTakeFirst();
  return row && toRef(row);
}

/** What an event names about an invitation, by id (the outbox's message of an invitation). */
export async function getInvitationRef(db: Executor, id: string): Promise<InvitationRef | undefined> {
  const row = await db.selectFrom("invitations").select(refColumns).where("id", "=", id).executeTakeFirst();
  return row && toRef(row);
}

/** Like deleteOpenInvitation, returning what was deleted (for the invitation.revoked event). */
export async function revokeOpenInvitation(db: Executor, store: string, id: string): Promise<InvitationRef | undefined> {
  const row = await db
    .deleteFrom("invitations")
    .where("store", "=", store)
    .where("id", "=", id)
    .where("status", "in", ["pending", "expired"])
    .returning(refColumns)
    .executeTakeFirst();
  return row && toRef(row);
}
