// Which database an executor (the Kysely instance or one of its transactions) talks to, for the
// few statements that differ: row locks that skip what another instance holds, and notifications.
import { PostgresAdapter } from "kysely";
import type { Executor } from "./accounts.js";

export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
