// The store's guarantees, run against a real SQLite file and a real PostgreSQL server alike.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, isUniqueViolation, type Db } from "../../server/store/database.js";
import { insertPendingAccount, findAccountByIdentifier, linkClient, listAccounts } from "../../server/store/accounts.js";
import {
  insertInvitation,
  findInvitationByTokenHash,
  rotateInvitationToken,
  markInvitationDone,
  type NewInvitation,
} from "../../server/store/invitations.js";
import { listInvitations } from "../../server/store/invitation-list.js";
import { claimDueMessages, earliestDue, enqueueMessage, extendLeases, markAttemptFailed, markSent } from "../../server/store/outbox.js";
import { LATEST_MIGRATION } from "../../server/store/migrations.js";
import { latestMigration } from "../../server/store/schema-state.js";
import { createPgDatabase } from "../support/postgres.js";

const backends: [string, () => Promise<{ url: string; cleanup(): Promise<void> }>][] = [
  [
    "SQLite",
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "store-"));
      return { url: `file:${path.join(dir, "s.db")}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const pg = await createPgDatabase();
      return { url: pg.url, cleanup: pg.drop };
    },
  ],
];

const now = new Date("2026-06-01T12:00:00.000Z");
const iso = now.toISOString();
let seq = 0;
const failed = (at: Date, error: string) => ({ at, error, errorClass: "failed" });

function invitation(over: Partial<NewInvitation> = {}): NewInvitation {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    store: "customers",
    email: `inv${seq}@example.com`,
    phone: null,
    channel: "email",
    source: "admin",
    clientId: "shop-web",
    redirectUri: null,
    organization: null,
    roles: [],
    groups: [{ id: "newsletter" }],
    language: "en-US",
    metadata: { firstName: "Ann" },
    sent: iso,
    validUntil: new Date(now.getTime() + 3_600_000).toISOString(),
    accountId: null,
    tokenHash: `hash-${seq}`,
    now: iso,
    ...over,
  };
}

describe.each(backends)("%s store", (_name, make) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const backend = await make();
    cleanup = backend.cleanup;
    db = await openDatabase(backend.url);
    // Migrating twice is harmless (every process start does it).
    await (await openDatabase(backend.url)).close();
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  const account = (email: string | null, phone: string | null = null, store = "customers") => ({
    id: crypto.randomUUID(),
    store,
    email,
    phone,
    profile: { firstName: "Ann" },
    locale: "en-US",
    organization: null,
    now: iso,
  });

  test("an email identifier is unique per store, enforced by the database itself", async () => {
    expect(await insertPendingAccount(db.kysely, account("same@example.com"))).toBe(true);
    expect(await insertPendingAccount(db.kysely, account("same@example.com"))).toBe(false);
    // Straight SQL, bypassing every check in code, is refused too.
    const raw = db.kysely
      .insertInto("accounts")
      .values({ ...rawAccount(), email: "same@example.com" })
      .execute();
    await expect(raw).rejects.toSatisfy(isUniqueViolation);
    // Another store may hold the same address.
    expect(await insertPendingAccount(db.kysely, account("same@example.com", null, "other"))).toBe(true);
  });

  test("a phone identifier is unique per store; accounts without one do not collide", async () => {
    expect(await insertPendingAccount(db.kysely, account(null, "+33612345678"))).toBe(true);
    expect(await insertPendingAccount(db.kysely, account(null, "+33612345678"))).toBe(false);
    expect(await insertPendingAccount(db.kysely, account("nophone1@example.com"))).toBe(true);
    expect(await insertPendingAccount(db.kysely, account("nophone2@example.com"))).toBe(true);
  });

  test("concurrent inserts of one identifier: exactly one wins", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => insertPendingAccount(db.kysely, account("race@example.com"))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test("accounts are found by identifier, linked to clients once, and listed with paging", async () => {
    const a = account("find@example.com");
    await insertPendingAccount(db.kysely, a);
    await linkClient(db.kysely, a.id, "shop-web", iso);
    await linkClient(db.kysely, a.id, "shop-web", iso);
    await linkClient(db.kysely, a.id, "partner-portal", iso);
    const found = await findAccountByIdentifier(db.kysely, "customers", { email: "find@example.com" });
    expect(found).toMatchObject({ id: a.id, status: "pending", profile: { firstName: "Ann" } });
    expect(found!.clients.sort()).toEqual(["partner-portal", "shop-web"]);
    const page = await listAccounts(db.kysely, "customers", { email: "find@example.com", page: 0, size: 10 });
    expect(page.total).toBe(1);
  });

  test("one pending admin invitation per email and store, also under concurrency", async () => {
    const email = "pending@example.com";
    const results = await Promise.all(Array.from({ length: 8 }, () => insertInvitation(db.kysely, invitation({ email }))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test("a rotated token kills the old one, revives an expired invitation and counts the resend", async () => {
    const inv = invitation({ validUntil: new Date(now.getTime() - 1000).toISOString() });
    await insertInvitation(db.kysely, inv);
    expect((await findInvitationByTokenHash(db.kysely, inv.tokenHash, now))?.status).toBe("expired");
    const validUntil = new Date(now.getTime() + 86_400_000).toISOString();
    expect(
      await rotateInvitationToken(db.kysely, inv.id, { tokenHash: "fresh", validUntil, now: iso, channel: "email", countResend: true }),
    ).toBe(true);
    expect(await findInvitationByTokenHash(db.kysely, inv.tokenHash, now)).toBeUndefined();
    expect(await findInvitationByTokenHash(db.kysely, "fresh", now)).toMatchObject({
      id: inv.id,
      status: "pending",
      resendCount: 1,
      validUntil,
    });
  });

  test("an invitation is accepted once, and never after it expired", async () => {
    const inv = invitation();
    await insertInvitation(db.kysely, inv);
    // Through a link that was replaced since, nothing is accepted.
    expect(await markInvitationDone(db.kysely, inv.id, "an-older-token-hash", crypto.randomUUID(), iso)).toBe(false);
    const wins = await Promise.all(
      Array.from({ length: 5 }, () => markInvitationDone(db.kysely, inv.id, inv.tokenHash, crypto.randomUUID(), iso)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const lapsed = invitation({ validUntil: new Date(now.getTime() - 1).toISOString() });
    await insertInvitation(db.kysely, lapsed);
    expect(await markInvitationDone(db.kysely, lapsed.id, lapsed.tokenHash, crypto.randomUUID(), iso)).toBe(false);
  });

  test("invitations list by status with derived expiry, email filter and paging", async () => {
    const store = `list-${seq}`;
    for (let i = 0; i < 5; i++) await insertInvitation(db.kysely, invitation({ store }));
    await insertInvitation(db.kysely, invitation({ store, validUntil: new Date(now.getTime() - 1).toISOString() }));
    const sort = { field: "created" as const, direction: "desc" as const };
    expect((await listInvitations(db.kysely, store, { status: "pending", page: 0, size: 2, sort }, now)).total).toBe(5);
    expect((await listInvitations(db.kysely, store, { status: "pending", page: 2, size: 2, sort }, now)).items).toHaveLength(1);
    expect((await listInvitations(db.kysely, store, { status: "expired", page: 0, size: 10, sort }, now)).total).toBe(1);
  });

  test("the outbox leases a message to one claimer, retries it later, and forgets the sealed link once sent", async () => {
    const id = await enqueueMessage(
      db.kysely,
      {
        kind: "email",
        recipient: "o@example.com",
        locale: "en-US",
        template: "activation",
        params: { brandId: "acme" },
        sealed: "sealed-link",
      },
      iso,
    );
    const [a, b] = await Promise.all([
      claimDueMessages(db.kysely, now, 10, 60_000, "a"),
      claimDueMessages(db.kysely, now, 10, 60_000, "b"),
    ]);
    expect([...a!, ...b!].filter((m) => m.id === id)).toHaveLength(1);
    const [holder, other] = a!.some((m) => m.id === id) ? ["a", "b"] : ["b", "a"];
    // Leased: not claimable again until the lease ends, and only its holder can give it back.
    expect((await claimDueMessages(db.kysely, now, 10, 60_000, other!)).some((m) => m.id === id)).toBe(false);
    await markAttemptFailed(db.kysely, id, other!, now, failed(now, "not mine"));
    expect((await claimDueMessages(db.kysely, now, 10, 60_000, other!)).some((m) => m.id === id)).toBe(false);
    await markAttemptFailed(db.kysely, id, holder!, new Date(now.getTime() + 5000), failed(now, "smtp down"));
    expect((await claimDueMessages(db.kysely, now, 10, 60_000, "c")).some((m) => m.id === id)).toBe(false);
    const later = await claimDueMessages(db.kysely, new Date(now.getTime() + 6000), 10, 60_000, "c");
    expect(later.find((m) => m.id === id)).toMatchObject({ attempts: 1, sealed: "sealed-link" });
    await markSent(db.kysely, id, now);
    const row = await db.kysely.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", sealed: null, lease_owner: null });
  });

  test("a lease is kept alive by its holder alone; once it lapses another worker takes the message", async () => {
    const t0 = new Date("2026-06-02T12:00:00.000Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const id = await enqueueMessage(
      db.kysely,
      { kind: "email", recipient: "lease@example.com", locale: "en-US", template: "activation", params: {}, sealed: null },
      t0.toISOString(),
    );
    const mine = (owner: string, when: Date) =>
      claimDueMessages(db.kysely, when, 50, 3000, owner).then((ms) => ms.some((m) => m.id === id));
    expect(await mine("a", t0)).toBe(true);
    // The next look is when the lease ends, not at once (the message is due but held).
    expect(await earliestDue(db.kysely)).toBe(at(3000).toISOString());
    expect(await extendLeases(db.kysely, [id], "b", at(5000))).toEqual([]);
    expect(await extendLeases(db.kysely, [id], "a", at(5000))).toEqual([id]);
    expect(await mine("b", at(4000))).toBe(false); // extended by its holder
    expect(await mine("b", at(5000))).toBe(true); // lapsed: b takes it
    // a lost it: a can neither extend it nor give it back over b's head.
    expect(await extendLeases(db.kysely, [id], "a", at(9000))).toEqual([]);
    await markAttemptFailed(db.kysely, id, "a", at(5000), failed(at(5000), "late"));
    const row = await db.kysely.selectFrom("outbox").select(["lease_owner", "attempts"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ lease_owner: "b", attempts: 0 });
    await markSent(db.kysely, id, at(5100));
  });
});

function rawAccount() {
  return {
    id: crypto.randomUUID(),
    store: "customers",
    email: null,
    phone: null,
    status: "pending" as const,
    profile: "{}",
    password_hash: null,
    email_verified: 0,
    phone_verified: 0,
    locale: "en-US",
    organization: null,
    groups: "[]",
    roles: "[]",
    created_at: iso,
    updated_at: iso,
    activated_at: null,
  };
}

describe("two processes starting on one SQLite file", () => {
  /** One process that opens (and so migrates) the file, as the web process and npm run worker each do. */
  function migrateInProcess(file: string): Promise<string> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/migrate-file.ts", file], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      child.stderr.on("data", (c) => (out += c));
      child.on("exit", () => resolve(out.trim()));
    });
  }

  it("migrate it once between them, however their starts interleave", { timeout: 120_000 }, async () => {
    for (let round = 0; round < 4; round++) {
      const file = path.join(mkdtempSync(path.join(tmpdir(), "sqlite-race-")), "invite.db");
      const outcomes = await Promise.all([migrateInProcess(file), migrateInProcess(file), migrateInProcess(file)]);
      expect(outcomes).toEqual(["migrated", "migrated", "migrated"]);
      const db = await openDatabase(`file:${file}`, { migrate: false });
      try {
        expect(await latestMigration(db.kysely)).toBe(LATEST_MIGRATION);
      } finally {
        await db.close();
      }
    }
  });
});
