// Invitation events as signed webhooks (docs/webhooks.md): every event arrives once,
// signed the Standard Webhooks way, through the outbox (so a receiver that is down loses nothing),
// without personal data, only to the endpoints subscribed to it; expiry is announced once.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { api, STORE_PATH, shopInvite, tokenOf } from "../admin/helpers.js";
import { tenantWith, type RawConfig } from "../support/config.js";
import { preRegister, preRegisterBody } from "../support/http.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";
import { WebhookReceiver, type ReceivedWebhook } from "../support/webhooks.js";
import { acceptInvitation } from "../../server/invitations/activate.js";
import { hashLinkToken } from "../../server/invitations/tokens.js";
import { countPending } from "../../server/store/outbox.js";
import { announceExpiredInvitations } from "../../server/events/expiry.js";
import { outboxDrained } from "../support/outbox.js";
import { waitUntil } from "../support/wait.js";
import { ConfigError, parseTenantConfig } from "../../server/config/load.js";
import { demoConfig } from "../support/config.js";

const SECRET = "test-webhook-secret-0123456789abcdefghij";
const INVITE = `${STORE_PATH}/invite`;

/** The verification docs/webhooks.md documents, written again here from the description. */
function verify(w: ReceivedWebhook, secret: string): boolean {
  const id = w.headers["webhook-id"]!;
  const timestamp = w.headers["webhook-timestamp"]!;
  const key = secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${w.raw}`).digest();
  return w.headers["webhook-signature"]!.split(" ").some((s) => {
    const [version, signature] = s.split(",");
    const given = Buffer.from(signature ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function withWebhooks(hooks: RawConfig[]) {
  return tenantWith((c) => (c.webhooks = hooks));
}

async function start(receiverUrl: string, o: { clock?: TestClock; databaseUrl?: string; hooks?: RawConfig[] } = {}) {
  return startTestServer({
    tenant: withWebhooks(o.hooks ?? [{ id: "crm", url: receiverUrl, secretEnv: "CRM_WEBHOOK_SECRET" }]),
    env: { CRM_WEBHOOK_SECRET: SECRET, OPS_WEBHOOK_SECRET: SECRET.toUpperCase() },
    clock: o.clock,
    databaseUrl: o.databaseUrl,
    workerOptions: { baseBackoffMs: 100, maxBackoffMs: 400, idleMs: 50, expirySweepMs: 50 },
  });
}

/** Runs the expiry sweep once more, as the worker does every expirySweepMs; returns how many lapses it announced. */
function sweepAgain(server: TestServer, clock: TestClock): Promise<number> {
  return announceExpiredInvitations(server.services.db.kysely, server.services.webhooks, clock.now());
}

async function invite(server: TestServer, body: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const res = await api(server.url, INVITE, { body: shopInvite(body) });
  expect(res.status).toBe(201);
  return res.body as { id: string; email: string };
}

/** Pre-registers someone, follows the link from the dev mailbox and activates the account. */
async function preRegisterAndAccept(server: TestServer, email: string): Promise<{ accountId: string; invitationId: string }> {
  const res = await preRegister(server.url, preRegisterBody({}, { emailAddress: email, firstName: "Jane" }));
  expect(res.status).toBe(201);
  const link = await waitUntil(() => server.services.mailbox!.list().find((m) => m.to === email)?.link, `the mail to ${email}`);
  const result = await acceptInvitation(server.services, {
    tokenHash: hashLinkToken(tokenOf(link!)),
    password: "correct horse battery staple",
    profile: { firstName: "Jane", lastName: "Doe" },
    locale: "en-US",
  });
  if (result.kind !== "activated") throw new Error(`not activated: ${result.kind}`);
  return { accountId: result.accountId, invitationId: result.invitation.id };
}

const key = (w: ReceivedWebhook) => `${w.event.type} ${String(w.event.data.invitationId)}`;

async function everyEventOnce(backend: "SQLite" | "PostgreSQL") {
  const receiver = await new WebhookReceiver().start();
  const clock = new TestClock();
  const pg = backend === "PostgreSQL" ? await createPgDatabase() : undefined;
  const server = await start(receiver.url, { clock, databaseUrl: pg?.url });
  try {
    const a = await invite(server); // created, sent
    expect((await api(server.url, `${INVITE}/${a.id}/resend`, { method: "POST" })).status).toBe(200); // sent
    const b = await invite(server, { sendEmail: false }); // created, nothing sent
    const c = await invite(server); // created, sent
    expect((await api(server.url, `${INVITE}/${c.id}`, { method: "DELETE" })).status).toBe(204);
    const accepted = await preRegisterAndAccept(server, `accept-${backend.toLowerCase()}@example.com`); // created, sent, accepted

    const expected = [
      `invitation.created ${a.id}`,
      `invitation.sent ${a.id}`,
      `invitation.sent ${a.id}`,
      `invitation.created ${b.id}`,
      `invitation.created ${c.id}`,
      `invitation.sent ${c.id}`,
      `invitation.revoked ${c.id}`,
      `invitation.created ${accepted.invitationId}`,
      `invitation.sent ${accepted.invitationId}`,
      `invitation.accepted ${accepted.invitationId}`,
    ];
    await receiver.waitFor((r) => r.length >= expected.length);

    // a and b lapse; the accepted and the revoked ones do not. Each lapse is announced once.
    clock.advanceHours(24 * 7 + 1);
    await receiver.waitFor((r) => r.length >= expected.length + 2);
    // Further sweeps find nothing more to announce, and what was announced has all been delivered.
    expect(await sweepAgain(server, clock)).toBe(0);
    await outboxDrained(server);
    expected.push(`invitation.expired ${a.id}`, `invitation.expired ${b.id}`);
    expect(receiver.received.map(key).sort()).toEqual([...expected].sort());

    for (const w of receiver.received) {
      expect(verify(w, SECRET)).toBe(true);
      expect(verify(w, `${SECRET}x`)).toBe(false);
      expect(w.headers["webhook-id"]).toBe(w.event.id);
      expect(w.headers["content-type"]).toBe("application/json");
      expect(Math.abs(Number(w.headers["webhook-timestamp"]) - Date.parse(w.event.occurredAt) / 1000)).toBeLessThan(300);
      expect(w.event).toMatchObject({ data: { store: "customers", clientId: "shop-web", organization: null } });
      expect(Date.parse(w.event.occurredAt)).not.toBeNaN();
    }
    expect(new Set(receiver.received.map((w) => w.event.id)).size).toBe(receiver.received.length);
    const status = (type: string) => receiver.received.filter((w) => w.event.type === type).map((w) => w.event.data.status);
    expect(new Set(status("invitation.created"))).toEqual(new Set(["pending"]));
    expect(new Set(status("invitation.sent"))).toEqual(new Set(["pending"]));
    expect(status("invitation.accepted")).toEqual(["done"]);
    expect(status("invitation.revoked")).toEqual(["revoked"]);
    expect(new Set(status("invitation.expired"))).toEqual(new Set(["expired"]));
    const acceptedEvent = receiver.received.find((w) => w.event.type === "invitation.accepted")!;
    expect(acceptedEvent.event.data.accountId).toBe(accepted.accountId);

    // Resending the lapsed invitation revives it; when it lapses again, that lapse is announced too.
    expect((await api(server.url, `${INVITE}/${a.id}/resend`, { method: "POST" })).status).toBe(200);
    clock.advanceHours(24 * 7 + 1);
    await receiver.waitFor((r) => r.filter((w) => key(w) === `invitation.expired ${a.id}`).length === 2);
    expect(await sweepAgain(server, clock)).toBe(0);
    await outboxDrained(server);
    expect(receiver.received.filter((w) => w.event.type === "invitation.expired")).toHaveLength(3);
    expect(await countPending(server.services.db.kysely)).toBe(0);
  } finally {
    await server.close();
    await receiver.stop();
    await pg?.drop();
  }
}

test("SQLite: every event type arrives once, signed the Standard Webhooks way; each lapse is announced once", () =>
  everyEventOnce("SQLite"));

test("PostgreSQL: every event type arrives once, signed; each lapse is announced once", () => everyEventOnce("PostgreSQL"));

test("a receiver that answers 500 for a while gets every event once it recovers: none is lost", async () => {
  const receiver = await new WebhookReceiver().start();
  receiver.failWith = 500;
  const server = await start(receiver.url);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await invite(server)).id);
    await waitUntil(
      async () => receiver.attempts > 10 && (await countPending(server.services.db.kysely)) === 10,
      "the events to be retried while the emails are out",
    );
    expect(receiver.attempts).toBeGreaterThan(10); // retried, not dropped
    expect(await countPending(server.services.db.kysely)).toBe(10); // the 5 emails are out; the 10 events wait
    const row = await server.services.db.kysely
      .selectFrom("outbox")
      .select(["attempts", "last_error"])
      .where("kind", "=", "webhook")
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBeGreaterThan(0);
    expect(row.last_error).toContain("answered 500");

    receiver.failWith = undefined;
    await receiver.waitFor((r) => r.length >= 10);
    await outboxDrained(server); // every message sent: nothing more can arrive
    expect(receiver.received.map(key).sort()).toEqual(ids.flatMap((id) => [`invitation.created ${id}`, `invitation.sent ${id}`]).sort());
    expect(receiver.received.every((w) => verify(w, SECRET))).toBe(true);
    expect(await countPending(server.services.db.kysely)).toBe(0);
  } finally {
    await server.close();
    await receiver.stop();
  }
});

test("the payload carries no personal data: no email, phone, name, metadata or link token", async () => {
  const receiver = await new WebhookReceiver().start();
  const server = await start(receiver.url);
  try {
    const email = "private.person@example.com";
    const phone = "+14155550142";
    await api(server.url, INVITE, {
      body: shopInvite({ email, metadata: { firstName: "Privatus", lastName: "Personne", companyName: "Secretcorp" } }),
    });
    await preRegister(server.url, preRegisterBody({ auth_type: "sms" }, { mobileNumber: phone, firstName: "Smsina" }));
    await receiver.waitFor((r) => r.length >= 4);
    const links = server.services.mailbox!.list().map((m) => tokenOf(m.link!));
    expect(links).toHaveLength(2);
    for (const w of receiver.received) {
      expect(Object.keys(w.event).sort()).toEqual(["data", "id", "occurredAt", "type"]);
      expect(
        Object.keys(w.event.data).every((k) =>
          ["invitationId", "store", "clientId", "organization", "status", "accountId", "invitedBy"].includes(k),
        ),
      ).toBe(true);
      for (const secret of [email, "private.person", phone, "4155550142", "Privatus", "Personne", "Secretcorp", "Smsina", ...links])
        expect(w.raw).not.toContain(secret);
    }
  } finally {
    await server.close();
    await receiver.stop();
  }
});

test("an endpoint subscribed to some events gets only those; a whsec_ secret signs with its decoded bytes", async () => {
  const all = await new WebhookReceiver().start();
  const some = await new WebhookReceiver().start();
  const whsec = `whsec_${randomBytes(32).toString("base64")}`;
  const server = await startTestServer({
    tenant: withWebhooks([
      { id: "all", url: all.url, secretEnv: "ALL_SECRET" },
      { id: "ops", url: some.url, secretEnv: "OPS_SECRET", events: ["invitation.revoked", "invitation.accepted"] },
    ]),
    env: { ALL_SECRET: SECRET, OPS_SECRET: whsec },
    workerOptions: { idleMs: 50, expirySweepMs: 50 },
  });
  try {
    const a = await invite(server);
    expect((await api(server.url, `${INVITE}/${a.id}`, { method: "DELETE" })).status).toBe(204);
    await all.waitFor((r) => r.length >= 3);
    await some.waitFor((r) => r.length >= 1);
    await outboxDrained(server); // every message sent: nothing more can arrive
    expect(all.types().sort()).toEqual(["invitation.created", "invitation.revoked", "invitation.sent"]);
    expect(some.types()).toEqual(["invitation.revoked"]);
    expect(verify(some.received[0]!, whsec)).toBe(true);
    // The same event, with its id, went to both.
    expect(some.received[0]!.event.id).toBe(all.received.find((w) => w.event.type === "invitation.revoked")!.event.id);
  } finally {
    await server.close();
    await all.stop();
    await some.stop();
  }
});

test("without webhooks configured no event is written", async () => {
  const server = await startTestServer();
  try {
    const a = await invite(server);
    await api(server.url, `${INVITE}/${a.id}`, { method: "DELETE" });
    const kinds = await server.services.db.kysely.selectFrom("outbox").select("kind").execute();
    expect(kinds.map((k) => k.kind)).toEqual(["email"]);
  } finally {
    await server.close();
  }
});

describe("configuration errors name the path or the variable", () => {
  function problemsOf(hooks: unknown): string {
    const raw = demoConfig();
    raw.webhooks = hooks;
    try {
      parseTenantConfig(raw, "tenant.json");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.join("\n");
    }
    throw new Error("expected the configuration to be refused");
  }
  const hook = { id: "crm", url: "https://crm.example/hooks", secretEnv: "CRM_WEBHOOK_SECRET" };

  test.each([
    ["an unknown event", [{ ...hook, events: ["invitation.opened"] }], "webhooks[0].events[0]"],
    ["a URL that is not http(s)", [{ ...hook, url: "ftp://crm.example" }], "webhooks[0].url"],
    ["a secret in the file", [{ ...hook, secret: "hunter2" }], "webhooks[0]"],
    ["a secretEnv that is no variable name", [{ ...hook, secretEnv: "my secret" }], "webhooks[0].secretEnv"],
    ["a duplicate id", [hook, { ...hook }], "duplicate webhook id 'crm'"],
    ["an event listed twice", [{ ...hook, events: ["invitation.sent", "invitation.sent"] }], "webhooks[0].events"],
  ])("refuses %s", (_name, hooks, where) => {
    expect(problemsOf(hooks)).toContain(where);
  });

  test("events default to all of them", () => {
    const tenant = withWebhooks([hook]);
    expect(tenant.config.webhooks[0]!.events).toHaveLength(7);
  });

  test("start-up fails naming the variable when the secret is missing or short", async () => {
    const tenant = withWebhooks([hook]);
    await expect(startTestServer({ tenant })).rejects.toThrow(
      /webhooks\[0\]\.secretEnv: the environment variable CRM_WEBHOOK_SECRET is not set/,
    );
    await expect(startTestServer({ tenant, env: { CRM_WEBHOOK_SECRET: "short" } })).rejects.toThrow(
      /CRM_WEBHOOK_SECRET must hold at least 32 characters/,
    );
  });
});
