// The admin API's invitation controls (docs/admin-api.md) over real HTTP: an invitation's own
// validity and return address, who invited, resend with a new language or validity, and finding
// invitations (filters, search by email or phone, sort by last sent, CSV export).
import { parse } from "csv-parse/sync";
import { acceptInvitation, handOffTarget, RETURN_UNAVAILABLE_PATH, tokenHashOf } from "../../server/invitations/activate.js";
import { parseTenantConfig } from "../../server/config/load.js";
import { demoConfig, tenantWith } from "../support/config.js";
import { preRegister, preRegisterBody } from "../support/http.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { api, createInvitation, mailsTo, shopInvite, STORE_PATH, tokenOf, uniqueEmail } from "./helpers.js";

let server: TestServer;
let smtp: SmtpListener;
const INVITE = `${STORE_PATH}/invite`;
const HOUR = 3_600_000;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startTestServer({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
});

const hoursValid = (inv: { validUntil: string }) => Math.round((Date.parse(inv.validUntil) - Date.now()) / HOUR);

describe("expiresInHours", () => {
  test("sets the link's validity, from 1 up to maxInvitationTtlHours (720 by default)", async () => {
    expect(hoursValid(await createInvitation(server, shopInvite({ expiresInHours: 1, sendEmail: false })))).toBe(1);
    expect(hoursValid(await createInvitation(server, shopInvite({ expiresInHours: 720, sendEmail: false })))).toBe(720);
    // Without it, the store's invitationTtlHours (168 in the demo).
    expect(hoursValid(await createInvitation(server, shopInvite({ sendEmail: false })))).toBe(168);
  });

  test("out of range or not a whole number: refused naming the field, nothing created", async () => {
    for (const [value, status] of [
      [0, 422],
      [-3, 422],
      [1.5, 422],
      ["24", 422],
      [721, 400],
    ] as const) {
      const email = uniqueEmail("ttl");
      const res = await api(server.url, INVITE, { body: shopInvite({ email, expiresInHours: value }) });
      expect(res.status, String(value)).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(["expiresInHours"]);
      const list = await api(server.url, `${INVITE}?email=${encodeURIComponent(email)}`);
      expect(list.body.total).toBe(0);
    }
  });

  test("maxInvitationTtlHours must be at least invitationTtlHours (configuration)", () => {
    const raw = demoConfig();
    raw.identityStores[0].maxInvitationTtlHours = 100;
    expect(() => parseTenantConfig(raw, "test")).toThrow(/maxInvitationTtlHours.*at least invitationTtlHours/);
  });
});

describe("redirectUri", () => {
  test("must be one of the client's registered redirect URIs; stored and returned", async () => {
    const refused = await api(server.url, INVITE, { body: shopInvite({ redirectUri: "https://evil.example/cb" }) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: "redirectUri", code: "unknownRedirectUri" })]);
    const inv = await createInvitation(server, shopInvite({ redirectUri: "http://localhost:3000/callback", sendEmail: false }));
    expect(inv.redirectUri).toBe("http://localhost:3000/callback");
    expect((await api(server.url, `${INVITE}/${inv.id}`)).body.redirectUri).toBe("http://localhost:3000/callback");
  });

  test("the hand-off uses it, and refuses it once it was removed from the configuration", async () => {
    const inv = await createInvitation(server, shopInvite({ redirectUri: "http://localhost:3000/callback", sendEmail: false }));
    const outcome = await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
      password: "a long enough passphrase 42",
      profile: { firstName: "Ada", lastName: "Lovelace" },
      locale: "en-US",
    });
    if (outcome.kind !== "activated") throw new Error(outcome.kind);
    expect(new URL(outcome.redirectTo).searchParams.get("redirect_uri")).toBe("http://localhost:3000/callback");
    expect(outcome.handOff.kind).toBe("redirect");

    // The same invitation against a configuration that no longer lists that address.
    const removed = tenantWith((c) => {
      c.applications[0].clients[0].redirectUris = ["https://shop.acme.example/callback"];
    }).client("shop-web")!;
    const again = handOffTarget(server.services, removed, { redirectUri: inv.redirectUri, locale: "en-US" });
    expect(again).toEqual({ kind: "return-address-removed", clientId: "shop-web" });
    // A pre-registered invitation's stored address is checked the same way.
    expect(handOffTarget(server.services, removed, { redirectUri: "https://shop.acme.example/callback", locale: "en-US" }).kind).toBe(
      "redirect",
    );
    expect(RETURN_UNAVAILABLE_PATH).toMatch(/^\/invite\//);
  });
});

describe("invitedBy", () => {
  test("admin API invitations name the token; pre-registered ones their client; list and detail alike", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    expect(inv.invitedBy).toEqual({ type: "token", name: "demo-admin" });
    const batch = await api(server.url, `${INVITE}/batch`, { body: { invitations: [shopInvite()], sendEmail: false } });
    expect(batch.body.results[0].invitation.invitedBy).toEqual({ type: "token", name: "demo-admin" });

    const email = uniqueEmail("pre");
    await preRegister(server.url, preRegisterBody({}, { emailAddress: email, firstName: "Pre" }));
    const listed = await api(server.url, `${INVITE}?email=${encodeURIComponent(email)}`);
    expect(listed.body.items[0].invitedBy).toEqual({ type: "client", name: "shop-web" });
    const detail = await api(server.url, `${INVITE}/${inv.id}`);
    expect(detail.body.invitedBy).toEqual({ type: "token", name: "demo-admin" });
  });
});

