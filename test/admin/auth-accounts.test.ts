// Admin tokens and scopes on every endpoint, what an accepted invitation produces (seen through the
// accounts endpoints), and the OpenAPI document.
import { acceptInvitation, tokenHashOf } from "../../server/invitations/activate.js";
import { accountSchema } from "../../server/api/admin/schemas.js";
import { DEMO_READONLY_TOKEN, secretHash, tenantWith } from "../support/config.js";
import { createLogger } from "../../server/lib/logger.js";
import { useTestServer } from "../support/env.js";
import { HttpClient } from "../support/http.js";
import { api, countRows, createInvitation, partnerInvite, shopInvite, STORE_PATH, tokenOf, uniqueEmail } from "./helpers.js";

const logLines: string[] = [];
const WRITE_ONLY_TOKEN = "write-only-token-0123456789abcdef";

const server = useTestServer({
  log: createLogger((line) => logLines.push(line)),
  tenant: tenantWith((c) => {
    c.adminTokens.push({ name: "writer", hash: secretHash(WRITE_ONLY_TOKEN), scopes: ["write:account"] });
    c.identityStores.push({ name: "staff", identifiers: ["EMAIL"] });
  }),
});

async function accept(invitationUrl: string, extra: { email?: string; profile?: Record<string, string> } = {}) {
  const result = await acceptInvitation(server.services, {
    tokenHash: tokenHashOf(tokenOf(invitationUrl))!,
    password: "correct horse battery staple",
    profile: extra.profile ?? { firstName: "Pat", lastName: "Partner" },
    email: extra.email,
    locale: "fr-FR",
  });
  if (result.kind !== "activated") throw new Error(`not activated: ${result.kind}`);
  return result;
}

