// Join invitations over real HTTP: an administrator invites the email of an active account into
// Northwind; the message says "join"; the landing page shows what joining grants and changes
// nothing; /join asks for the account's current password only; the right one joins in one go
// (membership, roles, groups, client, the invitation Done, invitation.accepted with joined: true,
// the 303 to the authorization endpoint). A pending account keeps today's rules, and a join
// invitation can never activate or set a password. Wrong passwords and the lock: join-lock.test.ts.
import { api, createInvitation, mailsTo, partnerInvite, STORE_PATH } from "../admin/helpers.js";
import { tenantWith } from "../support/config.js";
import { TestClock } from "../support/server.js";
import { snapshot } from "../support/snapshot.js";
import { WebhookReceiver } from "../support/webhooks.js";
import { ACCOUNT_PASSWORD, activeAccount, joinInvitation, openJoin } from "./join-support.js";
import { dom, filledForm, invitedByEmail, openActivation, pathOf, textOf, uniqueEmail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

const WEBHOOK_SECRET = "test-webhook-secret-0123456789abcdefghij";
const RESET_URL = "https://id.acme.example/forgot-password";

let env: TestEnv;
let receiver: WebhookReceiver;
const clock = new TestClock();

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  const tenant = tenantWith((c) => {
    const partners = c.applications[1];
    partners.clients[0].passwordResetUrl = RESET_URL;
    // A second client of the partner portal that asks for the terms again on joining.
    partners.clients.push({
      clientId: "partner-terms",
      secretHash: `sha256:${"0".repeat(64)}`,
      type: "oauth2",
      redirectUris: ["https://partners.acme.example/terms-callback"],
      requireTermsOnJoin: true,
    });
    c.webhooks = [{ id: "crm", url: receiver.url, secretEnv: "CRM_WEBHOOK_SECRET", events: ["invitation.accepted"] }];
  });
  env = await startTestEnv({ tenant, clock, env: { CRM_WEBHOOK_SECRET: WEBHOOK_SECRET } });
});
afterAll(async () => {
  await env?.close();
  await receiver?.stop();
});

const db = () => env.server.services.db.kysely;
const account = async (id: string) => (await api(env.server.url, `${STORE_PATH}/accounts/${id}`)).body;
const invitation = async (id: string) => (await api(env.server.url, `${STORE_PATH}/invite/${id}`)).body;
const passwordHash = async (id: string) =>
  (await db().selectFrom("accounts").select("password_hash").where("id", "=", id).executeTakeFirstOrThrow()).password_hash;