describe("resend with changes", () => {
  test("a new language and validity: the message is in it, and the invitation keeps it", async () => {
    const email = uniqueEmail("resend");
    const inv = await createInvitation(server, shopInvite({ email, metadata: { firstName: "Rémi" } }));
    expect((await mailsTo(smtp, email, 1))[0]!.subject).toBe("Activate your Acme account");
    const res = await api(server.url, `${INVITE}/${inv.id}/resend`, { body: { language: "fr-FR", expiresInHours: 48 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ language: "fr-FR", resendCount: 1 });
    expect(hoursValid(res.body)).toBe(48);
    const mails = await mailsTo(smtp, email, 2);
    expect(mails[1]!.subject).toBe("Activez votre compte Acme");
    expect(mails[1]!.text).toContain("Bonjour Rémi,");
    expect((await api(server.url, `${INVITE}/${inv.id}`)).body.language).toBe("fr-FR");
  });

  test("bad values are refused naming the field, and nothing changes", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    for (const [body, status, field] of [
      [{ language: "french" }, 422, "language"],
      [{ expiresInHours: 0 }, 422, "expiresInHours"],
      [{ expiresInHours: 10_000 }, 400, "expiresInHours"],
    ] as const) {
      const res = await api(server.url, `${INVITE}/${inv.id}/resend`, { body });
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect((await api(server.url, `${INVITE}/${inv.id}`)).body).toMatchObject({ resendCount: 0, language: "en-US" });
  });
});

describe("finding invitations", () => {
  test("filters by clientId, channel and organization; q finds an email part or a phone in any spelling", async () => {
    const tag = `find${Date.now()}`;
    const byMail = await createInvitation(server, shopInvite({ email: `${tag}@example.com`, sendEmail: false }));
    await preRegister(server.url, preRegisterBody({ auth_type: "sms" }, { mobileNumber: "+33612345678", firstName: "Sms" }));

    const q = (query: string) => api(server.url, `${INVITE}?${query}`).then((r) => r.body);
    expect((await q(`q=${tag.toUpperCase()}`)).items.map((i: { id: string }) => i.id)).toEqual([byMail.id]);
    for (const spelling of ["+33 6 12 34 56 78", "0033612345678", "+33.6.12.34.56.78", "(+33) 6-12-34-56-78"]) {
      const found = await q(`q=${encodeURIComponent(spelling)}`);
      expect(found.total, spelling).toBe(1);
      expect(found.items[0]).toMatchObject({ phone: "+33612345678", channel: "sms", invitedBy: { type: "client", name: "shop-web" } });
    }
    expect((await q("channel=sms")).items.every((i: { channel: string }) => i.channel === "sms")).toBe(true);
    expect((await q("clientId=partner-portal")).items.every((i: { clientId: string }) => i.clientId === "partner-portal")).toBe(true);
    expect((await q(`clientId=shop-web&q=${tag}`)).total).toBe(1);
    expect((await q(`clientId=partner-portal&q=${tag}`)).total).toBe(0);
    const bad = await api(server.url, `${INVITE}?channel=fax&delivery=lost`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["channel", "delivery"]);
  });

  test("sorts by last sent time; a page past the end is an empty list with the total", async () => {
    const sent = await api(server.url, `${INVITE}?sort=sent,desc&size=100`);
    expect(sent.status).toBe(200);
    const times = sent.body.items.map((i: { sent: string | null }) => i.sent);
    const withTime = times.filter((t: string | null) => t !== null);
    expect(withTime).toEqual([...withTime].sort().reverse());
    // Never sent (the brand delivers the link) comes last.
    expect(times.slice(withTime.length).every((t: string | null) => t === null)).toBe(true);

    const past = await api(server.url, `${INVITE}?page=500&size=10`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ items: [], page: 500, size: 10, total: sent.body.total });
  });

  test("CSV export of the filtered list, all pages, by format=csv or Accept: text/csv", async () => {
    const tag = `csv${Date.now()}`;
    for (let i = 0; i < 3; i++)
      await createInvitation(
        server,
        shopInvite({ email: `${tag}-${i}@example.com`, sendEmail: false, metadata: { firstName: "=HYPERLINK(1)" } }),
      );
    const byParam = await fetch(`${server.url}${INVITE}?q=${tag}&format=csv&size=1`, {
      headers: { authorization: "Bearer demo-admin-token" },
    });
    expect(byParam.status).toBe(200);
    expect(byParam.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(byParam.headers.get("content-disposition")).toMatch(/attachment; filename="invitations-customers.csv"/);
    const rows = parse(await byParam.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.email).sort()).toEqual([0, 1, 2].map((i) => `${tag}-${i}@example.com`));
    expect(rows[0]).toMatchObject({ status: "pending", clientId: "shop-web", invitedByType: "token", invitedByName: "demo-admin" });

    const byAccept = await fetch(`${server.url}${INVITE}?q=${tag}`, {
      headers: { authorization: "Bearer demo-admin-token", accept: "text/csv" },
    });
    expect(byAccept.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(byAccept.headers.get("x-total-count")).toBe("3");
    // JSON stays the default.
    expect((await api(server.url, `${INVITE}?q=${tag}`)).body.total).toBe(3);
  });
});
