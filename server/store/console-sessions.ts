// Admin console sessions: one row per signed-in browser, found by the SHA-256 of the session id its
// cookie carries. The rules (timeouts, when to record activity) are in app/console/session.server.ts.
import type { Selectable } from "kysely";
import type { Executor } from "./accounts.js";
import type { ConsoleSessionsTable } from "./tables.js";

export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;

export async function insertConsoleSession(db: Executor, row: ConsoleSessionRow): Promise<void> {
  await db.insertInto("console_sessions").values(row).execute();
}

export async function findConsoleSession(db: Executor, id: string): Promise<ConsoleSessionRow | undefined> {
  return db.selectFrom("console_sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Records activity (the idle timeout slides from here). */
export async function touchConsoleSession(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable("console_sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
}

export async function deleteConsoleSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("console_sessions").where("id", "=", id).execute();
}

/** Deletes the sessions idle since before `idleBefore` or past their absolute end at `now`. */
export async function deleteLapsedConsoleSessions(db: Executor, now: string, idleBefore: string): Promise<number> {
  const result = await db
    .deleteFrom("console_sessions")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", idleBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
