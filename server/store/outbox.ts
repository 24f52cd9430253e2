// The outbox (docs/decisions/0002-outbox.md): messages written in the same transaction as the change that causes them, leased
// by one worker at a time, retried with backoff until delivered. Several instances may share one
// PostgreSQL database: a lease names its worker, claims skip rows another worker has locked, and
// every write of a message notifies the listening workers when its transaction commits.
import { randomUUID } from "node:crypto";
import { sql, type ExpressionBuilder, type QueryCreator } from "kysely";
import type { Executor } from "./accounts.js";
import { isPostgres } from "./dialect.js";
import type { Database } from "./tables.js";

/** The PostgreSQL notification channel a committed outbox row is announced on. */
export const OUTBOX_CHANNEL = "outbox";

/** An email or SMS (activation messages), or a webhook event (server/events/webhooks.ts). */
export type OutboxKind = "email" | "sms" | "webhook";

export interface OutboxMessage {
  id: string;
  kind: OutboxKind;
  recipient: string;
  locale: string;
  template: string;
  params: Record<string, string>;
  sealed: string | null;
  attempts: number;
  createdAt: string;
  /** The invitation an email or SMS belongs to; null for webhooks. */
  invitationId: string | null;
}

export interface NewOutboxMessage {
  kind: OutboxKind;
  recipient: string;
  locale: string;
  template: string;
  params: Record<string, string>;
  sealed: string | null;
}

/**
 * Which invitation an email or SMS belongs to: its id, or the token hash it holds (looked up in the
 * same statement, no extra round trip).
 */
export type MessageOf = { invitationId: string } | { invitationTokenHash: string };

export async function enqueueMessage(db: Executor, m: NewOutboxMessage, now: string, of?: MessageOf): Promise<string> {
  const id = randomUUID();
  const invitationId = !of
    ? null
    : "invitationId" in of
      ? of.invitationId
      : db.selectFrom("invitations").select("id").where("token_hash", "=", of.invitationTokenHash);
  const insert = db.insertInto("outbox").values({
    id,
    kind: m.kind,
    recipient: m.recipient,
    locale: m.locale,
    template: m.template,
    params: JSON.stringify(m.params),
    sealed: m.sealed,
    status: "pending",
    next_attempt_at: now,
    locked_until: null,
    lease_owner: null,
    last_error: null,
    created_at: now,
    sent_at: null,
    invitation_id: invitationId,
  });
  // PostgreSQL: NOTIFY in the writing transaction, delivered to every listening worker when (and
  // only if) it commits; several in one transaction arrive as one. RETURNING runs it in the same
  // statement, so it costs no round trip.
  if (isPostgres(db)) await insert.returning(sql<string>`pg_notify(${OUTBOX_CHANNEL}, '')`.as("notified")).execute();
  else await insert.execute();
  return id;
}

const claimedColumns = [
  "id",
  "kind",
  "recipient",
  "locale",
  "template",
  "params",
  "sealed",
  "attempts",
  "created_at",
  "invitation_id",
] as const;

/**
 * Leases up to `limit` due messages to `owner` until now + leaseMs. On PostgreSQL the due rows are
 * locked with FOR UPDATE SKIP LOCKED in the statement that sets the lease (its own short
 * transaction): concurrent claimers neither wait for one another nor take the same row, each gets
 * rows nobody holds. SQLite has one writer at a time, and the UPDATE repeats the conditions
 * besides, so a row leased meanwhile is never taken.
 */
export async function claimDueMessages(db: Executor, now: Date, limit: number, leaseMs: number, owner: string): Promise<OutboxMessage[]> {
  const nowIso = now.toISOString();
  const lease = { locked_until: new Date(now.getTime() + leaseMs).toISOString(), lease_owner: owner };
  const due = (qb: QueryCreator<Database>) =>
    qb
      .selectFrom("outbox")
      .select("id")
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", nowIso)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", nowIso)]))
      .orderBy("next_attempt_at")
      .limit(limit);
  const rows = isPostgres(db)
    ? await db
        // MATERIALIZED: the locking SELECT runs once, never re-run per row by the planner.
        .with(
          (cte) => cte("due").materialized(),
          (qb) => due(qb).forUpdate().skipLocked(),
        )
        .updateTable("outbox")
        .set(lease)
        .from("due")
        .whereRef("outbox.id", "=", "due.id")
        .returning(claimedColumns.map((c) => `outbox.${c}` as const))
        .execute()
    : await db
        .updateTable("outbox")
        .set(lease)
        .where("id", "in", due(db))
        .where("status", "=", "pending")
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", nowIso)]))
        .returning([...claimedColumns])
        .execute();
  return rows.map(({ created_at, invitation_id, ...r }) => ({
    ...r,
    params: JSON.parse(r.params) as Record<string, string>,
    createdAt: created_at,
    invitationId: invitation_id,
  }));
}

