// POST /admin/api/v1/identityStores/{store}/invite/batch over real HTTP (docs/admin-api.md): per-row
// results in input order, each row validated and created on its own, duplicates inside one batch,
// scopes, limits, and the activation emails of the created rows at a real SMTP listener.
import { DEMO_READONLY_TOKEN } from "../support/config.js";
import { api, countRows, createInvitation, mailsTo, partnerInvite, shopInvite, STORE_PATH, uniqueEmail } from "./helpers.js";
import { useTestEnv } from "../support/env.js";
import { outboxDrained, outboxRows } from "../support/outbox.js";

const BATCH = `${STORE_PATH}/invite/batch`;

const mailTo = (email: string, count = 1) => mailsTo(smtp, email, count);

async function invitationsOf(email: string) {
  return server.services.db.kysely.selectFrom("invitations").selectAll().where("email", "=", email).execute();
}

const { server, smtp } = useTestEnv();

describe("per-row results", () => {
  test("a mixed batch: each row created or refused on its own, in input order, with the single create's answers", async () => {
    const shop = shopInvite({ metadata: { firstName: "Robin" } });
    const partner = partnerInvite();
    const silent = shopInvite({ sendEmail: false });
    const badEmail = shopInvite({ email: "not-an-email" });
    const saml = shopInvite({ clientId: "shop-saml" });
    const unknownGroup = partnerInvite({ groups: [{ id: "no-such-group" }] });
    const unknownField = shopInvite({ nickname: "x" });
    const duplicate = { ...shopInvite(), email: String(shop.email).toUpperCase() };
    const invitations = [shop, badEmail, saml, partner, duplicate, unknownField, silent, unknownGroup, "not an object"];

    const before = await countRows(server, "invitations");
    const res = await api(server.url, BATCH, { body: { invitations } });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(3);
    expect(res.body.failed).toBe(6);
    expect(res.body.results.map((r: any) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 422],
      [2, 400],
      [3, 201],
      [4, 409],
      [5, 422],
      [6, 201],
      [7, 400],
      [8, 422],
    ]);
    const [r0, r1, r2, r3, r4, r5, r6, r7, r8] = res.body.results;

    // Created rows carry the invitation exactly as POST .../invite answers it.
    expect(r0.invitation).toMatchObject({ email: shop.email, clientId: "shop-web", status: "pending", metadata: { firstName: "Robin" } });
    expect(r0.problem).toBeUndefined();
    expect(r3.invitation).toMatchObject({
      organization: "northwind",
      roles: [{ id: "buyer", organization: "northwind" }],
      groups: [{ id: "newsletter" }],
    });
    expect(r6.invitation.invitationUrl).toMatch(/^http:\/\/localhost:\d+\/invite\//);
    expect(r6.invitation.sent).toBeNull();
    expect(r0.invitation.invitationUrl).toBeUndefined();

    // Refused rows carry the problem, their fields named inside the batch.
    expect(r1.invitation).toBeUndefined();
    expect(r1.problem).toMatchObject({ status: 422, title: "Invalid parameters" });
    expect(r1.problem.errors).toEqual([{ field: "invitations.1.email", message: "must be an email address" }]);
    expect(r2.problem).toMatchObject({ status: 400, title: "Invalid invitation" });
    expect(r2.problem.errors[0]).toMatchObject({ field: "invitations.2.clientId", code: "clientNotOAuth2" });
    expect(r4.problem).toMatchObject({ status: 409, conflictingId: r0.invitation.id });
    expect(r4.problem.errors).toEqual([{ field: "invitations.4.email", message: "already has a pending invitation" }]);
    expect(r5.problem.errors).toEqual([{ field: "invitations.5.nickname", message: "is not a known field" }]);
    expect(r7.problem.errors[0]).toMatchObject({ field: "invitations.7.groups.0.id", code: "unknownGroup" });
    expect(r8.problem.errors[0].field).toBe("invitations.8.(row)");

    // Exactly the accepted rows were written, nothing for the refused ones.
    expect(await countRows(server, "invitations")).toBe(before + 3);
    for (const refused of [badEmail, saml, unknownField, unknownGroup])
      expect(await invitationsOf(String(refused.email).toLowerCase())).toHaveLength(0);
    expect(await invitationsOf(String(shop.email))).toHaveLength(1);

    // The emails of the created rows reach the mail server; the sendEmail:false row sends nothing.
    const [shopMail] = await mailTo(String(shop.email));
    expect(shopMail!.subject).toBe("Activate your Acme account");
    expect(shopMail!.link).toMatch(/\/invite\//);
    await mailTo(String(partner.email));
    // The silent row queued nothing; the shop row queued one message, sent once.
    expect(await outboxRows(server, { recipient: String(silent.email) })).toEqual([]);
    expect(smtp.to(String(silent.email))).toHaveLength(0);
    expect(await outboxRows(server, { recipient: String(shop.email) })).toHaveLength(1);
    await outboxDrained(server, { recipient: String(shop.email) });
    expect(smtp.to(String(shop.email))).toHaveLength(1);
  });

  test("the batch's sendEmail applies to the rows without their own; a row's own wins", async () => {
    const quiet = shopInvite();
    const loud = shopInvite({ sendEmail: true });
    const res = await api(server.url, BATCH, { body: { sendEmail: false, invitations: [quiet, loud] } });
    expect(res.status).toBe(200);
    expect(res.body.results[0].invitation.invitationUrl).toBeTruthy();
    expect(res.body.results[1].invitation.invitationUrl).toBeUndefined();
    await mailTo(String(loud.email));
    expect(smtp.to(String(quiet.email))).toHaveLength(0);
  });

  test("a row for an email that already has a pending invitation is a 409 naming it; the others go on", async () => {
    const existing = await createInvitation(server, shopInvite());
    const fresh = shopInvite({ sendEmail: false });
    const res = await api(server.url, BATCH, { body: { invitations: [shopInvite({ email: existing.email }), fresh] } });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ index: 0, status: 409, problem: { conflictingId: existing.id } });
    expect(res.body.results[1]).toMatchObject({ index: 1, status: 201 });
    expect(res.body).toMatchObject({ created: 1, failed: 1 });
  });

  test("1,000 rows in one call, all created, at thousands of rows per minute", async () => {
    const run = Date.now().toString(36);
    const invitations = Array.from({ length: 1000 }, (_, i) => partnerInvite({ email: `bulk-${run}-${i}@example.com`, sendEmail: false }));
    const started = performance.now();
    const res = await api(server.url, BATCH, { body: { invitations } });
    const seconds = (performance.now() - started) / 1000;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1000, failed: 0 });
    expect(res.body.results.map((r: any) => r.index)).toEqual(invitations.map((_, i) => i));
    // Thousands a minute means a 1,000-row call well inside a minute; in practice a few seconds.
    expect(seconds).toBeLessThan(30);
  });
});

