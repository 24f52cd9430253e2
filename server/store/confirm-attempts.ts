// The password tries of a join invitation (server/invitations/join.ts), counted on its row: the
// invitation locks after too many, never the account.
import type { Executor } from "./accounts.js";

/**
 * Counts one password attempt on a pending join invitation, unless it is locked or has used its
 * `max` tries: the count goes up before the password is checked, so guesses sent at the same
 * moment cannot get past the limit. The attempt's number, or undefined when none may be made.
 */
export async function takeConfirmAttempt(db: Executor, id: string, now: string, max: number): Promise<number | undefined> {
  const row = await db
    .updateTable("invitations")
    .set((eb) => ({ confirm_failures: eb("confirm_failures", "+", 1) }))
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where("confirm_failures", "<", max)
    .where((eb) => eb.or([eb("confirm_locked_until", "is", null), eb("confirm_locked_until", "<=", now)]))
    .returning("confirm_failures")
    .executeTakeFirst();
  return row?.confirm_failures;
}

/** Locks a join invitation's password confirmation until `until`; its tries start again after that. */
export async function lockConfirmation(db: Executor, id: string, until: string): Promise<void> {
  await db.updateTable("invitations").set({ confirm_locked_until: until, confirm_failures: 0 }).where("id", "=", id).execute();
}
