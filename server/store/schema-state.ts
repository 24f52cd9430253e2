// Which migrations the database has (Kysely's own bookkeeping table), for the readiness check.
import { DEFAULT_MIGRATION_TABLE, sql, type Kysely } from "kysely";

/** The name of the last migration applied, or undefined when there is none; fails when the table is missing. */
export async function latestMigration(db: Kysely<any>): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)} order by name desc limit 1`.execute(
    db,
  );
  return rows[0]?.name;
}
