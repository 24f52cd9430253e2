// Races that only PostgreSQL (several connections, several instances) can lose, run on two
// instances over one database, many rounds each:
// - an admin invitation and a pre-register for one email at the same instant: one invitation
//   waits, the other caller gets a 409 naming it (the database enforces it);
// - a pre-register `resend: true` against an activation of the same account: either the resend
//   wins (the old link activates nothing) or the activation does (the resend says the account is
//   verified and mails nothing). Never both.
import pg from "pg";
import { api, createInvitation, partnerInvite, STORE_PATH } from "../admin/helpers.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";
import { filledForm, openActivation, preRegister, uniqueEmail, waitForMail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

let database: Awaited<ReturnType<typeof createPgDatabase>>;
let pgUrl: string;
let env: TestEnv;
let other: TestServer;
/** Shared by both instances: a test may let invitations lapse. */
const clock = new TestClock();

beforeAll(async () => {
  database = await createPgDatabase();
  pgUrl = database.url;
  env = await startTestEnv({ databaseUrl: pgUrl, clock });
  other = await startTestServer({ databaseUrl: pgUrl, smtpUrl: env.smtp.url, clock });
});
afterAll(async () => {
  await other?.close();
  await env?.close();
  await database?.drop();
});

const waitingInvitations = (email: string) =>
  env.server.services.db.kysely
    .selectFrom("invitations")
    .select(["id", "status", "valid_until"])
    .where("email", "=", email)
    .where("status", "=", "pending")
    .execute();

it("an admin invitation and a pre-register for one email at the same instant: one waits, the other caller is told which", async () => {
  for (let round = 0; round < 12; round++) {
    const email = uniqueEmail(`race${round}`);
    const [admin, pre] = await Promise.all([
      api(round % 2 ? env.server.url : other.url, `${STORE_PATH}/invite`, { body: { clientId: "shop-web", email, sendEmail: false } }),
      preRegister(round % 2 ? { ...env, server: other } : env, {
        profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace" },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { uuid?: string; conflictingId?: string } })),
    ]);
    const rows = await waitingInvitations(email);
    expect(rows, `round ${round}`).toHaveLength(1);
    expect([admin.status, pre.status].sort(), `round ${round}`).toEqual([201, 409]);
    // The loser names the waiting invitation, or (an admin invitation through a client that may
    // not invite existing accounts, after the pre-register created one) says the account exists.
    const loser = admin.status === 409 ? admin.body : pre.body;
    if (loser.conflictingId === undefined) expect(admin.status === 409 && /account/i.test(admin.body.detail)).toBe(true);
    else expect(loser.conflictingId).toBe(rows[0]!.id);
  }
});

it("one after the other, in either order, the second is a 409 naming the first", async () => {
  const first = uniqueEmail("admin-first");
  const admin = await api(env.server.url, `${STORE_PATH}/invite`, { body: { clientId: "shop-web", email: first, sendEmail: false } });
  expect(admin.status).toBe(201);
  const pre = await preRegister(env, { profile: { emailAddress: first, firstName: "A", lastName: "B" } });
  expect(pre.status).toBe(409);
  expect(((await pre.json()) as { conflictingId: string }).conflictingId).toBe(admin.body.id);
  // Nothing of the refused pre-register stays: no account for the address.
  const accounts = await env.server.services.db.kysely.selectFrom("accounts").select("id").where("email", "=", first).execute();
  expect(accounts).toEqual([]);

  const second = uniqueEmail("pre-first");
  const created = await preRegister(env, { profile: { emailAddress: second, firstName: "A", lastName: "B" } });
  expect(created.status).toBe(201);
  const refused = await api(env.server.url, `${STORE_PATH}/invite`, { body: { clientId: "shop-web", email: second, sendEmail: false } });
  expect(refused.status).toBe(409);
});

/**
 * A resend and an activation of one account, made certain: a third connection holds the invitation's row while the activation
 * and the resend queue up behind it in a chosen order, then lets go. PostgreSQL grants the row in
 * queue order, so each order is played exactly.
 */
it.each(["activation", "resend"] as const)(
  "a resend and an activation queued behind one lock, the %s first: one wins, the other says so",
  async (first) => {
    const db = env.server.services.db.kysely;
    const email = uniqueEmail(`queued-${first}`);
    const before = env.smtp.mails.length;
    const created = await preRegister(env, { profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace" } });
    const { uuid } = (await created.json()) as { uuid: string };
    const mail = await waitForMail(env, email, before);
    const client = new HttpClient(env.server.url, { "x-forwarded-for": `198.51.100.${first === "resend" ? 1 : 2}` });
    const form = await openActivation(client, mail.link!);
    const { id } = await db.selectFrom("invitations").select("id").where("account_id", "=", uuid).executeTakeFirstOrThrow();

    const holder = new pg.Client({ connectionString: pgUrl });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM invitations WHERE id = $1 FOR UPDATE", [id]);
    const waitingOnLocks = async (n: number) => {
      for (let i = 0; i < 400; i++) {
        const r = await holder.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (r.rows[0].n >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`never saw ${n} requests waiting on the lock`);
    };
    const activate = () => client.post("/activate", filledForm(form.csrf!));
    const resend = () =>
      preRegister({ ...env, server: other }, { profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace" }, resend: true });
    const firstCall = first === "activation" ? activate() : resend();
    await waitingOnLocks(1);
    const secondCall = first === "activation" ? resend() : activate();
    await waitingOnLocks(2);
    await holder.query("COMMIT");
    await holder.end();
    const [a, r] = first === "activation" ? [await firstCall, await secondCall] : [await secondCall, await firstCall];

    const account = await db.selectFrom("accounts").select("status").where("id", "=", uuid).executeTakeFirstOrThrow();
    const messages = await db
      .selectFrom("outbox")
      .select("id")
      .where("recipient", "=", email)
      .where("template", "=", "activation")
      .execute();
    if (first === "activation") {
      expect([a.status, r.status, account.status, messages.length]).toEqual([303, 422, "active", 1]);
      expect(await waitingInvitations(email)).toEqual([]);
    } else {
      expect([a.status === 303, r.status, account.status, messages.length]).toEqual([false, 200, "pending", 2]);
      expect(await waitingInvitations(email)).toHaveLength(1);
    }
  },
);

it("a resend and the activation of a lapsed pre-registered account through an admin invitation never deadlock", async () => {
  const db = env.server.services.db.kysely;
  const email = uniqueEmail("holder");
  const created = await preRegister(env, { profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace" } });
  const { uuid } = (await created.json()) as { uuid: string };
  clock.advanceHours(24 * 8);
  // The pre-registered invitation lapsed; an administrator invites the same person: its activation
  // activates that pending account (and closes the lapsed invitation), while the brand resends.
  const invitation = await createInvitation(env.server, partnerInvite({ email, sendEmail: false }));
  const client = new HttpClient(env.server.url, { "x-forwarded-for": "198.51.100.9" });
  const form = await openActivation(client, invitation.invitationUrl);
  const fields = {
    email,
    companyName: "Northwind Traders",
    addressLine1: "1 Harbour Road",
    city: "Seattle",
    postalCode: "98101",
    country: "US",
  };

  // A third connection holds the account while both queue behind it: the activation first.
  const holder = new pg.Client({ connectionString: pgUrl });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE", [uuid]);
  const queued = async (n: number) => {
    for (let i = 0; i < 400; i++) {
      const r = await holder.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (r.rows[0].n >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`never saw ${n} requests waiting on a lock`);
  };
  const activation = client.post("/activate", filledForm(form.csrf!, fields));
  await queued(1);
  const resend = preRegister({ ...env, server: other }, { profile: { emailAddress: email }, resend: true });
  await queued(2);
  await holder.query("COMMIT");
  await holder.end();

  const [a, r] = [await activation, await resend];
  expect([a.status, r.status]).toEqual([303, 422]);
  const account = await db.selectFrom("accounts").select("status").where("id", "=", uuid).executeTakeFirstOrThrow();
  expect(account.status).toBe("active");
  expect(await waitingInvitations(email)).toEqual([]);
});
