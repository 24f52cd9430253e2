// What several instances sharing one PostgreSQL database rely on, at the store level: claims that
// skip what another instance holds instead of waiting for it, notifications sent when an outbox
// row commits (and only then), a listening connection that comes back, and migrations run once
// by instances that start together.
import pg from "pg";
import { sql } from "kysely";
import { MIGRATION_LOCK_ID, openDatabase, type Db } from "../../server/store/database.js";
import { insertInvitation } from "../../server/store/invitations.js";
import { claimLapsedInvitations } from "../../server/store/lapses.js";
import { claimDueMessages, enqueueMessage, OUTBOX_CHANNEL, type NewOutboxMessage } from "../../server/store/outbox.js";
import { createPgDatabase } from "../support/postgres.js";

const now = new Date("2026-06-01T12:00:00.000Z");
const message = (recipient: string): NewOutboxMessage => ({
  kind: "email",
  recipient,
  locale: "en-US",
  template: "activation",
  params: {},
  sealed: null,
});

/** Polls `check` until it holds (a state to await, not a delay to guess); fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("one database, several instances", () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let db: Db;
  beforeAll(async () => {
    database = await createPgDatabase();
    db = await openDatabase(database.url);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  test("an outbox claim skips the messages another instance is claiming, instead of waiting for it", async () => {
    for (let i = 0; i < 30; i++) await enqueueMessage(db.kysely, message(`skip${i}@example.com`), now.toISOString());
    let other: Awaited<ReturnType<typeof claimDueMessages>> = [];
    const first = await db.kysely.transaction().execute(async (trx) => {
      const mine = await claimDueMessages(trx, now, 10, 60_000, "first");
      // Another instance claims while this transaction still holds its ten rows.
      other = await claimDueMessages(db.kysely, now, 10, 60_000, "second");
      return mine;
    });
    expect(first).toHaveLength(10);
    expect(other).toHaveLength(10);
    expect(new Set([...first, ...other].map((m) => m.id)).size).toBe(20);
    const rest = await claimDueMessages(db.kysely, now, 50, 60_000, "third");
    expect(rest).toHaveLength(10);
    expect(await claimDueMessages(db.kysely, now, 50, 60_000, "fourth")).toEqual([]);
  });

  test("two instances sweeping expiry at the same moment: each lapse claimed once, neither waits", async () => {
    const lapsedAt = new Date(now.getTime() - 60_000).toISOString();
    for (let i = 0; i < 30; i++) {
      const id = crypto.randomUUID();
      await insertInvitation(db.kysely, {
        id,
        store: "customers",
        email: `lapsed${i}@example.com`,
        phone: null,
        channel: "email",
        source: "admin",
        clientId: "shop-web",
        redirectUri: null,
        organization: null,
        roles: [],
        groups: [],
        language: "en-US",
        metadata: {},
        sent: lapsedAt,
        validUntil: lapsedAt,
        accountId: null,
        tokenHash: `lapsed-${id}`,
        now: lapsedAt,
      });
    }
    let other: Awaited<ReturnType<typeof claimLapsedInvitations>> = [];
    const first = await db.kysely.transaction().execute(async (trx) => {
      const mine = await claimLapsedInvitations(trx, now, 20);
      other = await claimLapsedInvitations(db.kysely, now, 20);
      return mine;
    });
    expect(first).toHaveLength(20);
    expect(other).toHaveLength(10);
    expect(new Set([...first, ...other].map((i) => i.id)).size).toBe(30);
    expect(await claimLapsedInvitations(db.kysely, now, 50)).toEqual([]);
  });

  test("writing outbox rows notifies listeners once per committed transaction, never for a rolled-back one", async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on("notification", (n) => payloads.push(n.payload ?? ""));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      await db.kysely
        .transaction()
        .execute(async (trx) => {
          await enqueueMessage(trx, message("rolled-back@example.com"), now.toISOString());
          throw new Error("roll back");
        })
        .catch(() => {});
      await db.kysely.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i++) await enqueueMessage(trx, message(`committed${i}@example.com`), now.toISOString());
      });
      // Notifications arrive in commit order: once "end" is here, any earlier one is too.
      await sql`select pg_notify(${OUTBOX_CHANNEL}, 'end')`.execute(db.kysely);
      await until(() => payloads.includes("end"), "the end marker");
      expect(payloads).toEqual(["", "end"]);
    } finally {
      await listener.end();
    }
  });

  test("the listening connection comes back after the database drops it", async () => {
    const events: string[] = [];
    const listening = db.listen!(OUTBOX_CHANNEL, {
      notify: () => events.push("notify"),
      connected: () => events.push("connected"),
      lost: () => events.push("lost"),
    });
    try {
      await until(() => events.includes("connected"), "the first connection");
      const killed = await sql<{ n: number }>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = current_database() and query = ${`LISTEN "${OUTBOX_CHANNEL}"`}`.execute(db.kysely);
      expect(killed.rows[0]!.n).toBe(1);
      await until(() => events.filter((e) => e === "connected").length === 2, "the connection to come back");
      expect(events.slice(0, 3)).toEqual(["connected", "lost", "connected"]);
      await enqueueMessage(db.kysely, message("after-reconnect@example.com"), now.toISOString());
      await until(() => events.includes("notify"), "a notification on the new connection");
    } finally {
      await listening.close();
    }
  });
});

describe("migrations", () => {
  test("three instances starting together on a fresh database: all start, each migration runs once", async () => {
    const database = await createPgDatabase();
    try {
      const dbs = await Promise.all([openDatabase(database.url), openDatabase(database.url), openDatabase(database.url)]);
      const rows = await dbs[0]!.kysely
        .selectFrom("kysely_migration" as never)
        .select(sql<string>`name`.as("name"))
        .execute();
      const names = rows.map((r) => r.name);
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain("0006_outbox_lease_owner");
      await Promise.all(dbs.map((d) => d.close()));
    } finally {
      await database.drop();
    }
  });

  test("an instance that starts while another migrates waits for it, then finds nothing to do", async () => {
    const database = await createPgDatabase();
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      // This connection plays an instance in the middle of its migrations.
      await holder.query("select pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_ID]);
      let opened: Db | undefined;
      const starting = openDatabase(database.url).then((d) => (opened = d));
      await until(async () => {
        const { rows } = await holder.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'",
        );
        return rows[0].n === 1;
      }, "the second instance to wait for the migration lock");
      expect(opened).toBeUndefined();
      const { rows: tables } = await holder.query("select count(*)::int as n from information_schema.tables where table_name = 'outbox'");
      expect(tables[0].n).toBe(0);
      await holder.query("select pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_ID]);
      await starting;
      expect(await opened!.kysely.selectFrom("outbox").select("id").execute()).toEqual([]);
      await opened!.close();
    } finally {
      await holder.end();
      await database.drop();
    }
  });
});
