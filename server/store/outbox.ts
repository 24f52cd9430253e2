// The outbox (docs/decisions/0002-outbox.md): messages written in the same transaction as the change that causes
// them, claimed by a worker with a lease, retried with backoff until delivered.
import { randomUUID } from "node:crypto";
import type { Executor } from "./accounts.js";

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
  await db
    .insertInto("outbox")
    .values({
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
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .execute();
  return id;
}

/**
 * Leases up to `limit` due messages to this worker. The conditions are repeated in the outer
 * UPDATE so that two workers on PostgreSQL never hold the same message at once.
 */
export async function claimDueMessages(db: Executor, now: Date, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const due = db
    .selectFrom("outbox")
    .select("id")
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", nowIso)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", nowIso)]))
    .orderBy("next_attempt_at")
    .limit(limit);
  const rows = await db
    .updateTable("outbox")
    .set({ locked_until: leaseUntil })
    .where("id", "in", due)
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", nowIso)]))
    .returning(["id", "kind", "recipient", "locale", "template", "params", "sealed", "attempts"])
    .execute();
  return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string> }));
}

/** Delivered: the sealed link is dropped, nothing secret stays behind. */
export async function markSent(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ status: "sent", sent_at: now.toISOString(), sealed: null, locked_until: null, last_error: null })
    .where("id", "=", id)
    .execute();
}

export async function markAttemptFailed(db: Executor, id: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .updateTable("outbox")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      next_attempt_at: nextAttemptAt.toISOString(),
      locked_until: null,
      last_error: error.slice(0, 500),
    }))
    .where("id", "=", id)
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

export async function earliestDue(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom("outbox")
    .select("next_attempt_at")
    .where("status", "=", "pending")
    .orderBy("next_attempt_at")
    .executeTakeFirst();
  return row?.next_attempt_at;
}
