// The admin console over plain HTTP, as a browser without JavaScript uses it: sign-in and its
// session, CSRF, the Invite customer form and its errors, the list, the detail view with Resend
// and Revoke, the Accounts tab, and what a read-only token may do.
import { acceptInvitation, lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { DEMO_READONLY_TOKEN } from "../support/config.js";
import { startTestServer } from "../support/server.js";
import { HttpClient } from "../support/http.js";
import { createInvitation, shopInvite, tokenOf, uniqueEmail } from "./helpers.js";
import { useTestEnv } from "../support/env.js";

const STORE = "/admin/stores/customers";

async function mailTo(email: string, count = 1) {
  const deadline = Date.now() + 15_000;
  while (smtp.to(email).length < count) {
    if (Date.now() > deadline) throw new Error(`no mail to ${email}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return smtp.to(email);
}

async function signedIn(token?: string, headers?: Record<string, string>) {
  const client = new HttpClient(server.url, headers);
  const res = await client.signIn(token);
  expect(res.status).toBe(302);
  return client;
}

async function invitationRows(email: string) {
  return server.services.db.kysely.selectFrom("invitations").selectAll().where("email", "=", email).execute();
}

const { server, smtp } = useTestEnv();

describe("sign-in and the session", () => {
  test("pages need a sign-in; a wrong token is refused in words; the right one opens a sealed session and goes back", async () => {
    const client = new HttpClient(server.url);
    const gate = await client.get(`${STORE}/invitations?status=pending`);
    expect(gate.status).toBe(302);
    expect(gate.location).toBe(`/admin/sign-in?next=${encodeURIComponent(`${STORE}/invitations?status=pending`)}`);

    const form = await client.get(gate.location!);
    expect(form.status).toBe(200);
    expect(form.text).toContain("Sign in to account management");
    expect(form.html).toMatch(/<input[^>]*type="password"[^>]*name="token"|<input[^>]*name="token"[^>]*type="password"/);

    const wrong = await client.post(gate.location!, { token: "not-the-token" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("That admin token is not valid.");
    expect(wrong.html).not.toContain("not-the-token");

    const ok = await client.post(gate.location!, { token: "demo-admin-token" });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe(`${STORE}/invitations?status=pending`);
    const cookie = ok.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^admin_session=Fe26\.2\*/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/;/);
    expect(cookie).not.toMatch(/Secure/);
    // The token is nowhere in the cookie, the URL or the page.
    expect(cookie).not.toContain("demo-admin-token");
    const page = await client.get(ok.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Signed in as demo-admin");
    expect(page.html).not.toContain("demo-admin-token");
  });

  test("the sign-in page only sends back to console pages", async () => {
    const client = new HttpClient(server.url);
    await client.get("/admin/sign-in");
    const res = await client.post(`/admin/sign-in?next=${encodeURIComponent("https://evil.example/admin")}`, { token: "demo-admin-token" });
    expect(res.location).toBe("/admin");
    const client2 = new HttpClient(server.url);
    await client2.get("/admin/sign-in");
    const res2 = await client2.post(`/admin/sign-in?next=${encodeURIComponent("//evil.example/admin")}`, { token: "demo-admin-token" });
    expect(res2.location).toBe("/admin");
  });

  test("a sign-in without the page's CSRF token, or from another site, is refused", async () => {
    const client = new HttpClient(server.url);
    await client.get("/admin/sign-in");
    const forged = await client.post("/admin/sign-in", { token: "demo-admin-token", csrf: "forged" });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("The sign-in form expired.");
    const crossSite = await client.post("/admin/sign-in", { token: "demo-admin-token" }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect((await client.get("/admin")).status).toBe(302);
  });

  test("the cookie is Secure when PUBLIC_URL is https", async () => {
    const secure = await startTestServer({ env: { PUBLIC_URL: "https://invite.example" } });
    try {
      const res = await new HttpClient(secure.url).get("/admin/sign-in");
      expect(res.headers.get("set-cookie")).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  test("sign-out ends the session", async () => {
    const client = await signedIn();
    await client.get("/admin");
    const out = await client.post("/admin/sign-out", {});
    expect(out.status).toBe(302);
    expect(out.location).toBe("/admin/sign-in");
    expect((await client.get("/admin")).status).toBe(302);
  });

  test("after ten wrong tokens from one address, even the right one must wait", async () => {
    const local = await startTestServer();
    try {
      const client = new HttpClient(local.url);
      await client.get("/admin/sign-in");
      // Right tokens are not counted.
      for (let i = 0; i < 12; i++) expect((await new HttpClient(local.url).signIn()).status).toBe(302);
      for (let i = 0; i < 10; i++) expect((await client.post("/admin/sign-in", { token: `wrong-${i}` })).status).toBe(401);
      const last = await client.post("/admin/sign-in", { token: "demo-admin-token" });
      expect(last.status).toBe(429);
      expect(last.text).toMatch(/Too many attempts\. Wait \d+ seconds/);
      expect(last.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await client.get("/admin")).status).toBe(302);
    } finally {
      await local.close();
    }
  });
});

describe("the store picker and the lists", () => {
  test("the start page lists the identity stores; an unknown store is a page saying not found", async () => {
    const client = await signedIn();
    const home = await client.get("/admin");
    expect(home.text).toContain("Identity stores");
    expect(home.html).toContain(`href="${STORE}/invitations"`);
    const missing = await client.get("/admin/stores/nope/invitations");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("Not found");
  });

  test("invitations list: status badges, search by part of the email, filter by status, paging", async () => {
    const client = await signedIn();
    const tag = `srch${Date.now()}`;
    for (let i = 0; i < 23; i++) await createInvitation(server, shopInvite({ email: `${tag}-${i}@example.com`, sendEmail: false }));
    const page1 = await client.get(`${STORE}/invitations?q=${tag}`);
    expect(page1.text).toContain("Invitations found: 23");
    expect(page1.text).toContain("Page 1 of 2");
    expect(page1.html.match(/class="badge pending"/g)).toHaveLength(20);
    const page2 = await client.get(`${STORE}/invitations?q=${tag.toUpperCase()}&page=2`);
    expect(page2.html.match(/class="badge pending"/g)).toHaveLength(3);
    const done = await client.get(`${STORE}/invitations?q=${tag}&status=done`);
    expect(done.text).toContain("No invitation matches.");
    const wildcard = await client.get(`${STORE}/invitations?q=${encodeURIComponent("%")}`);
    expect(wildcard.text).toContain("No invitation matches.");
  });
});

describe("Invite customer without JavaScript", () => {
  test("choosing an organization re-renders the form with its clients and roles; sending shows the Pending invitation", async () => {
    const client = await signedIn();
    const form = await client.get(`${STORE}/invitations/new`);
    expect(form.status).toBe(200);
    // No organization: only OAuth2 clients of non-organizational applications, never the SAML2 one.
    expect(form.html).toContain('value="shop-web"');
    expect(form.html).not.toContain('value="partner-portal"');
    expect(form.html).not.toContain('value="shop-saml"');
    expect(form.text).toContain("Roles belong to organizations");

    const email = uniqueEmail("console");
    const refresh = await client.post(`${STORE}/invitations/new`, {
      email,
      language: "fr-FR",
      organization: "northwind",
      __intent__: JSON.stringify({ type: "validate", payload: { name: "organization" } }),
    });
    expect(refresh.status).toBe(200);
    expect(refresh.html).toContain('value="partner-portal"');
    expect(refresh.html).not.toContain('value="shop-web"');
    expect(refresh.html).toContain('value="buyer"');
    // What was typed is kept.
    expect(refresh.html).toContain(`value="${email}"`);
    expect(await invitationRows(email)).toHaveLength(0);

    const sent = await client.post(`${STORE}/invitations/new`, {
      email,
      language: "fr-FR",
      organization: "northwind",
      clientId: "partner-portal",
      role: "buyer",
      groups: ["newsletter"],
      firstName: "Camille",
      lastName: "Durand",
      companyName: "Northwind",
      jobTitle: "",
    });
    expect(sent.status).toBe(302);
    const [row] = await invitationRows(email);
    expect(row).toMatchObject({ organization: "northwind", client_id: "partner-portal", language: "fr-FR", status: "pending" });
    expect(JSON.parse(row!.roles)).toEqual([{ id: "buyer", organization: "northwind" }]);
    expect(JSON.parse(row!.groups)).toEqual([{ id: "newsletter" }]);
    expect(JSON.parse(row!.metadata)).toEqual({ firstName: "Camille", lastName: "Durand", companyName: "Northwind" });
    expect(sent.location).toBe(`${STORE}/invitations/${row!.id}?notice=created`);

    const detail = await client.get(sent.location!);
    expect(detail.text).toContain(`Invitation sent to ${email}.`);
    expect(detail.html).toContain('class="badge pending"');
    expect(detail.text).toContain("Resend invitation");
    expect(detail.text).toContain("View details");
    expect(detail.text).toContain("Revoke invitation");
    expect(detail.text).toContain("Buyer");
    expect(detail.text).toContain("Beta testers"); // the application's group, shown in the details
    expect((await mailTo(email))[0]!.subject).toBe("Activez votre compte Acme");

    const list = await client.get(`${STORE}/invitations?q=${encodeURIComponent(email)}`);
    expect(list.text).toContain(email);
    expect(list.text).toContain("Pending");
  });

  const invite = (fields: Record<string, string | string[]>) => ({ language: "en-US", clientId: "shop-web", ...fields });

  test.each([
    ["a SAML2 client", { clientId: "shop-saml" }, "Only OAuth2/OIDC clients can be used for invitations; SAML2 clients cannot."],
    [
      "an organization with a non-organizational client",
      { organization: "northwind" },
      "An invitation to an organization needs a client of an organizational application.",
    ],
    [
      "no organization with an organizational client",
      { clientId: "partner-portal" },
      "Without an organization, choose a client of a non-organizational application.",
    ],
    // (Only a hand-made POST can send a role without an organization: the form shows no role then.)
    ["a role without an organization", { role: "buyer" }, "Roles can only be assigned with an organization."],
    ["an unknown group", { groups: ["vip"] }, "This group does not exist in the identity store."],
    ["an email that is not one", { email: "nope" }, "Enter an email address like name@example.com."],
    ["no client", { clientId: "" }, "Choose a client."],
  ])("%s: the form says so next to the field and in the summary, and nothing is created", async (_name, fields, message) => {
    const client = await signedIn();
    await client.get(`${STORE}/invitations/new`);
    const email = uniqueEmail("rule");
    const res = await client.post(`${STORE}/invitations/new`, invite({ email, ...fields }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("Please correct the following");
    expect(res.text.split(message).length - 1).toBeGreaterThanOrEqual(2);
    if (!("role" in fields)) expect(res.html).toMatch(/aria-invalid="true"/);
    expect(await invitationRows(email)).toHaveLength(0);
  });

  test("a pending invitation for the email: the form says so and links to it", async () => {
    const client = await signedIn();
    const existing = await createInvitation(server, shopInvite({ sendEmail: false }));
    await client.get(`${STORE}/invitations/new`);
    const res = await client.post(`${STORE}/invitations/new`, invite({ email: existing.email.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.text).toContain("This customer already has a pending invitation.");
    expect(res.html).toContain(`href="${STORE}/invitations/${existing.id}"`);
  });

  test("an existing account under a locking policy: the form explains it", async () => {
    const client = await signedIn();
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
      password: "correct horse battery staple",
      profile: {},
      locale: "en-US",
    });
    await client.get(`${STORE}/invitations/new`);
    const res = await client.post(`${STORE}/invitations/new`, invite({ email: inv.email }));
    expect(res.status).toBe(409);
    expect(res.text).toContain("An account with this email address already exists");
  });

  test("a POST without the session's CSRF token, or from another site, changes nothing", async () => {
    const client = await signedIn();
    await client.get(`${STORE}/invitations/new`);
    const email = uniqueEmail("csrf");
    const forged = await client.post(`${STORE}/invitations/new`, invite({ email, csrf: "x" }));
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("This form has expired");
    const crossSite = await client.post(`${STORE}/invitations/new`, invite({ email }), { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(await invitationRows(email)).toHaveLength(0);
  });

  test("in French when the browser asks for French", async () => {
    const client = await signedIn(undefined, { "accept-language": "fr-FR,fr;q=0.9" });
    const form = await client.get(`${STORE}/invitations/new`);
    expect(form.html).toMatch(/<html lang="fr-FR"/);
    expect(form.text).toContain("Inviter un client");
    expect(form.text).toContain("Aucune organisation");
    const res = await client.post(`${STORE}/invitations/new`, invite({ email: uniqueEmail(), clientId: "shop-saml" }));
    expect(res.text).toContain("Seuls les clients OAuth2/OIDC peuvent servir aux invitations");
  });
});

describe("detail view: Resend, Revoke, and the account of a Done invitation", () => {
  test("Resend sends a new link and says so; the old link dies", async () => {
    const client = await signedIn();
    const email = uniqueEmail("resend");
    const inv = await createInvitation(server, shopInvite({ email }));
    const [first] = await mailTo(email);
    await client.get(`${STORE}/invitations/${inv.id}`);
    const res = await client.post(`${STORE}/invitations/${inv.id}`, {});
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${STORE}/invitations/${inv.id}?notice=resent`);
    const page = await client.get(res.location!);
    expect(page.text).toContain(`A new link was sent to ${email}.`);
    const mails = await mailTo(email, 2);
    expect(mails[1]!.link).not.toBe(first!.link);
    expect((await lookupLink(server.services, tokenHashOf(tokenOf(first!.link!)))).kind).toBe("invalid");
  });

  test("Revoke asks first, then removes the invitation and kills its link", async () => {
    const client = await signedIn();
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const confirm = await client.get(`${STORE}/invitations/${inv.id}/revoke`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Revoke the invitation sent to ${inv.email}?`);
    // Opening the confirmation changed nothing.
    expect(await invitationRows(inv.email)).toHaveLength(1);

    const done = await client.post(`${STORE}/invitations/${inv.id}/revoke`, {});
    expect(done.status).toBe(302);
    expect(done.location).toBe(`${STORE}/invitations?notice=revoked`);
    expect((await client.get(done.location!)).text).toContain("The invitation was revoked.");
    expect(await invitationRows(inv.email)).toHaveLength(0);
    expect((await lookupLink(server.services, tokenHashOf(tokenOf(inv.invitationUrl)))).kind).toBe("invalid");
    expect((await client.get(`${STORE}/invitations/${inv.id}`)).status).toBe(404);
  });

  test("a Done invitation offers its account, which shows the application's groups too", async () => {
    const client = await signedIn();
    const inv = await createInvitation(server, {
      clientId: "partner-portal",
      email: uniqueEmail("done"),
      organization: "northwind",
      roles: [{ id: "approver", organization: "northwind" }],
      groups: [{ id: "newsletter" }],
      sendEmail: false,
    });
    const { accountId } = (await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
      password: "correct horse battery staple",
      profile: { firstName: "Dana" },
      locale: "en-US",
    })) as { accountId: string };
    const detail = await client.get(`${STORE}/invitations/${inv.id}`);
    expect(detail.html).toContain('class="badge done"');
    expect(detail.text).not.toContain("Resend invitation");
    expect(detail.html).toContain(`href="${STORE}/accounts/${accountId}"`);

    const account = await client.get(`${STORE}/accounts/${accountId}`);
    expect(account.status).toBe(200);
    expect(account.text).toContain(inv.email);
    expect(account.text).toContain("Northwind");
    expect(account.text).toContain("Approver");
    expect(account.text).toContain("Newsletter, Beta testers");
    expect(account.text).toContain("Partner portal (partner-portal)");

    const accounts = await client.get(`${STORE}/accounts?q=${encodeURIComponent(inv.email)}`);
    expect(accounts.text).toContain("Accounts found: 1");
    expect(accounts.text).toContain("Active");
  });
});

describe("a read-only token", () => {
  test("sees the lists but no Invite, Resend or Revoke, and its POSTs change nothing", async () => {
    const client = await signedIn(DEMO_READONLY_TOKEN);
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const list = await client.get(`${STORE}/invitations`);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain("Invite customer");
    const detail = await client.get(`${STORE}/invitations/${inv.id}`);
    expect(detail.text).not.toContain("Resend invitation");
    expect(detail.text).not.toContain("Revoke invitation");
    expect((await client.get(`${STORE}/invitations/new`)).status).toBe(403);

    const resend = await client.post(`${STORE}/invitations/${inv.id}`, {});
    expect(resend.status).toBe(403);
    expect(resend.text).toContain("Not allowed with this token");
    expect((await client.post(`${STORE}/invitations/${inv.id}/revoke`, {})).status).toBe(403);
    const email = uniqueEmail();
    expect((await client.post(`${STORE}/invitations/new`, { email, language: "en-US", clientId: "shop-web" })).status).toBe(403);
    expect(await invitationRows(email)).toHaveLength(0);
    const [row] = await invitationRows(inv.email);
    expect(row).toMatchObject({ resend_count: 0 });
  });
});