describe("admin tokens", () => {
  const endpoints = (id: string): [string, string, unknown?][] => [
    ["POST", `${STORE_PATH}/invite`, shopInvite()],
    ["POST", `${STORE_PATH}/invite/batch`, { invitations: [shopInvite()] }],
    ["GET", `${STORE_PATH}/invite`],
    ["GET", `${STORE_PATH}/invite/${id}`],
    ["POST", `${STORE_PATH}/invite/${id}/resend`],
    ["DELETE", `${STORE_PATH}/invite/${id}`],
    ["GET", `${STORE_PATH}/accounts`],
    ["GET", `${STORE_PATH}/accounts/${id}`],
  ];

  test("401 with a Bearer challenge without a token, with a wrong one, or with another scheme", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    for (const [method, path, body] of endpoints(inv.id)) {
      for (const authorization of [undefined, "Bearer wrong-token", "Basic ZGVtby1hZG1pbi10b2tlbjo=", "Bearer ", "demo-admin-token"]) {
        const res = await api(server.url, path, { method, body, token: null, authorization });
        expect(res.status, `${method} ${path} ${authorization}`).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="admin"/);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
    }
    // Nothing was revoked or resent by any of them.
    expect((await api(server.url, `${STORE_PATH}/invite/${inv.id}`)).body).toMatchObject({ status: "pending", resendCount: 0 });
  });

  test("a read-only token reads, and gets 403 naming the scope for every change, which does not happen", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const before = await countRows(server, "invitations");
    for (const [method, path, body] of endpoints(inv.id)) {
      const res = await api(server.url, path, { method, body, token: DEMO_READONLY_TOKEN });
      if (method === "GET") {
        expect([200, 404], `${method} ${path}`).toContain(res.status);
      } else {
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body).toMatchObject({ status: 403, requiredScope: "write:account" });
        expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="write:account"');
      }
    }
    expect(await countRows(server, "invitations")).toBe(before);
    expect((await api(server.url, `${STORE_PATH}/invite/${inv.id}`)).body).toMatchObject({ status: "pending", resendCount: 0 });
  });

  test("a write-only token changes but cannot read", async () => {
    const created = await api(server.url, `${STORE_PATH}/invite`, { body: shopInvite(), token: WRITE_ONLY_TOKEN });
    expect(created.status).toBe(201);
    const read = await api(server.url, `${STORE_PATH}/invite/${created.body.id}`, { token: WRITE_ONLY_TOKEN });
    expect(read.status).toBe(403);
    expect(read.body.requiredScope).toBe("read:account");
  });

  test("the scheme is case-insensitive, and error responses never echo the token", async () => {
    const ok = await api(server.url, `${STORE_PATH}/invite`, { token: null, authorization: "bearer demo-admin-token" });
    expect(ok.status).toBe(200);
    const bad = await api(server.url, `${STORE_PATH}/invite`, { token: "guess-me-not-0123" });
    expect(JSON.stringify(bad.body)).not.toContain("guess-me-not");
  });

  test("admin responses are not cached", async () => {
    const res = await api(server.url, `${STORE_PATH}/invite`);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("what acceptance produces, seen through the accounts endpoints", () => {
  test("account in the store and organization, with the roles, the invitation's groups plus the application's, and the invitation Done", async () => {
    const body = partnerInvite({ groups: [{ id: "newsletter" }] });
    const inv = await createInvitation(server, { ...body, sendEmail: false });
    expect((await api(server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(inv.email)}`)).body.total).toBe(0);

    const accepted = await accept(inv.invitationUrl);

    const after = await api(server.url, `${STORE_PATH}/invite/${inv.id}`);
    expect(after.body).toMatchObject({ status: "done", accountId: accepted.accountId });
    const done = await api(server.url, `${STORE_PATH}/invite?status=done&email=${encodeURIComponent(inv.email)}`);
    expect(done.body.items.map((i: { id: string }) => i.id)).toEqual([inv.id]);

    const account = await api(server.url, `${STORE_PATH}/accounts/${accepted.accountId}`);
    expect(account.status).toBe(200);
    expect(accountSchema.parse(account.body)).toBeTruthy();
    expect(account.body).toMatchObject({
      id: accepted.accountId,
      store: "customers",
      email: inv.email,
      phone: null,
      status: "active",
      organization: "northwind",
      roles: [{ id: "buyer", organization: "northwind" }],
      clients: [{ clientId: "partner-portal" }],
      locale: "fr-FR",
      profile: { firstName: "Pat", lastName: "Partner" },
    });
    // newsletter from the invitation, beta because the partners application assigns it.
    expect(account.body.groups).toEqual([{ id: "newsletter" }, { id: "beta" }]);
    expect(Date.parse(account.body.createdAt)).not.toBeNaN();
    expect(account.body).not.toHaveProperty("passwordHash");
    expect(JSON.stringify(account.body)).not.toMatch(/argon2|password/i);

    const list = await api(server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(inv.email.toUpperCase())}`);
    expect(list.body).toMatchObject({ page: 0, size: 20, total: 1 });
    expect(list.body.items[0].id).toBe(accepted.accountId);
  });

  test("where the application allows a different email, the account takes the one the invitee chose", async () => {
    const inv = await createInvitation(server, partnerInvite({ sendEmail: false }));
    const chosen = uniqueEmail("chosen");
    const accepted = await accept(inv.invitationUrl, { email: chosen });
    const account = await api(server.url, `${STORE_PATH}/accounts/${accepted.accountId}`);
    expect(account.body.email).toBe(chosen);
  });

  test("a non-organizational invitation: no organization, the application's group added", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false, groups: [{ id: "beta" }] }));
    const accepted = await accept(inv.invitationUrl);
    const account = await api(server.url, `${STORE_PATH}/accounts/${accepted.accountId}`);
    expect(account.body).toMatchObject({ organization: null, roles: [], clients: [{ clientId: "shop-web" }] });
    expect(account.body.groups).toEqual([{ id: "beta" }, { id: "newsletter" }]);
  });

  test("accounts: 404 for unknown ids and for another store; 422 for bad paging; paging works", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const { accountId } = await accept(inv.invitationUrl);
    expect((await api(server.url, `${STORE_PATH}/accounts/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await api(server.url, `/admin/api/v1/identityStores/staff/accounts/${accountId}`)).status).toBe(404);
    expect((await api(server.url, `/admin/api/v1/identityStores/nope/accounts`)).status).toBe(404);
    const bad = await api(server.url, `${STORE_PATH}/accounts?size=500`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: "size" }));
    const page = await api(server.url, `${STORE_PATH}/accounts?size=1&page=1`);
    expect(page.body).toMatchObject({ page: 1, size: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(1);
    expect((await api(server.url, `${STORE_PATH}/accounts/${accountId}`, { method: "DELETE" })).status).toBe(405);
  });
});

describe("OpenAPI document", () => {
  test("an OpenAPI 3.1 document describing the pre-register endpoint and the admin API", async () => {
    const res = await fetch(`${server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/admin/api/v1/identityStores/{store}/accounts",
      "/admin/api/v1/identityStores/{store}/accounts/{id}",
      "/admin/api/v1/identityStores/{store}/invite",
      "/admin/api/v1/identityStores/{store}/invite/batch",
      "/admin/api/v1/identityStores/{store}/invite/{id}",
      "/admin/api/v1/identityStores/{store}/invite/{id}/resend",
      "/idp/v1/account/pre-register",
    ]);
    const invite = doc.paths["/admin/api/v1/identityStores/{store}/invite"];
    expect(invite.post.security).toEqual([{ adminToken: ["write:account"] }]);
    expect(invite.get.security).toEqual([{ adminToken: ["read:account"] }]);
    expect(Object.keys(invite.post.responses)).toEqual(expect.arrayContaining(["201", "400", "401", "403", "404", "409", "422"]));
    expect(invite.get.parameters.map((p: { name: string }) => p.name)).toEqual([
      "status",
      "email",
      "q",
      "organization",
      "clientId",
      "channel",
      "delivery",
      "page",
      "size",
      "sort",
      "format",
    ]);

    const create = doc.components.schemas.InvitationCreate;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(["clientId", "email"]);
    expect(create.properties.language).toMatchObject({ default: "en-US", pattern: "^[a-z]{2}-[A-Z]{2}$" });
    expect(create.properties.sendEmail).toMatchObject({ type: "boolean", default: true });
    expect(doc.components.schemas.PreRegisterBody.required).toEqual(
      expect.arrayContaining(["client_id", "scope", "redirect_uri", "auth_type", "grant_type", "profile_fields"]),
    );

    // The documented response shape is the one the API sends.
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const documented = doc.components.schemas.Invitation;
    // invitationUrl comes with the creation (sendEmail false), deliveries with GET .../invite/{id}.
    const detail = (await api(server.url, `${STORE_PATH}/invite/${inv.id}`)).body;
    expect([...new Set([...Object.keys(inv), ...Object.keys(detail)])].sort()).toEqual(Object.keys(documented.properties).sort());
    for (const key of documented.required) expect(inv).toHaveProperty(key);
    expect(documented.properties.status.enum).toEqual(["pending", "done", "expired"]);
  });
});

