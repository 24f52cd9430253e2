// The admin invitations API over real HTTP (SPEC section 4): create with every rule, list, get,
// resend, revoke, with a real SMTP listener receiving the messages.
import { acceptInvitation, lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { invitationSchema } from "../../server/api/admin/schemas.js";
import { tenantWith } from "../support/config.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";
import { api, countRows, createInvitation, partnerInvite, shopInvite, STORE_PATH, tokenOf, uniqueEmail } from "./helpers.js";

let server: TestServer;
let smtp: SmtpListener;

const INVITE = `${STORE_PATH}/invite`;

async function mailTo(email: string, count = 1) {
  const deadline = Date.now() + 15_000;
  while (smtp.to(email).length < count) {
    if (Date.now() > deadline) throw new Error(`no mail to ${email}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return smtp.to(email);
}

async function linkState(s: TestServer, link: string) {
  return (await lookupLink(s.services, tokenHashOf(tokenOf(link)))).kind;
}

/** What the invitee sees when opening the link: the journey's page. */
async function openLink(link: string) {
  const res = await fetch(link, { redirect: "manual" });
  return { status: res.status, text: (await res.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ") };
}

beforeAll(async () => {
  smtp = await startSmtp();
  // A second store, to show that an invitation id of one store is not found through another.
  const tenant = tenantWith((c) => {
    c.identityStores.push({ name: "staff", identifiers: ["EMAIL"], groups: [{ id: "ops", name: "Ops" }] });
    c.applications.push({
      id: "intranet",
      name: "Intranet",
      store: "staff",
      brand: "acme",
      clients: [{ clientId: "intranet-web", secretHash: `sha256:${"0".repeat(64)}`, type: "oauth2", redirectUris: ["https://intranet.example/cb"] }],
    });
  });
  server = await startTestServer({ smtpUrl: smtp.url, tenant });
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
});

describe("create", () => {
  test("201 with the invitation, a Location, and an activation email whose link is live", async () => {
    const body = partnerInvite();
    const res = await api(server.url, INVITE, { body });
    expect(res.status).toBe(201);
    expect(invitationSchema.parse(res.body)).toBeTruthy();
    expect(res.body).toMatchObject({
      store: "customers",
      clientId: "partner-portal",
      email: body.email,
      language: "en-US",
      organization: "northwind",
      roles: [{ id: "buyer", organization: "northwind" }],
      groups: [{ id: "newsletter" }],
      metadata: { givenName: "Pat", familyName: "Partner", firstName: "Pat", lastName: "Partner", companyName: "Northwind Traders" },
      accountId: null,
      status: "pending",
      resendCount: 0,
    });
    expect(res.body.invitationUrl).toBeUndefined();
    expect(Date.parse(res.body.sent)).not.toBeNaN();
    // Valid for the store's invitationTtlHours (168) from when it was sent.
    expect(Math.abs(Date.parse(res.body.validUntil) - Date.parse(res.body.sent) - 168 * 3_600_000)).toBeLessThan(1000);
    expect(res.headers.get("location")).toBe(`${INVITE}/${res.body.id}`);

    const [mail] = await mailTo(body.email as string);
    expect(mail!.subject).toBe("Activate your Acme account");
    expect(mail!.text).toContain("Hello Pat,");
    expect(mail!.link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{27}$`));
    expect(await linkState(server, mail!.link!)).toBe("valid");
  });

  test("the email is trimmed and lower-cased, language defaults to en-US, and the message follows the language", async () => {
    const email = uniqueEmail("Mixed");
    const res = await api(server.url, INVITE, { body: { clientId: "shop-web", email: `  ${email.toUpperCase()} ` } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: email.toLowerCase(), language: "en-US", organization: null, roles: [], groups: [] });

    const fr = uniqueEmail();
    expect((await api(server.url, INVITE, { body: shopInvite({ email: fr, language: "fr-FR" }) })).status).toBe(201);
    expect((await mailTo(fr))[0]!.subject).toBe("Activez votre compte Acme");
  });

  test("sendEmail false: nothing is sent, the response carries a working invitationUrl", async () => {
    const email = uniqueEmail();
    const outboxBefore = await countRows(server, "outbox");
    const res = await api(server.url, INVITE, { body: shopInvite({ email, sendEmail: false }) });
    expect(res.status).toBe(201);
    expect(res.body.sent).toBeNull();
    expect(res.body.invitationUrl).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{27}$`));
    expect(await linkState(server, res.body.invitationUrl)).toBe("valid");
    expect(await countRows(server, "outbox")).toBe(outboxBefore);
    // The link is shown once: reading the invitation never reveals it again.
    const again = await api(server.url, `${INVITE}/${res.body.id}`);
    expect(again.body.invitationUrl).toBeUndefined();
  });

  test("profile field names are accepted in metadata as well as givenName/familyName", async () => {
    const res = await api(server.url, INVITE, {
      body: shopInvite({ metadata: { firstName: "Ada", lastName: "Lovelace", jobTitle: "Analyst" } }),
    });
    expect(res.status).toBe(201);
    expect(res.body.metadata).toEqual({ givenName: "Ada", familyName: "Lovelace", firstName: "Ada", lastName: "Lovelace", jobTitle: "Analyst" });
    const stored = await server.services.db.kysely.selectFrom("invitations").select("metadata").where("id", "=", res.body.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.metadata)).toEqual({ firstName: "Ada", lastName: "Lovelace", jobTitle: "Analyst" });
  });

  test("duplicate roles and groups are kept once; a role's organization defaults to the invitation's", async () => {
    const res = await api(server.url, INVITE, {
      body: partnerInvite({ roles: [{ id: "buyer" }, { id: "buyer", organization: "northwind" }, { id: "approver" }], groups: [{ id: "beta" }, { id: "beta" }] }),
    });
    expect(res.status).toBe(201);
    expect(res.body.roles).toEqual([
      { id: "buyer", organization: "northwind" },
      { id: "approver", organization: "northwind" },
    ]);
    expect(res.body.groups).toEqual([{ id: "beta" }]);
  });
});

describe("rules of SPEC section 4 (400, naming the field; nothing created)", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["a SAML2 client", shopInvite({ clientId: "shop-saml" }), "clientId", /only OAuth2\/OIDC clients/],
    ["an unknown client", shopInvite({ clientId: "nope" }), "clientId", /does not exist/],
    ["a client of another identity store", shopInvite({ clientId: "intranet-web" }), "clientId", /another identity store/],
    [
      "an organizational invitation through a client of a non-organizational application",
      shopInvite({ organization: "northwind" }),
      "clientId",
      /organizational application/,
    ],
    [
      "a non-organizational invitation through a client of an organizational application",
      partnerInvite({ organization: undefined, roles: [] }),
      "clientId",
      /non-organizational application/,
    ],
    ["an unknown organization", partnerInvite({ organization: "globex", roles: [] }), "organization", /does not exist/],
    ["a role that the organization does not have", partnerInvite({ roles: [{ id: "ceo", organization: "northwind" }] }), "roles.0.id", /does not exist in organization/],
    ["a role of another organization", partnerInvite({ roles: [{ id: "buyer", organization: "globex" }] }), "roles.0.organization", /northwind/],
    ["a role without an organization", shopInvite({ roles: [{ id: "buyer", organization: "northwind" }] }), "roles.0.organization", /only be assigned with an organization/],
    ["a group the store does not have", shopInvite({ groups: [{ id: "newsletter" }, { id: "vip" }] }), "groups.1.id", /does not exist in identity store/],
  ];
  test.each(cases)("%s", async (_name, body, field, message) => {
    const before = await countRows(server, "invitations");
    const res = await api(server.url, INVITE, { body });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: "Invalid invitation" });
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message) }));
    expect(await countRows(server, "invitations")).toBe(before);
  });

  test("every broken rule is listed at once", async () => {
    const res = await api(server.url, INVITE, {
      body: partnerInvite({ clientId: "shop-saml", roles: [{ id: "ceo" }], groups: [{ id: "vip" }] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["clientId", "groups.0.id", "roles.0.id"]);
  });
});

describe("conflicts (409)", () => {
  test("a pending invitation for the same email (any case) gives conflictingId", async () => {
    const email = uniqueEmail();
    const first = await createInvitation(server, shopInvite({ email }));
    const res = await api(server.url, INVITE, { body: partnerInvite({ email: email.toUpperCase() }) });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, conflictingId: first.id });
    expect(res.body.errors).toEqual([{ field: "email", message: expect.any(String) }]);
  });

  test("two concurrent creations for one email: one invitation, one 409", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api(server.url, INVITE, { body: i % 2 ? shopInvite({ email }) : partnerInvite({ email }) })),
    );
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(5);
    for (const c of conflicts) expect(c.body.conflictingId).toBe(created[0]!.body.id);
    const rows = await server.services.db.kysely.selectFrom("invitations").select("id").where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
  });

  test("an existing account: 409 when the policy locks the email, an invitation when it allows another email", async () => {
    const email = uniqueEmail("existing");
    // The account comes from an accepted invitation.
    const sent = await createInvitation(server, shopInvite({ email, sendEmail: false }));
    const result = await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(sent.invitationUrl))!,
      password: "correct horse battery staple",
      profile: { firstName: "Ex", lastName: "Isting" },
      locale: "en-US",
    });
    expect(result.kind).toBe("activated");

    // shop: inviteMethodReadOnly true, allowDifferentEmail false.
    const refused = await api(server.url, INVITE, { body: shopInvite({ email }) });
    expect(refused.status).toBe(409);
    expect(refused.body.conflictingId).toBeUndefined();
    expect(refused.body.errors).toEqual([{ field: "email", message: "already belongs to an account in this identity store" }]);

    // partners: inviteMethodReadOnly false, allowDifferentEmail true: the invitation is sent.
    expect((await api(server.url, INVITE, { body: partnerInvite({ email }) })).status).toBe(201);
  });

  test("an expired invitation does not block a new one, and stays listed as expired", async () => {
    const clock = new TestClock();
    const local = await startTestServer({ clock });
    try {
      const email = uniqueEmail();
      const old = await createInvitation(local, shopInvite({ email, sendEmail: false }));
      clock.advanceHours(169);
      const fresh = await createInvitation(local, shopInvite({ email, sendEmail: false }));
      expect(fresh.id).not.toBe(old.id);
      expect((await api(local.url, `${INVITE}/${old.id}`)).body.status).toBe("expired");
      const expired = await api(local.url, `${INVITE}?status=expired`);
      expect(expired.body.items.map((i: { id: string }) => i.id)).toEqual([old.id]);
    } finally {
      await local.close();
    }
  });
});

describe("malformed and hostile bodies (422 naming the field, 400/413/415; nothing created)", () => {
  const unprocessable: [string, unknown, string][] = [
    ["an unknown field", shopInvite({ isAdmin: true }), "isAdmin"],
    ["an unknown metadata field", shopInvite({ metadata: { givenName: "A", password: "x" } }), "metadata.password"],
    ["an unknown field in a role", partnerInvite({ roles: [{ id: "buyer", level: 9 }] }), "roles.0.level"],
    ["a missing clientId", { email: uniqueEmail() }, "clientId"],
    ["a missing email", { clientId: "shop-web" }, "email"],
    ["an email that is not one", shopInvite({ email: "not-an-email" }), "email"],
    ["an email with a line break", shopInvite({ email: "a@example.com\r\nBcc: b@example.com" }), "email"],
    ["a language that is not xx-XX", shopInvite({ language: "english" }), "language"],
    ["a lower-case region", shopInvite({ language: "en-us" }), "language"],
    ["roles that are not a list", partnerInvite({ roles: "buyer" }), "roles"],
    ["a group without id", shopInvite({ groups: [{}] }), "groups.0.id"],
    ["sendEmail as a string", shopInvite({ sendEmail: "false" }), "sendEmail"],
    ["a metadata value that is not text", shopInvite({ metadata: { givenName: { $gt: "" } } }), "metadata.givenName"],
    ["givenName and firstName that differ", shopInvite({ metadata: { givenName: "A", firstName: "B" } }), "metadata.givenName"],
    ["an over-long name", shopInvite({ metadata: { givenName: "x".repeat(201) } }), "metadata.givenName"],
    ["a body that is a list", [shopInvite()], "(body)"],
    ["a body that is null", null, "(body)"],
    ["a clientId with a path in it", shopInvite({ clientId: "../../etc/passwd" }), "clientId"],
  ];
  test.each(unprocessable)("422 for %s", async (_name, body, field) => {
    const before = await countRows(server, "invitations");
    const res = await api(server.url, INVITE, { body });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ title: "Invalid parameters", status: 422 });
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field }));
    expect(await countRows(server, "invitations")).toBe(before);
  });

  test("__proto__ in the body is an unknown field, and pollutes nothing", async () => {
    const res = await api(server.url, INVITE, { raw: `{"clientId":"shop-web","email":"${uniqueEmail()}","__proto__":{"isAdmin":true}}` });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: "__proto__" }));
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  test("malformed JSON 400, wrong content type 415, too large 413", async () => {
    expect((await api(server.url, INVITE, { raw: "{not json" })).status).toBe(400);
    const form = await api(server.url, INVITE, { raw: "clientId=shop-web", contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect(form.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const huge = await api(server.url, INVITE, { body: shopInvite({ metadata: { givenName: "x".repeat(40_000) } }) });
    expect(huge.status).toBe(413);
  });
});

describe("list and get", () => {
  const org = "northwind";

  test("filters by status, email and organization; pages; sorts", async () => {
    const tag = `list${Date.now()}`;
    const emails = ["c", "a", "b"].map((p) => `${p}-${tag}@example.com`);
    for (const email of emails) await createInvitation(server, partnerInvite({ email, sendEmail: false }));

    const byEmail = await api(server.url, `${INVITE}?email=${encodeURIComponent(emails[1]!.toUpperCase())}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ page: 0, size: 20, total: 1 });
    expect(byEmail.body.items[0].email).toBe(emails[1]);

    const all = await api(server.url, `${INVITE}?organization=${org}&status=pending&size=100&sort=email,asc`);
    const mine = all.body.items.map((i: { email: string }) => i.email).filter((e: string) => e.includes(tag));
    expect(mine).toEqual([...emails].sort());
    for (const item of all.body.items) expect(item).toMatchObject({ organization: org, status: "pending" });

    const page0 = await api(server.url, `${INVITE}?size=2&page=0&sort=created,desc`);
    const page1 = await api(server.url, `${INVITE}?size=2&page=1&sort=created,desc`);
    expect(page0.body.items).toHaveLength(2);
    expect(page1.body).toMatchObject({ page: 1, size: 2, total: page0.body.total });
    expect(page1.body.items[0].id).not.toBe(page0.body.items[0].id);
    expect(page0.body.items[0].id).not.toBe(page0.body.items[1].id);

    const none = await api(server.url, `${INVITE}?status=done&organization=no-such-org`);
    expect(none.body).toMatchObject({ items: [], total: 0 });
  });

  test("bad query parameters are 422 naming them", async () => {
    for (const [query, field] of [
      ["status=accepted", "status"],
      ["size=0", "size"],
      ["size=1000", "size"],
      ["page=-1", "page"],
      ["page=abc", "page"],
      ["sort=password", "sort"],
      ["status=pending&status=done", "status"],
    ] as const) {
      const res = await api(server.url, `${INVITE}?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.errors, query).toContainEqual(expect.objectContaining({ field }));
    }
  });

  test("get: 200 for an invitation of this store; 404 for unknown ids and for another store's id", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const got = await api(server.url, `${INVITE}/${inv.id}`);
    expect(got.status).toBe(200);
    const { invitationUrl: _shownOnce, ...rest } = inv;
    expect(got.body).toEqual(rest);

    expect((await api(server.url, `${INVITE}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await api(server.url, `${INVITE}/${"x".repeat(5000)}`)).status).toBe(404);
    const other = await api(server.url, `/admin/api/v1/identityStores/staff/invite/${inv.id}`);
    expect(other.status).toBe(404);
    expect((await api(server.url, `/admin/api/v1/identityStores/staff/invite/${inv.id}/resend`, { method: "POST" })).status).toBe(404);
    expect((await api(server.url, `/admin/api/v1/identityStores/staff/invite/${inv.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api(server.url, `${INVITE}/${inv.id}`)).status).toBe(200);
  });

  test("an unknown identity store is 404", async () => {
    const res = await api(server.url, "/admin/api/v1/identityStores/nope/invite", { body: shopInvite() });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});

describe("resend", () => {
  test("a new link: the old one dies, validUntil moves, resendCount counts, a message goes out", async () => {
    const clock = new TestClock();
    const local = await startTestServer({ smtpUrl: smtp.url, clock });
    try {
      const email = uniqueEmail("resend");
      const inv = await createInvitation(local, shopInvite({ email }));
      const [first] = await mailTo(email);
      clock.advanceHours(2);
      const res = await api(local.url, `${INVITE}/${inv.id}/resend`, { method: "POST" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: inv.id, status: "pending", resendCount: 1 });
      expect(Date.parse(res.body.validUntil) - Date.parse(inv.validUntil)).toBe(2 * 3_600_000);
      const mails = await mailTo(email, 2);
      expect(mails[1]!.link).not.toBe(first!.link);
      expect(await linkState(local, first!.link!)).toBe("invalid");
      expect(await linkState(local, mails[1]!.link!)).toBe("valid");
      const old = await openLink(first!.link!);
      expect(old.status).toBe(404);
      expect(old.text).toContain("This link is no longer valid");
      const fresh = await openLink(mails[1]!.link!);
      expect(fresh.status).toBe(200);
      expect(fresh.text).toContain("Activate Account");

      const twice = await api(local.url, `${INVITE}/${inv.id}/resend`, { body: {} });
      expect(twice.body.resendCount).toBe(2);
    } finally {
      await local.close();
    }
  });

  test("an expired invitation is revived: same record, pending again, with a live link", async () => {
    const clock = new TestClock();
    const local = await startTestServer({ clock });
    try {
      const inv = await createInvitation(local, shopInvite({ sendEmail: false }));
      clock.advanceHours(200);
      expect(await linkState(local, inv.invitationUrl)).toBe("expired");
      expect((await api(local.url, `${INVITE}/${inv.id}`)).body.status).toBe("expired");

      const res = await api(local.url, `${INVITE}/${inv.id}/resend`, { body: { sendEmail: false } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: inv.id, status: "pending", resendCount: 1 });
      expect(await linkState(local, res.body.invitationUrl)).toBe("valid");
      expect(await linkState(local, inv.invitationUrl)).toBe("invalid");
      expect((await api(local.url, `${INVITE}?status=pending`)).body.items.map((i: { id: string }) => i.id)).toEqual([inv.id]);
    } finally {
      await local.close();
    }
  });

  test("an expired invitation whose email was invited again meanwhile is not revived (409 naming the new one)", async () => {
    const clock = new TestClock();
    const local = await startTestServer({ clock });
    try {
      const email = uniqueEmail();
      const old = await createInvitation(local, shopInvite({ email, sendEmail: false }));
      clock.advanceHours(200);
      const fresh = await createInvitation(local, shopInvite({ email, sendEmail: false }));
      const res = await api(local.url, `${INVITE}/${old.id}/resend`, { method: "POST" });
      expect(res.status).toBe(409);
      expect(res.body.conflictingId).toBe(fresh.id);
    } finally {
      await local.close();
    }
  });

  test("404 for an unknown invitation; 409 for an accepted one; 422 for an unknown body field", async () => {
    expect((await api(server.url, `${INVITE}/00000000-0000-0000-0000-000000000000/resend`, { method: "POST" })).status).toBe(404);
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const bad = await api(server.url, `${INVITE}/${inv.id}/resend`, { body: { channel: "sms" } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: "channel" }));

    await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
      password: "correct horse battery staple",
      profile: { firstName: "A", lastName: "B" },
      locale: "en-US",
    });
    const res = await api(server.url, `${INVITE}/${inv.id}/resend`, { method: "POST" });
    expect(res.status).toBe(409);
  });

  test("a client with resendInvite false refuses (400 naming clientId)", async () => {
    const local = await startTestServer({ tenant: tenantWith((c) => (c.applications[0].clients[0].resendInvite = false)) });
    try {
      const inv = await createInvitation(local, shopInvite({ sendEmail: false }));
      const res = await api(local.url, `${INVITE}/${inv.id}/resend`, { method: "POST" });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: "clientId" })]);
    } finally {
      await local.close();
    }
  });
});

describe("revoke", () => {
  test("204; gone from get and list; its link is dead at once; revoking again is 404", async () => {
    const email = uniqueEmail("revoke");
    const inv = await createInvitation(server, shopInvite({ email }));
    const [mail] = await mailTo(email);
    expect(await linkState(server, mail!.link!)).toBe("valid");

    const res = await api(server.url, `${INVITE}/${inv.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await linkState(server, mail!.link!)).toBe("invalid");
    const page = await openLink(mail!.link!);
    expect(page.status).toBe(404);
    expect(page.text).toContain("This link is no longer valid");
    expect((await api(server.url, `${INVITE}/${inv.id}`)).status).toBe(404);
    expect((await api(server.url, `${INVITE}?email=${encodeURIComponent(email)}`)).body.total).toBe(0);
    expect((await api(server.url, `${INVITE}/${inv.id}`, { method: "DELETE" })).status).toBe(404);
    // The email can be invited again.
    expect((await api(server.url, INVITE, { body: shopInvite({ email }) })).status).toBe(201);
  });

  test("an accepted invitation is kept (409)", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
      password: "correct horse battery staple",
      profile: {},
      locale: "en-US",
    });
    expect((await api(server.url, `${INVITE}/${inv.id}`, { method: "DELETE" })).status).toBe(409);
    expect((await api(server.url, `${INVITE}/${inv.id}`)).body.status).toBe("done");
  });

  test("other methods are 405 with Allow", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const put = await api(server.url, `${INVITE}/${inv.id}`, { method: "PUT", body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, DELETE");
  });
});
