// The one-step pre-register of a new invitee (server/store/pre-register.ts), on both databases:
// all four rows or none, nothing when the identifier is known, and on each database the race that
// could have left half of it behind.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { sql } from "kysely";
import { openDatabase, type Db } from "../../server/store/database.js";
import { insertInvitation } from "../../server/store/invitations.js";
import { OUTBOX_CHANNEL } from "../../server/store/outbox.js";
import { createPreRegistration, type NewPreRegistration } from "../../server/store/pre-register.js";
import { createPgDatabase } from "../support/postgres.js";

const NOW = "2026-06-01T12:00:00.000Z";

function registration(identifier: string, channel: "email" | "sms" = "email"): NewPreRegistration {
  return {
    store: "customers",
    channel,
    identifier,
    accountId: randomUUID(),
    invitationId: randomUUID(),
    outboxId: randomUUID(),
    clientId: "shop-web",
    redirectUri: "https://shop.example/callback",
    profile: { firstName: "Ada" },
    locale: "fr-FR",
    tokenHash: randomUUID(),
    validUntil: "2026-06-04T12:00:00.000Z",
    now: NOW,
    message: { kind: channel, recipient: identifier, locale: "fr-FR", template: "activation", params: { brandId: "b" }, sealed: "s" },
  };
}

async function rowsOf(db: Db, r: NewPreRegistration) {
  const k = db.kysely;
  return {
    accounts: await k.selectFrom("accounts").selectAll().where("id", "=", r.accountId).execute(),
    links: await k.selectFrom("account_clients").selectAll().where("account_id", "=", r.accountId).execute(),
    invitations: await k.selectFrom("invitations").selectAll().where("id", "=", r.invitationId).execute(),
    outbox: await k.selectFrom("outbox").selectAll().where("id", "=", r.outboxId).execute(),
  };
}

const nothing = { accounts: [], links: [], invitations: [], outbox: [] };

describe.each(["sqlite", "postgres"] as const)("one-step pre-register on %s", (dialect) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    if (dialect === "postgres") {
      const database = await createPgDatabase();
      url = database.url;
      db = await openDatabase(url);
      cleanup = async () => {
        await db.close();
        await database.drop();
      };
    } else {
      const dir = mkdtempSync(path.join(os.tmpdir(), "invite-prereg-"));
      db = await openDatabase(`file:${path.join(dir, "test.db")}`);
      cleanup = async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(() => cleanup());

  test("a new email: the pending account, its client link, its invitation and its message, as the general path writes them", async () => {
    const r = registration("new@example.com");
    expect(await createPreRegistration(db, r)).toBe(true);
    const rows = await rowsOf(db, r);
    expect(rows.accounts).toEqual([
      expect.objectContaining({
        store: "customers",
        email: "new@example.com",
        phone: null,
        status: "pending",
        profile: '{"firstName":"Ada"}',
      }),
    ]);
    expect(rows.accounts[0]).toMatchObject({ locale: "fr-FR", password_hash: null, groups: "[]", roles: "[]", created_at: NOW });
    expect(rows.links).toEqual([{ account_id: r.accountId, client_id: "shop-web", linked_at: NOW }]);
    expect(rows.invitations).toEqual([
      expect.objectContaining({
        email: "new@example.com",
        channel: "email",
        source: "pre-register",
        status: "pending",
        token_hash: r.tokenHash,
        account_id: r.accountId,
        metadata: '{"firstName":"Ada"}',
        redirect_uri: "https://shop.example/callback",
        valid_until: r.validUntil,
        sent_at: NOW,
        kind: "activate",
      }),
    ]);
    expect(rows.outbox).toEqual([
      expect.objectContaining({ kind: "email", recipient: "new@example.com", status: "pending", sealed: "s", params: '{"brandId":"b"}' }),
    ]);
  });

  test("an SMS invitee is written under the phone number", async () => {
    const r = registration("+14155550123", "sms");
    expect(await createPreRegistration(db, r)).toBe(true);
    const rows = await rowsOf(db, r);
    expect(rows.accounts[0]).toMatchObject({ email: null, phone: "+14155550123" });
    expect(rows.invitations[0]).toMatchObject({ email: null, phone: "+14155550123", channel: "sms" });
  });

  test("an email with an account already, or with an invitation still marked pending (even lapsed): nothing is written", async () => {
    const first = registration("known@example.com");
    expect(await createPreRegistration(db, first)).toBe(true);
    const again = registration("known@example.com");
    expect(await createPreRegistration(db, again)).toBe(false);
    expect(await rowsOf(db, again)).toEqual(nothing);

    // An administrator's invitation that lapsed an hour ago is still marked pending: the general path expires it.
    await insertInvitation(db.kysely, {
      id: randomUUID(),
      store: "customers",
      email: "lapsed@example.com",
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
      sent: NOW,
      validUntil: "2026-06-01T11:00:00.000Z",
      accountId: null,
      tokenHash: randomUUID(),
      now: NOW,
    });
    const lapsed = registration("lapsed@example.com");
    expect(await createPreRegistration(db, lapsed)).toBe(false);
    expect(await rowsOf(db, lapsed)).toEqual(nothing);
  });

  if (dialect === "sqlite") {
    test("it waits for another request's open transaction instead of writing inside it", async () => {
      const r = registration("outside@example.com");
      let written: Promise<boolean> | undefined;
      await expect(
        db.kysely.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          written = createPreRegistration(db, r);
          // The transaction is open on the one connection; it fails and rolls back.
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await written).toBe(true);
      expect((await rowsOf(db, r)).invitations).toHaveLength(1);
    });
  }

  if (dialect === "postgres") {
    test("the committed rows wake the listening workers (NOTIFY outbox), once", async () => {
      const listener = new pg.Client({ connectionString: url });
      await listener.connect();
      const heard: string[] = [];
      listener.on("notification", (n) => heard.push(n.channel));
      await listener.query(`listen ${OUTBOX_CHANNEL}`);
      try {
        expect(await createPreRegistration(db, registration("notify@example.com"))).toBe(true);
        // A round trip on the listening connection delivers what was sent before it.
        await listener.query("select 1");
        const deadline = Date.now() + 5000;
        while (heard.length === 0 && Date.now() < deadline) await listener.query("select 1");
        expect(heard).toEqual([OUTBOX_CHANNEL]);
      } finally {
        await listener.end();
      }
    });

    test("an account committed by another writer while the statement runs: the whole statement fails, nothing of it stays", async () => {
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      try {
        await other.query("begin");
        await other.query(
          `insert into accounts (id, store, email, phone, status, profile, password_hash, email_verified, phone_verified, locale,
             organization, groups, roles, created_at, updated_at, activated_at)
           values ($1, 'customers', 'race@example.com', null, 'pending', '{}', null, 0, 0, 'en-US', null, '[]', '[]', $2, $2, null)`,
          [randomUUID(), NOW],
        );
        const r = registration("race@example.com");
        // Not yet committed: the statement's look-up does not see it, its insert waits for it.
        const written = createPreRegistration(db, r);
        const deadline = Date.now() + 10_000;
        for (;;) {
          const { rows } = await other.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
          );
          if (rows[0]!.n > 0) break;
          if (Date.now() > deadline) throw new Error("the statement never waited for the other writer");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await other.query("commit");
        expect(await written).toBe(false);
        expect(await rowsOf(db, r)).toEqual(nothing);
      } finally {
        await other.end();
      }
    });
  }
});