describe("the invitation and its message", () => {
  it("invites an active account to join, in the invitation's language: kind join naming the account", async () => {
    const jane = await activeAccount(env.server);
    const res = await api(env.server.url, `${STORE_PATH}/invite`, {
      body: partnerInvite({ email: jane.email, metadata: { givenName: "Jane" } }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "join", accountId: jane.id, status: "pending", organization: "northwind" });
    const [mail] = await mailsTo(env.smtp, jane.email);
    expect(mail!.subject).toBe("Join Northwind at Acme");
    expect(mail!.text).toContain("Hello Jane,");
    expect(mail!.text).toContain(`Join Northwind: ${mail!.link}`);
    expect(mail!.text).not.toMatch(/activate/i);
    expect(mail!.html).toContain("Join Northwind</a>");

    const pierre = await activeAccount(env.server);
    await createInvitation(env.server, partnerInvite({ email: pierre.email, language: "fr-FR" }));
    const [fr] = await mailsTo(env.smtp, pierre.email);
    expect(fr!.subject).toBe("Rejoignez Northwind chez Acme");
    expect(fr!.text).toContain(`Rejoindre Northwind: ${fr!.link}`);
  });

  it("an email without an account still gets an activation invitation", async () => {
    const res = await api(env.server.url, `${STORE_PATH}/invite`, { body: partnerInvite({ sendEmail: false }) });
    expect(res.body).toMatchObject({ kind: "activate", accountId: null });
  });
});

describe("the join journey", () => {
  it("shows the brand, the organization and what joining grants on a landing page that changes nothing", async () => {
    const jane = await activeAccount(env.server);
    const inv = await joinInvitation(env.server, jane.email);
    const before = await snapshot(env.server.services);
    const client = new HttpClient(env.server.url);
    const landing = await client.get(pathOf(inv.invitationUrl));
    expect(landing.status).toBe(200);
    const page = dom(landing.html);
    expect(page.documentElement.lang).toBe("en-US");
    expect(page.querySelector("header img")?.getAttribute("alt")).toBe("Acme");
    expect(textOf(page, "h1")).toBe("Join Northwind at Acme");
    const grants = [...page.querySelectorAll("dl.grants dt")].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]);
    // newsletter from the invitation, beta because the partners application assigns it.
    expect(grants).toEqual([
      ["Organization", "Northwind"],
      ["Roles", "Approver"],
      ["Groups", "Newsletter, Beta testers"],
    ]);
    const buttons = page.querySelectorAll("main button");
    expect([...buttons].map((b) => b.textContent)).toEqual(["Continue"]);
    expect(buttons[0]!.closest("form")?.getAttribute("method")).toBe("post");
    // A mail scanner's GETs (and HEADs) change nothing.
    await client.get(pathOf(inv.invitationUrl), { "User-Agent": "Mozilla/5.0 (compatible; SafeLinks)" });
    expect(await snapshot(env.server.services)).toEqual(before);
  });

  it("asks for the current password only, and the right one joins in one go with the same 303 as an activation", async () => {
    const jane = await activeAccount(env.server);
    const hashBefore = await passwordHash(jane.id);
    const inv = await joinInvitation(env.server, jane.email);
    const client = new HttpClient(env.server.url);
    const form = await openJoin(client, inv.invitationUrl, "?state=portal-7");
    expect(form.status).toBe(200);
    const doc = dom(form.html);
    const inputs = [...doc.querySelectorAll("main form input:not([type=hidden])")] as HTMLInputElement[];
    expect(inputs.map((i) => [i.name || i.id, i.type, i.autocomplete])).toEqual([
      ["identifier", "email", "username"],
      ["password", "password", "current-password"],
    ]);
    expect(doc.querySelector<HTMLInputElement>("#identifier")!.readOnly).toBe(true);
    expect(doc.querySelector<HTMLInputElement>("#identifier")!.value).toBe(jane.email);
    expect(form.html).not.toContain("new-password");
    const forgot = [...doc.querySelectorAll("main a")].find((a) => a.textContent === "Forgot your password?");
    expect(forgot?.getAttribute("href")).toBe(RESET_URL);

    const done = await client.post("/join", { csrf: form.csrf!, password: ACCOUNT_PASSWORD });
    expect(done.status).toBe(303);
    const to = new URL(done.location!);
    expect(to.origin + to.pathname).toBe(`${env.server.url}/dev/authorize`);
    expect(Object.fromEntries(to.searchParams)).toEqual({
      client_id: "partner-portal",
      redirect_uri: "https://partners.acme.example/callback",
      response_type: "code",
      scope: "openid",
      login_hint: jane.email,
      ui_locales: "en-US",
      state: "portal-7",
    });
    expect(client.cookies.has("journey")).toBe(false);

    const joined = await account(jane.id);
    expect(joined.memberships).toEqual([
      {
        organization: "northwind",
        roles: [{ id: "approver", organization: "northwind" }],
        grantedBy: { invitationId: inv.id, kind: "join" },
        grantedAt: expect.any(String),
      },
    ]);
    expect(joined).toMatchObject({ status: "active", organization: "northwind", roles: [{ id: "approver", organization: "northwind" }] });
    expect(joined.groups).toEqual([{ id: "newsletter" }, { id: "beta" }]);
    expect(joined.clients.map((c: { clientId: string }) => c.clientId).sort()).toEqual(["partner-portal", "shop-web"]);
    // Nothing about the account itself changed: no new password, no profile asked.
    expect(await passwordHash(jane.id)).toBe(hashBefore);
    expect(joined.profile).toEqual({ firstName: "Jane", lastName: "Member" });
    expect(await invitation(inv.id)).toMatchObject({ status: "done", kind: "join", accountId: jane.id });
    const ofThis = (r: typeof receiver.received) => r.filter((w) => w.event.data.invitationId === inv.id);
    const [event] = ofThis(await receiver.waitFor((r) => ofThis(r).length > 0));
    expect(event!.event).toMatchObject({
      type: "invitation.accepted",
      data: { invitationId: inv.id, accountId: jane.id, organization: "northwind", status: "done", joined: true },
    });
    // Only one account holds the email.
    expect(await db().selectFrom("accounts").select("id").where("email", "=", jane.email).execute()).toHaveLength(1);

    // The link again: already joined, with Sign in (no login_hint); a late submission conflicts.
    const again = await new HttpClient(env.server.url).get(pathOf(inv.invitationUrl));
    expect(again.status).toBe(410);
    expect(textOf(dom(again.html), "h1")).toBe("You have already joined");
    expect(dom(again.html).querySelector<HTMLAnchorElement>("main a.button")!.href).not.toContain("login_hint");
  });

  it("asks for the terms when the client requires them; a missing acceptance is no try", async () => {
    const jane = await activeAccount(env.server);
    const inv = await joinInvitation(env.server, jane.email, { clientId: "partner-terms" });
    const client = new HttpClient(env.server.url);
    const form = await openJoin(client, inv.invitationUrl);
    expect(form.html).toContain('name="acceptTerms"');
    expect(form.html).not.toContain(RESET_URL); // this client has no passwordResetUrl
    for (let i = 0; i < 6; i++) {
      const res = await client.post("/join", { csrf: form.csrf!, password: ACCOUNT_PASSWORD, acceptPrivacy: "on" });
      expect(res.status).toBe(400);
      expect(textOf(dom(res.html), "#join-acceptTerms-error")).toBe("Accept the terms and conditions to continue.");
    }
    const done = await client.post("/join", { csrf: form.csrf!, password: ACCOUNT_PASSWORD, acceptTerms: "on", acceptPrivacy: "on" });
    expect(done.status).toBe(303);
    expect(new URL(done.location!).searchParams.get("redirect_uri")).toBe("https://partners.acme.example/terms-callback");
  });

  it("refuses posts without the journey's CSRF token", async () => {
    const jane = await activeAccount(env.server);
    const inv = await joinInvitation(env.server, jane.email);
    const client = new HttpClient(env.server.url);
    await openJoin(client, inv.invitationUrl);
    const forged = await client.post("/join", { csrf: "forged", password: ACCOUNT_PASSWORD });
    expect(forged.status).toBe(403);
    expect(await invitation(inv.id)).toMatchObject({ status: "pending" });
  });

  it("never activates or sets a password: /activate sends a join invitation to /join and changes nothing", async () => {
    const jane = await activeAccount(env.server);
    const inv = await joinInvitation(env.server, jane.email);
    const client = new HttpClient(env.server.url);
    const form = await openJoin(client, inv.invitationUrl);
    const before = await snapshot(env.server.services);
    expect((await client.get("/activate")).location).toBe("/join");
    const chosen = uniqueEmail("chosen");
    const posted = await client.post(
      "/activate",
      filledForm(form.csrf!, { email: chosen, password: "a brand new password", confirmPassword: "a brand new password" }),
    );
    expect(posted.status).toBe(303);
    expect(posted.location).toBe("/join");
    expect(await snapshot(env.server.services)).toEqual(before);
    expect(await db().selectFrom("accounts").select("id").where("email", "=", chosen).execute()).toEqual([]);
  });
});