/** Pushes the lease of `owner`'s messages among `ids` to `until`; returns the ids it still held. */
export async function extendLeases(db: Executor, ids: string[], owner: string, until: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable("outbox")
    .set({ locked_until: until.toISOString() })
    .where("id", "in", ids)
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Delivered: the sealed link is dropped, nothing secret stays behind. Whoever sent it says so. */
export async function markSent(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable("outbox")
    .set({
      status: "sent",
      sent_at: now.toISOString(),
      last_attempt_at: now.toISOString(),
      sealed: null,
      locked_until: null,
      lease_owner: null,
      last_error: null,
      error_class: null,
    })
    .where("id", "=", id)
    .execute();
}

/** One failed attempt: when, its short class (the API shows it), and the raw error (the log's). */
export interface FailedAttempt {
  at: Date;
  errorClass: string;
  error: string;
}

/** What every failed attempt records, and the lease it gives back. */
function failedAttempt(eb: ExpressionBuilder<Database, "outbox">, failed: FailedAttempt) {
  return {
    attempts: eb("attempts", "+", 1),
    locked_until: null,
    lease_owner: null,
    last_error: failed.error.slice(0, 500),
    error_class: failed.errorClass,
    last_attempt_at: failed.at.toISOString(),
  };
}

/**
 * A failed attempt, recorded only while `owner` still holds the lease: a worker whose lease lapsed
 * must not free a message another worker has taken since (a third would then send it too).
 */
export async function markAttemptFailed(
  db: Executor,
  id: string,
  owner: string,
  nextAttemptAt: Date,
  failed: FailedAttempt,
): Promise<void> {
  await db
    .updateTable("outbox")
    .set((eb) => ({ ...failedAttempt(eb, failed), next_attempt_at: nextAttemptAt.toISOString() }))
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .execute();
}

/**
 * The last attempt failed and the worker gives up (docs/operations.md, "Messages given up on"):
 * the message is kept as "abandoned", its sealed link dropped. Only while `owner` holds the lease;
 * false when it did not (another worker has it).
 */
export async function markAbandoned(db: Executor, id: string, owner: string, failed: FailedAttempt): Promise<boolean> {
  const result = await db
    .updateTable("outbox")
    .set((eb) => ({ ...failedAttempt(eb, failed), status: "abandoned", sealed: null }))
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What became of a message to the invitee (docs/admin-api.md, "Deliveries"). */
export type DeliveryStatus = "queued" | "sent" | "retrying" | "abandoned";

/** One email or SMS of an invitation, as the admin API shows it. */
export interface Delivery {
  id: string;
  channel: "email" | "sms";
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  sentAt: string | null;
  /** The short class of the last failure; null when none. */
  error: string | null;
}

/** A message's delivery status: a pending one is queued until its first failed attempt, then retrying. */
function deliveryStatusOf(r: { status: "pending" | "sent" | "abandoned"; attempts: number }): DeliveryStatus {
  return r.status === "pending" ? (r.attempts > 0 ? "retrying" : "queued") : r.status;
}

/** An invitation's messages to the invitee, oldest first. */
export async function listDeliveries(db: Executor, invitationId: string): Promise<Delivery[]> {
  const rows = await db
    .selectFrom("outbox")
    .select(["id", "kind", "status", "attempts", "last_attempt_at", "sent_at", "error_class"])
    .where("invitation_id", "=", invitationId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channel: r.kind === "sms" ? "sms" : "email",
    status: deliveryStatusOf(r),
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    sentAt: r.sent_at,
    error: r.status === "sent" ? null : r.error_class,
  }));
}

/**
 * The status of each invitation's latest message (what the list's delivery filter looks at), for
 * one page of a list; invitations without any message are absent.
 */
export async function latestDeliveryStatuses(db: Executor, invitationIds: string[]): Promise<Map<string, DeliveryStatus>> {
  const latest = new Map<string, DeliveryStatus>();
  if (!invitationIds.length) return latest;
  const rows = await db
    .selectFrom("outbox")
    .select(["invitation_id", "status", "attempts"])
    .where("invitation_id", "in", invitationIds)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  // Oldest first: the last one written for an invitation is its latest.
  for (const r of rows) if (r.invitation_id) latest.set(r.invitation_id, deliveryStatusOf(r));
  return latest;
}

export async function countPending(db: Executor): Promise<number> {
  const { n } = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * When the next pending message can be claimed: its next attempt, or the end of its lease when a
 * worker holds it (a lapsed lease of a worker that died makes it claimable again then).
 */
export async function earliestDue(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) =>
      eb.fn
        .min<string | null>(
          eb.case().when("locked_until", ">", eb.ref("next_attempt_at")).then(eb.ref("locked_until")).else(eb.ref("next_attempt_at")).end(),
        )
        .as("due"),
    )
    .where("status", "=", "pending")
    .executeTakeFirst();
  return row?.due ?? undefined;
}
