// POST /idp/v1/account/pre-register over real HTTP: every case of docs/pre-register.md's table.
import type { Services } from "../../server/services.js";
import { basicAuth } from "../support/config.js";
import { preRegister, preRegisterBody } from "../support/http.js";
import { outboxDrained, outboxRows } from "../support/outbox.js";
import { waitUntil } from "../support/wait.js";
import { SmsReceiver } from "../support/sms.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let smtp: SmtpListener;
let sms: SmsReceiver;
let n = 0;
const uniqueEmail = () => `user${++n}-${Date.now()}@example.com`;

async function counts(s: Services) {
  const db = s.db.kysely;
  const count = async (table: "accounts" | "invitations" | "outbox") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { accounts: await count("accounts"), invitations: await count("invitations"), outbox: await count("outbox") };
}

beforeAll(async () => {
  smtp = await startSmtp();
  sms = await new SmsReceiver().start();
  server = await startTestServer({ smtpUrl: smtp.url, smsWebhookUrl: sms.url });
});
afterAll(async () => {
  await server.close();
  await smtp.stop();
  await sms.stop();
});

describe("new user", () => {
  test("201 with the account UUID, a pending account and invitation, and an activation email with a journey link", async () => {
    const email = uniqueEmail();
    const res = await preRegister(server.url, preRegisterBody({}, { emailAddress: email, companyName: "Initech" }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);

    const account = await server.services.db.kysely
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", res.body.uuid)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ email, status: "pending", store: "customers", locale: "en-US" });
    expect(JSON.parse(account.profile)).toEqual({ firstName: "Jane", lastName: "Doe", companyName: "Initech" });
    const invitation = await server.services.db.kysely
      .selectFrom("invitations")
      .selectAll()
      .where("account_id", "=", res.body.uuid)
      .executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({
      status: "pending",
      channel: "email",
      client_id: "shop-web",
      redirect_uri: "https://shop.acme.example/callback",
    });

    const mail = (await waitForMailTo(email))[0]!;
    expect(mail.subject).toBe("Activate your Acme account");
    expect(mail.text).toContain("Hello Jane,");
    expect(mail.html).toContain("Activate account");
    expect(mail.link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{27}$`));
    // Only the token's hash is stored.
    const token = mail.link!.split("/").pop()!;
    expect(JSON.stringify(invitation)).not.toContain(token);
  });

  test("an SMS pre-register sends the short /i/ link to the mobile number", async () => {
    const phone = `+1415555${String(1000 + n++).slice(-4)}`;
    const before = sms.messages.length;
    const res = await preRegister(server.url, preRegisterBody({ auth_type: "sms" }, { emailAddress: undefined, mobileNumber: phone }));
    expect(res.status).toBe(201);
    const [message] = (await sms.waitFor(before + 1)).slice(before);
    expect(message).toMatchObject({ to: phone, locale: "en-US" });
    expect(message!.link).toMatch(new RegExp(`^${server.url}/i/[A-Za-z0-9_-]{27}$`));
    expect(message!.body).toContain("Acme");
  });

  test("locale picks the message language; without it the client's default_locale applies", async () => {
    const fr = uniqueEmail();
    expect((await preRegister(server.url, preRegisterBody({ locale: "fr-FR" }, { emailAddress: fr }))).status).toBe(201);
    expect((await waitForMailTo(fr))[0]!.subject).toBe("Activez votre compte Acme");

    // partner-portal's default_locale is fr-FR.
    const partner = uniqueEmail();
    const res = await preRegister(
      server.url,
      preRegisterBody(
        { client_id: "partner-portal", redirect_uri: "https://partners.acme.example/callback" },
        {
          emailAddress: partner,
          companyName: "Initech",
          addressLine1: "1 rue de la Paix",
          city: "Paris",
          postalCode: "75002",
          country: "FR",
        },
      ),
      { clientId: "partner-portal" },
    );
    expect(res.status).toBe(201);
    expect((await waitForMailTo(partner))[0]!.subject).toBe("Activez votre compte Acme");
  });

  test("without default_locale on the client, en-US", async () => {
    const local = await startTestServer({
      smtpUrl: smtp.url,
      tenant: (await import("../support/config.js")).tenantWith((c) => (c.applications[0].clients[0].defaultLocale = null)),
    });
    try {
      const email = uniqueEmail();
      expect((await preRegister(local.url, preRegisterBody({}, { emailAddress: email }))).status).toBe(201);
      expect((await waitForMailTo(email))[0]!.subject).toBe("Activate your Acme account");
    } finally {
      await local.close();
    }
  });
});

describe("user already exists", () => {
  test("resend false: 200 with the same UUID, account linked to the client, profile untouched, no message", async () => {
    const email = uniqueEmail();
    const first = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
    await waitForMailTo(email);
    const before = await counts(server.services);

    const partner = await preRegister(
      server.url,
      preRegisterBody(
        { client_id: "partner-portal", redirect_uri: "https://partners.acme.example/callback" },
        {
          emailAddress: email.toUpperCase(),
          firstName: "Mallory",
          lastName: "Evil",
          companyName: "X",
          addressLine1: "x",
          city: "x",
          postalCode: "1",
          country: "x",
        },
      ),
      { clientId: "partner-portal" },
    );
    expect(partner).toMatchObject({ status: 200, body: { uuid: first.body.uuid } });
    const account = await server.services.db.kysely
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", first.body.uuid)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(account.profile)).toEqual({ firstName: "Jane", lastName: "Doe" });
    const links = await server.services.db.kysely
      .selectFrom("account_clients")
      .select("client_id")
      .where("account_id", "=", first.body.uuid)
      .execute();
    expect(links.map((l) => l.client_id).sort()).toEqual(["partner-portal", "shop-web"]);
    expect(await counts(server.services)).toEqual(before);
    // The second client's pre-register queued no message: one in the outbox, sent once.
    expect(await outboxRows(server, { recipient: email })).toHaveLength(1);
    await outboxDrained(server, { recipient: email });
    expect(smtp.to(email)).toHaveLength(1);
  });

  test("resend true on a pending account: 200, a new link, and the earlier link stops working", async () => {
    const email = uniqueEmail();
    const first = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
    const [original] = await waitForMailTo(email);
    const again = await preRegister(server.url, preRegisterBody({ resend: true }, { emailAddress: email }));
    expect(again).toMatchObject({ status: 200, body: { uuid: first.body.uuid } });
    const mails = await waitForMailTo(email, 2);
    expect(mails[1]!.link).not.toBe(original!.link);

    const invitation = await server.services.db.kysely
      .selectFrom("invitations")
      .selectAll()
      .where("account_id", "=", first.body.uuid)
      .executeTakeFirstOrThrow();
    expect(invitation.resend_count).toBe(1);
    const { lookupLink, tokenHashOf } = await import("../../server/invitations/activate.js");
    expect((await lookupLink(server.services, tokenHashOf(original!.link!.split("/").pop()!))).kind).toBe("invalid");
    expect((await lookupLink(server.services, tokenHashOf(mails[1]!.link!.split("/").pop()!))).kind).toBe("valid");
  });

  test("a resend greets the invitee by the account's stored name, whatever names the call carries, and changes no profile", async () => {
    const email = uniqueEmail();
    const first = await preRegister(server.url, preRegisterBody({}, { emailAddress: email, firstName: "Jane", lastName: "Doe" }));
    await waitForMailTo(email);

    const renamed = await preRegister(
      server.url,
      preRegisterBody({ resend: true }, { emailAddress: email, firstName: "Mallory", lastName: "Evil" }),
    );
    expect(renamed).toMatchObject({ status: 200, body: { uuid: first.body.uuid } });
    const second = (await waitForMailTo(email, 2))[1]!;
    expect(second.text).toContain("Hello Jane,");
    expect(second.text).not.toContain("Mallory");

    // Only the identifier: the client's required firstName and lastName are not asked for again.
    const bare = await preRegister(
      server.url,
      preRegisterBody({ resend: true }, { emailAddress: email, firstName: undefined, lastName: undefined }),
    );
    expect(bare).toMatchObject({ status: 200, body: { uuid: first.body.uuid } });
    expect((await waitForMailTo(email, 3))[2]!.text).toContain("Hello Jane,");

    const account = await server.services.db.kysely
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", first.body.uuid)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(account.profile)).toEqual({ firstName: "Jane", lastName: "Doe" });
  });

  test("a resend after the invitation was revoked: the new invitation pre-fills the account's profile, not the call's", async () => {
    const { api, STORE_PATH } = await import("../admin/helpers.js");
    const email = uniqueEmail();
    const first = await preRegister(server.url, preRegisterBody({}, { emailAddress: email, firstName: "Jane", lastName: "Doe" }));
    await waitForMailTo(email);
    const db = server.services.db.kysely;
    const original = await db.selectFrom("invitations").select("id").where("account_id", "=", first.body.uuid).executeTakeFirstOrThrow();
    expect((await api(server.url, `${STORE_PATH}/invite/${original.id}`, { method: "DELETE" })).status).toBe(204);

    const res = await preRegister(server.url, preRegisterBody({ resend: true }, { emailAddress: email, firstName: "Mallory" }));
    expect(res).toMatchObject({ status: 200, body: { uuid: first.body.uuid } });
    expect((await waitForMailTo(email, 2))[1]!.text).toContain("Hello Jane,");
    const invitation = await db.selectFrom("invitations").selectAll().where("account_id", "=", first.body.uuid).executeTakeFirstOrThrow();
    expect(JSON.parse(invitation.metadata)).toEqual({ firstName: "Jane", lastName: "Doe" });
  });

  test("resend true without the identifier: 422 naming it", async () => {
    const res = await preRegister(
      server.url,
      preRegisterBody({ resend: true }, { emailAddress: undefined, firstName: undefined, lastName: undefined }),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: "profile_fields.emailAddress", message: "is required when auth_type is email" }]);
  });

  test("resend true on an activated account: 422 'Account is already verified', nothing sent", async () => {
    const email = uniqueEmail();
    const first = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
    await waitForMailTo(email);
    await server.services.db.kysely.updateTable("accounts").set({ status: "active" }).where("id", "=", first.body.uuid).execute();
    const before = await counts(server.services);
    const res = await preRegister(server.url, preRegisterBody({ resend: true }, { emailAddress: email }));
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ title: "Invalid User - Account is already verified", status: 422 });
    expect(await counts(server.services)).toEqual(before);
  });

  test("resend true for nobody: 422 'Account doesn't exist', nothing created", async () => {
    const before = await counts(server.services);
    const res = await preRegister(server.url, preRegisterBody({ resend: true }, { emailAddress: uniqueEmail() }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ title: "Invalid User - Account doesn't exist", status: 422 });
    expect(await counts(server.services)).toEqual(before);
  });
});

describe("invalid parameters: 422 listing every bad field, nothing changed", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    [
      "missing everything",
      { scope: undefined, redirect_uri: undefined, auth_type: undefined, grant_type: undefined, profile_fields: undefined },
      {},
      ["scope", "redirect_uri", "auth_type", "grant_type", "profile_fields"],
    ],
    ["scope without openid", { scope: "profile email" }, {}, ["scope"]],
    ["unregistered redirect_uri", { redirect_uri: "https://evil.example/callback" }, {}, ["redirect_uri"]],
    ["auth_type not allowed", { auth_type: "carrier-pigeon" }, {}, ["auth_type"]],
    ["grant_type other than password", { grant_type: "client_credentials" }, {}, ["grant_type"]],
    ["client's required field missing", {}, { lastName: undefined }, ["profile_fields.lastName"]],
    ["email missing for auth_type email", {}, { emailAddress: undefined }, ["profile_fields.emailAddress"]],
    ["not an email", {}, { emailAddress: "not-an-email" }, ["profile_fields.emailAddress"]],
    ["mobile not E.164 for sms", { auth_type: "sms" }, { mobileNumber: "0612345678" }, ["profile_fields.mobileNumber"]],
    ["wrong types", { resend: "yes", locale: 42 }, { firstName: 7 }, ["resend", "locale", "profile_fields.firstName"]],
    ["bad locale tag", { locale: "english" }, {}, ["locale"]],
    ["unknown top-level and profile fields", { admin: true }, { isAdmin: "yes" }, ["admin", "profile_fields.isAdmin"]],
    ["huge string", {}, { firstName: "A".repeat(5000) }, ["profile_fields.firstName"]],
    [
      "shape and client rules at once",
      { grant_type: "x", redirect_uri: "https://evil.example/cb" },
      { lastName: undefined },
      ["grant_type", "redirect_uri", "profile_fields.lastName"],
    ],
  ];
  test.each(cases)("%s", async (_name, overrides, profile, fields) => {
    const before = await counts(server.services);
    const res = await preRegister(server.url, preRegisterBody(overrides, { emailAddress: uniqueEmail(), ...profile }));
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ title: "Invalid parameters", status: 422, type: expect.any(String) });
    const reported = (res.body.errors as { field: string; message: string }[]).map((e) => e.field);
    for (const f of fields) expect(reported).toContain(f);
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    expect(await counts(server.services)).toEqual(before);
  });

  test("SQL and script fragments are stored as plain data, never run", async () => {
    const email = uniqueEmail();
    const evil = "Robert'); DROP TABLE accounts;--<script>alert(1)</script>";
    const res = await preRegister(server.url, preRegisterBody({}, { emailAddress: email, firstName: evil }));
    expect(res.status).toBe(201);
    const account = await server.services.db.kysely
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", res.body.uuid)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(account.profile).firstName).toBe(evil);
    const mail = (await waitForMailTo(email))[0]!;
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
  });
});

describe("forbidden: 403 with no hint of which part was wrong", () => {
  const body = () => preRegisterBody({}, { emailAddress: uniqueEmail() });
  const cases: [string, () => Promise<Awaited<ReturnType<typeof preRegister>>>][] = [
    ["no credentials", () => preRegister(server.url, body(), { authorization: "" })],
    ["wrong secret", () => preRegister(server.url, body(), { secret: "wrong" })],
    ["unknown client", () => preRegister(server.url, body(), { clientId: "nobody", secret: "x" })],
    ["bearer instead of basic", () => preRegister(server.url, body(), { authorization: "Bearer demo-shop-secret" })],
    ["garbage header", () => preRegister(server.url, body(), { authorization: "Basic !!!" })],
    [
      "broken percent-escape in the client id",
      () => preRegister(server.url, body(), { authorization: basicAuth("shop%E0%A4%A-web", "demo-shop-secret") }),
    ],
    [
      "body client_id differs",
      () => preRegister(server.url, preRegisterBody({ client_id: "partner-portal" }, { emailAddress: uniqueEmail() })),
    ],
  ];
  test.each(cases)("%s", async (_name, call) => {
    const before = await counts(server.services);
    const res = await call();
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ type: "/problems/forbidden", title: "Forbidden", status: 403, detail: "The request is not allowed." });
    expect(await counts(server.services)).toEqual(before);
  });

  test("a disabled client", async () => {
    const { tenantWith } = await import("../support/config.js");
    const local = await startTestServer({ tenant: tenantWith((c) => (c.applications[0].clients[0].enabled = false)) });
    try {
      const res = await preRegister(local.url, body());
      expect(res.status).toBe(403);
      expect(res.body.title).toBe("Forbidden");
    } finally {
      await local.close();
    }
  });
});

describe("malformed requests", () => {
  test("broken JSON: 400", async () => {
    const res = await preRegister(server.url, null, { raw: '{"client_id": "shop-web",' });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
  test("wrong content type: 415", async () => {
    const res = await preRegister(server.url, null, { raw: "client_id=shop-web", contentType: "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(res.body.title).toBe("Unsupported Media Type");
  });
  test("body over the size limit: 413", async () => {
    const res = await preRegister(server.url, preRegisterBody({}, { firstName: "x".repeat(40_000) }));
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
  });
  test("an empty body: 400", async () => {
    const res = await preRegister(server.url, null, { raw: "" });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe("The body is not valid JSON.");
  });
  test.each(["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"])("%s: 405 with Allow: POST, nothing changed", async (method) => {
    const before = await counts(server.services);
    const res = await fetch(`${server.url}/idp/v1/account/pre-register`, {
      method,
      headers: { authorization: basicAuth("shop-web", "demo-shop-secret") },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    if (method !== "HEAD") expect(await res.json()).toMatchObject({ status: 405, title: "Method Not Allowed" });
    expect(await counts(server.services)).toEqual(before);
  });
  test("a JSON array or a string is invalid parameters", async () => {
    for (const raw of ["[]", '"hello"', "null"]) {
      const res = await preRegister(server.url, null, { raw });
      expect(res.status).toBe(422);
    }
  });
});

test("concurrent pre-registers of one email create exactly one account, and every caller gets its UUID", async () => {
  const email = uniqueEmail();
  const results = await Promise.all(
    Array.from({ length: 12 }, () => preRegister(server.url, preRegisterBody({}, { emailAddress: email }))),
  );
  const uuids = new Set(results.map((r) => r.body.uuid));
  expect(uuids.size).toBe(1);
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  expect(results.filter((r) => r.status === 200)).toHaveLength(11);
  const accounts = await server.services.db.kysely.selectFrom("accounts").select("id").where("email", "=", email).execute();
  expect(accounts).toHaveLength(1);
  await waitForMailTo(email);
  expect(await outboxRows(server, { recipient: email })).toHaveLength(1);
  await outboxDrained(server, { recipient: email });
  expect(smtp.to(email)).toHaveLength(1);
});

test("the per-client rate limit answers 429 with Retry-After", async () => {
  const { tenantWith } = await import("../support/config.js");
  const local = await startTestServer({ tenant: tenantWith((c) => (c.applications[0].clients[0].rateLimitPerMinute = 3)) });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await preRegister(local.url, preRegisterBody({}, { emailAddress: uniqueEmail() }));
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect(res.body.title).toBe("Too Many Requests");
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Another client has its own budget.
    const partner = await preRegister(
      local.url,
      preRegisterBody(
        { client_id: "partner-portal", redirect_uri: "https://partners.acme.example/callback" },
        { emailAddress: uniqueEmail(), companyName: "c", addressLine1: "a", city: "c", postalCode: "1", country: "FR" },
      ),
      { clientId: "partner-portal" },
    );
    expect(partner.status).toBe(201);
  } finally {
    await local.close();
  }
});

test("responses carry no PII beyond the UUID, and logs carry none at all", async () => {
  const lines: string[] = [];
  const { createLogger } = await import("../../server/lib/logger.js");
  const local = await startTestServer({ log: createLogger((l) => lines.push(l)), smtpUrl: smtp.url });
  try {
    const email = uniqueEmail();
    const created = await preRegister(local.url, preRegisterBody({}, { emailAddress: email, firstName: "Zelda" }));
    expect(JSON.stringify(created.body)).not.toContain(email);
    const bad = await preRegister(local.url, preRegisterBody({ scope: "x" }, { emailAddress: email, firstName: "Zelda" }));
    expect(JSON.stringify(bad.body)).not.toContain(email);
    await waitForMailTo(email);
    await outboxDrained(local, { recipient: email }); // its delivery logged too
    expect(lines.length).toBeGreaterThan(0);
    const logs = lines.join("\n");
    expect(logs).not.toContain(email);
    expect(logs).not.toContain("Zelda");
  } finally {
    await local.close();
  }
});

async function waitForMailTo(address: string, count = 1) {
  await waitUntil(() => smtp.to(address).length >= count, `${count} mail(s) to ${address}`);
  return smtp.to(address);
}

test("a Basic header with a percent-encoded client id still authenticates", async () => {
  const res = await preRegister(server.url, preRegisterBody({}, { emailAddress: uniqueEmail() }), {
    authorization: basicAuth("shop%2Dweb", "demo-shop-secret"),
  });
  expect(res.status).toBe(201);
});