describe("a pending account keeps today's rules", () => {
  it("409 with conflictingId while its own invitation waits; once lapsed, the admin invitation activates that same account with its membership", async () => {
    const pending = await invitedByEmail(env, { profile: { firstName: "Penny" } });
    const own = await db().selectFrom("invitations").select("id").where("account_id", "=", pending.uuid).executeTakeFirstOrThrow();
    const waiting = await api(env.server.url, `${STORE_PATH}/invite`, { body: partnerInvite({ email: pending.email, sendEmail: false }) });
    expect(waiting.status).toBe(409);
    expect(waiting.body.conflictingId).toBe(own.id);

    clock.advanceHours(24 * 7 + 1);
    const inv = await createInvitation(env.server, partnerInvite({ email: pending.email, sendEmail: false }));
    expect(inv).toMatchObject({ kind: "activate", accountId: null });
    const client = new HttpClient(env.server.url);
    const form = await openActivation(client, inv.invitationUrl);
    const partner = { companyName: "Northwind Traders", addressLine1: "1 Main St", city: "Seattle", postalCode: "98101", country: "US" };
    const res = await client.post("/activate", filledForm(form.csrf!, { ...partner, email: pending.email }));
    expect(res.status).toBe(303);
    const accounts = await db().selectFrom("accounts").select(["id", "status"]).where("email", "=", pending.email).execute();
    expect(accounts).toEqual([{ id: pending.uuid, status: "active" }]);
    expect((await account(pending.uuid)).memberships).toEqual([
      {
        organization: "northwind",
        roles: [{ id: "buyer", organization: "northwind" }],
        grantedBy: { invitationId: inv.id, kind: "activate" },
        grantedAt: expect.any(String),
      },
    ]);
  });
});

describe("new links for a join invitation", () => {
  it("say join again: the administrator's resend and the expired page's Send me a new link", async () => {
    const jane = await activeAccount(env.server);
    const inv = await joinInvitation(env.server, jane.email, { language: "fr-FR" });
    const resent = await api(env.server.url, `${STORE_PATH}/invite/${inv.id}/resend`, { body: {} });
    expect(resent.status).toBe(200);
    const [first] = await mailsTo(env.smtp, jane.email);
    expect(first!.subject).toBe("Rejoignez Northwind chez Acme");

    clock.advanceHours(24 * 7 + 1);
    const client = new HttpClient(env.server.url);
    const expired = await client.get(pathOf(first!.link!));
    expect(expired.status).toBe(410);
    expect((await client.post(pathOf(first!.link!), { intent: "new-link", csrf: expired.csrf! })).status).toBe(303);
    const [, second] = await mailsTo(env.smtp, jane.email, 2);
    expect(second!.subject).toBe("Rejoignez Northwind chez Acme");
    // The new link leads to the join, not to an activation.
    const form = await openJoin(new HttpClient(env.server.url), second!.link!);
    expect(form.status).toBe(200);
    expect(dom(form.html).querySelector<HTMLInputElement>('input[name="password"]')!.autocomplete).toBe("current-password");
  });
});
