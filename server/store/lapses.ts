// Lapsed invitations, claimed for the invitation.expired event (server/events/expiry.ts): each
// lapse once, whichever instance sweeps first.
import type { QueryCreator } from "kysely";
import type { Executor } from "./accounts.js";
import { isPostgres } from "./dialect.js";
import { refColumns, toRef, type InvitationRef } from "./invitations.js";
import type { Database } from "./tables.js";

/**
 * Claims up to `limit` invitations whose validity lapsed and whose lapse was not announced yet,
 * recording the announcement; the caller publishes the event in the same transaction. The
 * conditions are repeated in the UPDATE, so of two instances only one claims a lapse (the other's
 * UPDATE finds it announced). On PostgreSQL the rows are first locked with FOR UPDATE SKIP
 * LOCKED, so a second instance sweeping at the same moment takes other lapses instead of waiting
 * for the first one's transaction. A resent invitation (new validUntil) can lapse, and be
 * claimed, again.
 */
export async function claimLapsedInvitations(db: Executor, now: Date, limit: number): Promise<InvitationRef[]> {
  const nowIso = now.toISOString();
  const lapsed = (qb: QueryCreator<Database>) =>
    qb
      .selectFrom("invitations")
      .select("id")
      .where("status", "in", ["pending", "expired"])
      .where("valid_until", "<=", nowIso)
      .where((eb) => eb.or([eb("expiry_announced_for", "is", null), eb("expiry_announced_for", "!=", eb.ref("valid_until"))]))
      .limit(limit);
  const claim = isPostgres(db)
    ? // MATERIALIZED: the locking SELECT runs once; inlined, the planner may run it again per row.
      db
        .with(
          (cte) => cte("due").materialized(),
          (qb) => lapsed(qb).forUpdate().skipLocked(),
        )
        .updateTable("invitations")
        .from("due")
        .whereRef("invitations.id", "=", "due.id")
    : db.updateTable("invitations").where("id", "in", lapsed(db));
  const rows = await claim
    .set((eb) => ({ expiry_announced_for: eb.ref("invitations.valid_until") }))
    .where("invitations.status", "in", ["pending", "expired"])
    .where("invitations.valid_until", "<=", nowIso)
    .where((eb) =>
      eb.or([
        eb("invitations.expiry_announced_for", "is", null),
        eb("invitations.expiry_announced_for", "!=", eb.ref("invitations.valid_until")),
      ]),
    )
    .returning(refColumns.map((c) => `invitations.${c}` as const))
    .execute();
  return rows.map(toRef);
}