describe("logs", () => {
  test("admin actions are logged by id, never with the email, the link or the token", async () => {
    const email = uniqueEmail("logged");
    const inv = await createInvitation(server, shopInvite({ email, sendEmail: false }));
    const resent = await api(server.url, `${STORE_PATH}/invite/${inv.id}/resend`, { body: { sendEmail: false } });
    await api(server.url, `${STORE_PATH}/invite/${inv.id}`, { method: "DELETE" });
    await api(server.url, `${STORE_PATH}/invite`, { token: "a-wrong-token-for-the-logs" });
    const log = logLines.join("\n");
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ event: "admin.invitation_created", invitation: inv.id }));
    expect(log).toContain("admin.invitation_resent");
    expect(log).toContain("admin.invitation_revoked");
    for (const secret of [
      email,
      email.split("@")[0]!,
      tokenOf(inv.invitationUrl),
      tokenOf(resent.body.invitationUrl),
      "demo-admin-token",
      "a-wrong-token",
    ])
      expect(log).not.toContain(secret);
  });
});

test("console sign-in and sign-out are logged with the administrator's token name, never the token", async () => {
  const consoleUser = new HttpClient(server.url);
  await consoleUser.signIn();
  await consoleUser.get("/admin");
  await consoleUser.post("/admin/sign-out", {});
  const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries).toContainEqual(expect.objectContaining({ event: "admin.signed_in", admin: "demo-admin" }));
  expect(entries).toContainEqual(expect.objectContaining({ event: "admin.signed_out", admin: "demo-admin" }));
  expect(logLines.join("\n")).not.toContain("demo-admin-token");
});