describe("the call as a whole", () => {
  test("401 without a token, 403 with a read-only one; nothing created", async () => {
    const body = { invitations: [shopInvite()] };
    const before = await countRows(server, "invitations");
    const none = await api(server.url, BATCH, { body, token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="admin"/);
    const wrong = await api(server.url, BATCH, { body, token: "not-a-token" });
    expect(wrong.status).toBe(401);
    const readOnly = await api(server.url, BATCH, { body, token: DEMO_READONLY_TOKEN });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body).toMatchObject({ requiredScope: "write:account" });
    expect(await countRows(server, "invitations")).toBe(before);
  });

  test("more than 1,000 rows: 413 saying so, nothing created", async () => {
    const before = await countRows(server, "invitations");
    const invitations = Array.from({ length: 1001 }, () => ({ clientId: "shop-web", email: uniqueEmail("over") }));
    const res = await api(server.url, BATCH, { body: { invitations } });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toBe("A batch holds at most 1000 invitations; this one has 1001. Split it into several calls.");
    expect(await countRows(server, "invitations")).toBe(before);
  });

  test("a body over 1 MiB: 413 naming the batch's limit; over 16 KiB but under 1 MiB is fine", async () => {
    const huge = await api(server.url, BATCH, {
      raw: JSON.stringify({ invitations: [{ clientId: "shop-web", email: "a@example.com", pad: "x".repeat(1024 * 1024) }] }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toMatch(/at most 1048576 bytes \(1 MiB\)/);

    const invitations = Array.from({ length: 200 }, () => shopInvite({ sendEmail: false, metadata: { companyName: "c".repeat(100) } }));
    const raw = JSON.stringify({ invitations });
    expect(raw.length).toBeGreaterThan(16 * 1024);
    const ok = await api(server.url, BATCH, { raw });
    expect(ok.status).toBe(200);
    expect(ok.body.created).toBe(200);
  });

  test("a malformed batch is 400/415/422 as a whole", async () => {
    expect((await api(server.url, BATCH, { raw: "{" })).status).toBe(400);
    expect((await api(server.url, BATCH, { raw: "{}", contentType: "text/plain" })).status).toBe(415);
    const empty = await api(server.url, BATCH, { body: { invitations: [] } });
    expect(empty.status).toBe(422);
    expect(empty.body.errors).toEqual([{ field: "invitations", message: "must hold at least one invitation" }]);
    const missing = await api(server.url, BATCH, { body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe("invitations");
    const extra = await api(server.url, BATCH, { body: { invitations: [shopInvite()], dryRun: true } });
    expect(extra.status).toBe(422);
    expect(extra.body.errors).toEqual([{ field: "dryRun", message: "is not a known field" }]);
    const notList = await api(server.url, BATCH, { body: { invitations: shopInvite() } });
    expect(notList.status).toBe(422);
  });

  test("unknown store 404; another method 405; the OpenAPI document has the operation", async () => {
    expect(
      (await api(server.url, "/admin/api/v1/identityStores/nope/invite/batch", { body: { invitations: [shopInvite()] } })).status,
    ).toBe(404);
    const get = await api(server.url, BATCH);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
    const op = doc.paths["/admin/api/v1/identityStores/{store}/invite/batch"].post;
    expect(op.operationId).toBe("createInvitationBatch");
    expect(op.security).toEqual([{ adminToken: ["write:account"] }]);
    expect(doc.components.schemas.InvitationBatch.properties.invitations.items.$ref).toBe("#/components/schemas/InvitationCreate");
    expect(doc.components.schemas.InvitationBatch.properties.invitations.maxItems).toBe(1000);
  });
});
