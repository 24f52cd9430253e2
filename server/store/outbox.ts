// The outbox (docs/decisions/0002-outbox.md): messages written in the same transaction as the change that causes them, leased
// by one worker at a time, retried with backoff until delivered. Several instances may share one
// PostgreSQL database: a lease names its worker, claims skip rows another worker has locked, and
// every write of a message notifies the listening workers when its transaction commits.
import { randomUUID } from "node:crypto";
import { sql, type QueryCreator } from "kysely";
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
}

export interface NewOutboxMessage {
  kind: OutboxKind;
  recipient: string;
  locale: string;
  template: string;
  params: Record<string, string>;
  sealed: string | null;
}

export async function enqueueMessage(db: Executor, m: NewOutboxMessage, now: string): Promise<string> {
  const id = randomUUID();
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
  });
  // PostgreSQL: NOTIFY in the writing transaction, delivered to every listening worker when (and
  // only if) it commits; several in one transaction arrive as one. RETURNING runs it in the same
  // statement, so it costs no round trip.
  if (isPostgres(db)) await insert.returning(sql<string>`pg_notify(${OUTBOX_CHANNEL}, '')`.as("notified")).execute();
  else await insert.execute();
  return id;
}

const claimedColumns = ["id", "kind", "recipient", "locale", "template", "params", "sealed", "attempts"] as const;

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
  return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string> }));
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
    .set({ status: "sent", sent_at: now.toISOString(), sealed: null, locked_until: null, lease_owner: null, last_error: null })
    .where("id", "=", id)
    .execute();
}

/**
 * A failed attempt, recorded only while `owner` still holds the lease: a worker whose lease lapsed
 * must not free a message another worker has taken since (a third would then send it too).
 */
export async function markAttemptFailed(db: Executor, id: string, owner: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .updateTable("outbox")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      next_attempt_at: nextAttemptAt.toISOString(),
      locked_until: null,
      lease_owner: null,
      last_error: error.slice(0, 500),
    }))
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .execute();
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
