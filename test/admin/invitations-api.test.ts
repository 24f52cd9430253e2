// The admin invitations API over real HTTP (docs/admin-api.md), creating: every rule, conflicts and
// hostile bodies, with a real SMTP listener receiving the messages. List, get, resend and revoke
// are in invitations-manage.test.ts.
import { acceptInvitation, tokenHashOf } from "../../server/invitations/activate.js";
import { invitationSchema } from "../../server/api/admin/schemas.js";
import { startTestServer, TestClock } from "../support/server.js";
import {
  api,
  countRows,
  createInvitation,
  partnerInvite,
  shopInvite,
  linkState,
  mailsTo,
  STORE_PATH,
  tokenOf,
  twoStoreTenant,
  uniqueEmail,
} from "./helpers.js";
import { useTestEnv } from "../support/env.js";

const INVITE = `${STORE_PATH}/invite`;

const mailTo = (email: string, count = 1) => mailsTo(smtp, email, count);

const { server, smtp } = useTestEnv({ tenant: twoStoreTenant() });

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
    expect(res.body.metadata).toEqual({
      givenName: "Ada",
      familyName: "Lovelace",
      firstName: "Ada",
      lastName: "Lovelace",
      jobTitle: "Analyst",
    });
    const stored = await server.services.db.kysely
      .selectFrom("invitations")
      .select("metadata")
      .where("id", "=", res.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.metadata)).toEqual({ firstName: "Ada", lastName: "Lovelace", jobTitle: "Analyst" });
  });

  test("duplicate roles and groups are kept once; a role's organization defaults to the invitation's", async () => {
    const res = await api(server.url, INVITE, {
      body: partnerInvite({
        roles: [{ id: "buyer" }, { id: "buyer", organization: "northwind" }, { id: "approver" }],
        groups: [{ id: "beta" }, { id: "beta" }],
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.roles).toEqual([
      { id: "buyer", organization: "northwind" },
      { id: "approver", organization: "northwind" },
    ]);
    expect(res.body.groups).toEqual([{ id: "beta" }]);
  });
});

describe("the identity store's configuration rules (400, naming the field; nothing created)", () => {
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
    [
      "a role that the organization does not have",
      partnerInvite({ roles: [{ id: "ceo", organization: "northwind" }] }),
      "roles.0.id",
      /does not exist in organization/,
    ],
    [
      "a role of another organization",
      partnerInvite({ roles: [{ id: "buyer", organization: "globex" }] }),
      "roles.0.organization",
      /northwind/,
    ],
    [
      "a role without an organization",
      shopInvite({ roles: [{ id: "buyer", organization: "northwind" }] }),
      "roles.0.organization",
      /only be assigned with an organization/,
    ],
    [
      "a group the store does not have",
      shopInvite({ groups: [{ id: "newsletter" }, { id: "vip" }] }),
      "groups.1.id",
      /does not exist in identity store/,
    ],
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

  test("an existing account: 409 when the policy locks the email, a join invitation for the account when it allows another email", async () => {
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

    // partners: inviteMethodReadOnly false, allowDifferentEmail true: the account is invited to
    // join (test/journey/join.test.ts follows it through).
    const join = await api(server.url, INVITE, { body: partnerInvite({ email }) });
    expect(join.status).toBe(201);
    expect(join.body).toMatchObject({ kind: "join", accountId: result.kind === "activated" ? result.accountId : "?" });
    expect((await mailTo(email, 1))[0]!.subject).toBe("Join Northwind at Acme");
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
