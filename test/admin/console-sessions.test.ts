// The console session ends on the server: a kept copy of the cookie is refused after sign-out, after
// the idle timeout and after the absolute lifetime, and sign-in always starts a new session id. On
// SQLite with one instance, and on PostgreSQL with two instances over one database (sign in on one,
// use and replay on the other), with one movable clock.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unsealData } from "iron-session";
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS } from "../../app/console/session.server.js";
import { sha256Hex } from "../../server/lib/crypto.js";
import { tenantWith } from "../support/config.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, TEST_SESSION_SECRET, TestClock, type TestServer } from "../support/server.js";
import { HttpClient, type Page } from "../support/http.js";
import { api, STORE_PATH, uniqueEmail } from "./helpers.js";

const STORE = "/admin/stores/customers";
const IDLE_MINUTES = IDLE_TIMEOUT_MS / 60_000;
const LIFETIME_MINUTES = ABSOLUTE_LIFETIME_MS / 60_000;

interface TestDb {
  url: string;
  drop(): Promise<void>;
}

async function sqliteDb(): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), "console-sessions-"));
  return { url: `file:${path.join(dir, "shared.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const backends: [string, () => Promise<TestDb>, number][] = [
  ["SQLite (one instance)", sqliteDb, 1],
  ["PostgreSQL (two instances over one database)", createPgDatabase, 2],
];

function expectSignInPage(page: Page) {
  expect(page.status).toBe(302);
  expect(page.location).toMatch(/^\/admin\/sign-in(\?|$)/);
}

describe.each(backends)("console sessions on %s", (_name, createDb, instances) => {
  const clock = new TestClock();
  let db: TestDb;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    db = await createDb();
    a = await startTestServer({ databaseUrl: db.url, clock });
    b = instances === 2 ? await startTestServer({ databaseUrl: db.url, clock }) : a;
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
    await db?.drop();
  });

  async function signedIn(server = a) {
    const client = new HttpClient(server.url);
    expect((await client.signIn()).status).toBe(302);
    expect((await client.get("/admin")).status).toBe(200);
    return client;
  }

  const invite = (email: string) => ({ email, language: "en-US", clientId: "shop-web" });
  async function invitationsTo(email: string) {
    const res = await api(a.url, `${STORE_PATH}/invite?email=${encodeURIComponent(email)}`);
    expect(res.status).toBe(200);
    return res.body.items as unknown[];
  }

  /** The session id the cookie carries (unsealed as the server does). */
  async function cookieData(client: HttpClient): Promise<Record<string, unknown>> {
    const sealed = /(?:^|; )admin_session=([^;]+)/.exec(client.cookieHeader)?.[1];
    if (!sealed) return {};
    return unsealData(decodeURIComponent(sealed), { password: { 1: TEST_SESSION_SECRET } });
  }
  async function rowOf(client: HttpClient) {
    const { sid } = (await cookieData(client)) as { sid: string };
    return a.services.db.kysely.selectFrom("console_sessions").selectAll().where("id", "=", sha256Hex(sid)).executeTakeFirst();
  }

  test("a kept copy of the cookie works until sign-out, then pages send to sign-in and an Invite customer post creates nothing", async () => {
    const client = await signedIn(a);
    const kept = client.copy(b.url);

    const before = uniqueEmail("before-sign-out");
    const working = await kept.copy().post(`${STORE}/invitations/new`, invite(before));
    expect(working.status).toBe(302);
    expect(await invitationsTo(before)).toHaveLength(1);
    expect((await kept.copy().get("/admin")).text).toContain("Signed in as demo-admin");

    const out = await client.post("/admin/sign-out", {});
    expect(out.location).toBe("/admin/sign-in");

    expectSignInPage(await kept.copy().get(`${STORE}/invitations`));
    expectSignInPage(await kept.copy().get("/admin"));
    const after = uniqueEmail("after-sign-out");
    expectSignInPage(await kept.copy().post(`${STORE}/invitations/new`, invite(after)));
    expect(await invitationsTo(after)).toHaveLength(0);
    // The refused browser is also told to drop the dead session id.
    const replay = kept.copy();
    await replay.get("/admin");
    expect(await cookieData(replay)).not.toHaveProperty("sid");
  });

  test("the cookie carries only a random session id; the database keeps only its SHA-256", async () => {
    const client = await signedIn(a);
    const data = await cookieData(client);
    expect(Object.keys(data)).toEqual(["sid"]);
    const sid = data.sid as string;
    expect(Buffer.from(sid, "base64url")).toHaveLength(32);
    const row = await rowOf(client);
    expect(row).toMatchObject({ token_hash: expect.stringMatching(/^sha256:/), csrf: client.csrf });
    const raw = await a.services.db.kysely.selectFrom("console_sessions").select("id").where("id", "=", sid).execute();
    expect(raw).toHaveLength(0);
  });

  test("sign-in starts a new session id: the cookie from before sign-in stays signed out, and signing in again ends the previous id", async () => {
    const client = new HttpClient(a.url);
    await client.get("/admin/sign-in");
    const beforeSignIn = client.copy(b.url);
    expect((await client.post("/admin/sign-in", { token: "demo-admin-token" })).status).toBe(302);
    expectSignInPage(await beforeSignIn.get("/admin"));
    expect((await client.get("/admin")).status).toBe(200);

    const firstSession = client.copy(b.url);
    expect((await firstSession.copy().get("/admin")).status).toBe(200);
    expect((await client.post("/admin/sign-in", { token: "demo-admin-token" })).status).toBe(302);
    expectSignInPage(await firstSession.get("/admin"));
    expect((await client.get("/admin")).status).toBe(200);
  });

  test("idle timeout: requests within the idle window keep the session alive, on either instance; a longer silence ends it", async () => {
    const client = await signedIn(a);
    const other = client.copy(b.url);
    // Four times the idle window in all, never idle for the whole of it.
    for (let i = 0; i < 4; i++) {
      clock.advanceMinutes(IDLE_MINUTES - 1);
      expect((await (i % 2 ? client : other).get("/admin")).status).toBe(200);
    }
    clock.advanceMinutes(IDLE_MINUTES + 1);
    expectSignInPage(await other.get(`${STORE}/invitations`));
    expectSignInPage(await client.get("/admin"));
  });

  test("activity is written at most once a minute", async () => {
    const client = await signedIn(a);
    const seen = (await rowOf(client))!.last_seen_at;
    clock.advanceMinutes(0.5);
    expect((await client.get("/admin")).status).toBe(200);
    expect((await rowOf(client))!.last_seen_at).toBe(seen);
    clock.advanceMinutes(0.6);
    expect((await client.copy(b.url).get("/admin")).status).toBe(200);
    expect((await rowOf(client))!.last_seen_at).toBe(clock.now().toISOString());
  });

  test("absolute lifetime: the session ends 8 hours after sign-in even with a request every 25 minutes", async () => {
    const client = await signedIn(a);
    let elapsed = 0;
    while (elapsed + 25 < LIFETIME_MINUTES) {
      clock.advanceMinutes(25);
      elapsed += 25;
      expect((await (elapsed % 50 ? client : client.copy(b.url)).get("/admin")).status, `after ${elapsed} minutes`).toBe(200);
    }
    clock.advanceMinutes(25);
    expectSignInPage(await client.get("/admin"));
  });

  test("lapsed sessions are deleted at the next sign-in, so the table does not grow", async () => {
    const lapsed = await signedIn(a);
    const lapsedRow = (await rowOf(lapsed))!;
    clock.advanceHours(9);
    await signedIn(b);
    const now = clock.now();
    const gone = await a.services.db.kysely.selectFrom("console_sessions").select("id").where("id", "=", lapsedRow.id).execute();
    expect(gone).toHaveLength(0);
    const stale = await a.services.db.kysely
      .selectFrom("console_sessions")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("expires_at", "<=", now.toISOString()),
          eb("last_seen_at", "<=", new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString()),
        ]),
      )
      .execute();
    expect(stale).toHaveLength(0);
  });

  test("a token removed from the configuration signs its sessions out (restarted without it)", async () => {
    const own = await createDb();
    let before: TestServer | undefined = await startTestServer({ databaseUrl: own.url, clock });
    let after: TestServer | undefined;
    try {
      const client = new HttpClient(before.url);
      expect((await client.signIn()).status).toBe(302);
      expect((await client.get("/admin")).status).toBe(200);
      await before.close();
      before = undefined;
      after = await startTestServer({
        databaseUrl: own.url,
        clock,
        tenant: tenantWith((c) => void (c.adminTokens = c.adminTokens.filter((t: { name: string }) => t.name !== "demo-admin"))),
      });
      expectSignInPage(await client.copy(after.url).get("/admin"));
      expect(await after.services.db.kysely.selectFrom("console_sessions").select("id").execute()).toHaveLength(0);
    } finally {
      await before?.close();
      await after?.close();
      await own.drop();
    }
  });
});
