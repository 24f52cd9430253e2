// Opens the database named by DATABASE_URL: SQLite (file:) by default, PostgreSQL for several instances.
import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "./migrations.js";
import { listen, type ListenHandlers, type Listening } from "./notify.js";
import type { Database } from "./tables.js";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * SQLite only: the connection itself, for the few hot statements run straight on it
   * (server/store/pre-register.ts), always inside `kysely.connection()` so nothing else is on it meanwhile.
   */
  sqlite?: SQLite.Database;
  /** PostgreSQL only: a dedicated connection LISTENing on `channel`, reconnecting when it drops. */
  listen?(channel: string, handlers: ListenHandlers): Listening;
}

/**
 * The PostgreSQL advisory lock held while migrating: instances that start together migrate one at
 * a time, and those that get the lock after the first find nothing left to do.
 */
export const MIGRATION_LOCK_ID = 7_461_032_915;

export async function openDatabase(url: string, { migrate = true } = {}): Promise<Db> {
  const postgres = !url.startsWith("file:");
  const db = postgres ? openPostgres(url) : openSqlite(url.slice("file:".length));
  try {
    if (migrate) await (postgres ? migrateUnderLock(url, db.kysely) : migrateInOneTransaction(db.kysely));
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

/**
 * The lock is held by a connection of its own, outside the pool the migrations use; PostgreSQL
 * releases it when that connection closes (below), or if this process dies meanwhile, so a crashed
 * start never blocks the next one.
 */
async function migrateUnderLock(url: string, kysely: Kysely<Database>): Promise<void> {
  const lock = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  lock.on("error", () => {});
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_ID]);
    await migrateToLatest(kysely);
  } finally {
    await lock.end().catch(() => {});
  }
}

/** How long a start waits for another process's migration of the same SQLite file. */
const SQLITE_MIGRATION_WAIT_MS = 60_000;

/**
 * SQLite: every migration in one `BEGIN IMMEDIATE` transaction (SQLite's DDL is transactional).
 * Two processes starting on one file together (a web process and `npm run worker`, or a restart
 * overlapping the old process) take turns: the second waits for the write lock, then finds
 * nothing to do. Kysely's own migration lock is a no-op on SQLite, which assumes one process.
 * A migration that fails leaves the schema as it was.
 */
async function migrateInOneTransaction(kysely: Kysely<Database>): Promise<void> {
  const deadline = Date.now() + SQLITE_MIGRATION_WAIT_MS;
  await kysely.connection().execute(async (conn) => {
    for (;;) {
      try {
        await sql`begin immediate`.execute(conn);
        break;
      } catch (error) {
        // busy_timeout (5 s) ran out while another process migrates: wait on.
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      }
    }
    try {
      await migrateToLatest(conn);
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw error;
    }
  });
}

function openSqlite(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  // Checkpoint the WAL every ~40 MB instead of every 4 MB: a fifth less time per pre-register
  // (measured, docs/benchmarks.md), for a larger WAL file between checkpoints.
  database.pragma("wal_autocheckpoint = 10000");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    kysely,
    dialect: "sqlite",
    sqlite: database,
    ping: async () => void (await sql`select 1`.execute(kysely)),
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely's SQLite driver prepares every query again; better-sqlite3 statements are reusable, and
 * the driver runs one query at a time, so a cache by SQL text saves a parse per query.
 */
function withStatementCache(database: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      if (cache.size >= 500) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  };
  return new Proxy(database, {
    get(target, key) {
      if (key === "prepare") return prepare;
      const value: unknown = Reflect.get(target, key, target);
      // Native methods must be called on the real database, not on the proxy.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: "postgres",
    ping: async () => void (await sql`select 1`.execute(kysely)),
    close: () => kysely.destroy(),
    listen: (channel, handlers) => listen(url, channel, handlers),
  };
}

/** A unique index said no (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
