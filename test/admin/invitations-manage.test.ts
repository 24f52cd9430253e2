// The admin invitations API over real HTTP (docs/admin-api.md), after creation: list, get, resend and
// revoke, and what the old links show afterwards. Creating is in invitations-api.test.ts.
import { acceptInvitation, tokenHashOf } from "../../server/invitations/activate.js";
import { tenantWith } from "../support/config.js";
import { startTestServer, TestClock } from "../support/server.js";
import {
  api,
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

/** What the invitee sees when opening the link: the journey's page. */
async function openLink(link: string) {
  const res = await fetch(link, { redirect: "manual" });
  return { status: res.status, text: (await res.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ") };
}

const { server, smtp } = useTestEnv({ tenant: twoStoreTenant() });

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
    // Nothing was sent (sendEmail false): no deliveries.
    expect(got.body).toEqual({ ...rest, deliveries: [] });

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
