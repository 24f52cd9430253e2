// Every row of every table, as one comparable value: "nothing changed" asserted on the database
// itself rather than on what an answer says. Columns that only record delivery bookkeeping (the
// outbox worker's attempts) or activity (a console session's last request) are left out, so a
// snapshot taken while the worker runs still compares equal when nothing was accepted.
import { sql } from "kysely";
import type { Services } from "../../server/services.js";

const VOLATILE = new Set([
  "status",
  "lease_owner",
  "attempts",
  "next_attempt_at",
  "locked_until",
  "last_error",
  "sent_at",
  "sealed",
  "last_seen_at",
  "last_attempt_at",
  "error_class",
]);

export async function snapshot(s: Services): Promise<Record<string, unknown[]>> {
  const db = s.db.kysely;
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView && !/^kysely_|^rate_?limit/i.test(t.name));
  const out: Record<string, unknown[]> = {};
  for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    const cols = table.columns.map((c) => c.name).filter((c) => !(table.name === "outbox" && VOLATILE.has(c)) && c !== "last_seen_at");
    const rows = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql.ref(c)))} from ${sql.table(table.name)}`.execute(
      db,
    );
    out[table.name] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}
