// Invitations due for their one reminder before expiry (server/invitations/reminders.ts), claimed
// so that each is reminded once, whichever instance sweeps first.
import type { QueryCreator, Selectable } from "kysely";
import type { Executor } from "./accounts.js";
import { isPostgres } from "./dialect.js";
import type { Database, InvitationsTable } from "./tables.js";

/**
 * Claims up to `limit` invitations of `store` still pending, sent by us, not reminded yet, and
 * expiring within `hours` (not yet expired), recording the claim (reminded_at); the caller sends
 * the reminder in the same transaction. One UPDATE ... WHERE reminded_at IS NULL does the claim:
 * of two instances at the same moment, the second finds the row claimed (PostgreSQL re-checks the
 * condition on the row the first one updated), and FOR UPDATE SKIP LOCKED makes it take other
 * rows rather than wait.
 */
export async function claimDueReminders(
  db: Executor,
  store: string,
  now: Date,
  hours: number,
  limit: number,
): Promise<Selectable<InvitationsTable>[]> {
  const nowIso = now.toISOString();
  const horizon = new Date(now.getTime() + hours * 3_600_000).toISOString();
  const due = (qb: QueryCreator<Database>) =>
    qb
      .selectFrom("invitations")
      .select("id")
      .where("store", "=", store)
      .where("status", "=", "pending")
      .where("reminded_at", "is", null)
      .where("sent_at", "is not", null)
      .where("valid_until", ">", nowIso)
      .where("valid_until", "<=", horizon)
      .orderBy("valid_until")
      .limit(limit);
  const claim = { reminded_at: nowIso };
  if (isPostgres(db))
    return db
      .with(
        (cte) => cte("due").materialized(),
        (qb) => due(qb).forUpdate().skipLocked(),
      )
      .updateTable("invitations")
      .from("due")
      .whereRef("invitations.id", "=", "due.id")
      .set(claim)
      .where("invitations.reminded_at", "is", null)
      .where("invitations.status", "=", "pending")
      .where("invitations.valid_until", ">", nowIso)
      .returningAll("invitations")
      .execute();
  // SQLite: one writer at a time; the UPDATE repeats the conditions all the same.
  return db
    .updateTable("invitations")
    .where("id", "in", due(db))
    .set(claim)
    .where("reminded_at", "is", null)
    .where("status", "=", "pending")
    .where("valid_until", ">", nowIso)
    .returningAll()
    .execute();
}

/** The reminder's new link replaces the old one, which from then on says "a newer link was sent". */
export async function replaceLinkForReminder(db: Executor, id: string, fromTokenHash: string, tokenHash: string): Promise<boolean> {
  const result = await db
    .updateTable("invitations")
    .set({ token_hash: tokenHash, replaced_token_hash: fromTokenHash })
    .where("id", "=", id)
    .where("token_hash", "=", fromTokenHash)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
