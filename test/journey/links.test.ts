// Every way a link can be followed over real HTTP: the SMS link, a brand portal's login_hint,
// expired, revoked, resent, used, unknown and malformed links, what a mail scanner's GETs do (nothing),
// the security headers, embedding, and the per-IP limit on token look-ups.
import { tenantWith } from "../support/config.js";
import { TestClock } from "../support/server.js";
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { TOKEN_LOOKUPS_PER_MINUTE } from "../../app/journey/limits.server.js";
import { dom, filledForm, invitedByEmail, invitedBySms, openActivation, pathOf, preRegister, textOf, waitForMail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { outboxDrained, outboxRows } from "../support/outbox.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

const PORTAL = "https://portal.acme.example/welcome";
let env: TestEnv;
const clock = new TestClock();
beforeAll(async () => {
  // shop-web hands its links to a brand portal; partner-portal links go straight to the journey.
  const tenant = tenantWith((c) => {
    c.applications[0].clients[0].loginUrl = PORTAL;
  });
  env = await startTestEnv({ tenant, clock });
});
afterAll(() => env.close());

const db = () => env.server.services.db.kysely;
const partnerProfile = {
  firstName: "Ada",
  lastName: "Lovelace",
  companyName: "Northwind",
  addressLine1: "1 Main St",
  city: "Lyon",
  postalCode: "69001",
  country: "France",
};
const mainOf = (html: string) => dom(html).querySelector("main")!.outerHTML;

async function snapshot() {
  const k = db();
  return {
    invitations: await k.selectFrom("invitations").selectAll().orderBy("id").execute(),
    accounts: await k.selectFrom("accounts").selectAll().orderBy("id").execute(),
    links: await k.selectFrom("account_clients").selectAll().orderBy("account_id").execute(),
    outbox: await k.selectFrom("outbox").select(["id", "status", "attempts"]).orderBy("id").execute(),
  };
}

it("takes an SMS invitee straight to the activation screen, the token out of the URL", async () => {
  const { phone, link } = await invitedBySms(env);
  expect(pathOf(link)).toMatch(/^\/i\/[A-Za-z0-9_-]{27}$/);
  const client = new HttpClient(env.server.url);
  const res = await client.get(pathOf(link));
  expect(res.status).toBe(303);
  expect(res.location).toBe("/activate");
  const form = await client.get("/activate");
  const doc = dom(form.html);
  const identifier = doc.querySelector<HTMLInputElement>("#identifier")!;
  expect([identifier.type, identifier.readOnly, identifier.value]).toEqual(["tel", true, phone]);
  expect(doc.querySelector('input[name="mobileNumber"]')).toBeNull();
  const done = await client.post("/activate", filledForm(form.csrf!, { firstName: "Grace", lastName: "Hopper" }));
  expect(done.status).toBe(303);
  const to = new URL(done.location!);
  expect(to.searchParams.get("login_hint")).toBe(phone);
  expect(to.searchParams.get("response_type")).toBe("code");
  expect(await findAccountByIdentifier(db(), "customers", { phone })).toMatchObject({ status: "active", phoneVerified: true, email: null });
});

it("follows a brand portal's login_hint to the same landing page, and refuses one it did not sign", async () => {
  const { link } = await invitedByEmail(env);
  expect(link.startsWith(`${PORTAL}?login_hint=`)).toBe(true);
  const hint = new URL(link).searchParams.get("login_hint")!;
  const client = new HttpClient(env.server.url);
  const landing = await client.get(`/invite?login_hint=${encodeURIComponent(hint)}&state=from-portal`);
  expect(landing.status).toBe(200);
  expect(textOf(dom(landing.html), "main button")).toBe("Activate Account");
  const started = await client.post(`/invite?index&login_hint=${encodeURIComponent(hint)}&state=from-portal`, { csrf: landing.csrf! });
  expect(started.status).toBe(303);
  const form = await client.get(started.location!);
  const done = await client.post("/activate", filledForm(form.csrf!));
  expect(new URL(done.location!).searchParams.get("state")).toBe("from-portal");

  const [header, payload] = hint.split(".");
  for (const bad of [`${header}.${payload}.forged-signature`, "not-a-jwt", ""]) {
    const res = await new HttpClient(env.server.url).get(`/invite?login_hint=${encodeURIComponent(bad)}`);
    expect(res.status).toBe(404);
  }
});

it("answers unknown, malformed, revoked and replaced links with the same 'no longer valid' page", async () => {
  const revoked = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  await db().deleteFrom("invitations").where("account_id", "=", revoked.uuid).execute();

  const replaced = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  const before = env.smtp.mails.length;
  const resend = await preRegister(env, {
    clientId: "partner-portal",
    resend: true,
    profile: { emailAddress: replaced.email, ...partnerProfile },
  });
  expect(resend.status).toBe(200);
  const fresh = await waitForMail(env, replaced.email, before);
  expect(fresh.link).not.toBe(replaced.link);

  const pages = [];
  for (const path of [
    pathOf(revoked.link),
    pathOf(replaced.link),
    "/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "/invite/%3Cscript%3E",
    "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ]) {
    const { html, ...res } = await new HttpClient(env.server.url).get(path, { "Accept-Language": "en-US" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    pages.push(mainOf(html));
  }
  expect(new Set(pages).size).toBe(1);
  expect(textOf(dom(`<body>${pages[0]}</body>`), "h1")).toBe("This link is no longer valid");

  // The resent link works; the old one cannot be activated either.
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, fresh.link!);
  expect(form.status).toBe(200);
  const oldClient = new HttpClient(env.server.url);
  const oldLanding = await oldClient.get(pathOf(replaced.link));
  expect(oldLanding.csrf).toBeUndefined();
  // A journey started before the resend dies with its link.
  const stale = new HttpClient(env.server.url);
  const { link: another, email } = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  const staleForm = await openActivation(stale, another);
  const n = env.smtp.mails.length;
  await preRegister(env, { clientId: "partner-portal", resend: true, profile: { emailAddress: email, ...partnerProfile } });
  await waitForMail(env, email, n);
  const late = await stale.post("/activate", filledForm(staleForm.csrf!, { ...partnerProfile, email }));
  expect(late.status).toBe(404);
  expect((await findAccountByIdentifier(db(), "customers", { email }))?.status).toBe("pending");
});

it("changes nothing when every link is merely opened, as mail scanners do", async () => {
  const email = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  const portal = await invitedByEmail(env);
  const sms = await invitedBySms(env);
  const before = await snapshot();
  const scanner = new HttpClient(env.server.url);
  const paths = [
    pathOf(email.link),
    `${pathOf(email.link)}?lng=fr-FR&state=x&embed=1`,
    pathOf(sms.link),
    `/invite?login_hint=${encodeURIComponent(new URL(portal.link).searchParams.get("login_hint")!)}`,
    "/activate",
    "/activate?lng=fr-FR",
  ];
  for (const path of paths) {
    for (const method of ["GET", "HEAD"]) {
      const res = await fetch(new URL(path, env.server.url), { method, redirect: "follow" });
      await res.arrayBuffer();
    }
    await scanner.get(path);
  }
  expect(await snapshot()).toEqual(before);
});

it("treats a journey cookie it did not seal as no journey at all", async () => {
  const { link } = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  for (const forged of ["garbage", "Fe26.2*1*a*b*c*d*e*f~2", "Fe26.2*1*%%*b*c*0*e*f~2", "Fe26.2**********~9"]) {
    const client = new HttpClient(env.server.url);
    client.cookies.set("journey", forged);
    expect((await client.get("/activate")).status).toBe(404);
    const landing = await client.get(pathOf(link));
    expect(landing.status).toBe(200);
    expect((await client.post(pathOf(link), { csrf: landing.csrf! })).status).toBe(303);
  }
});

it("opening a link seals no journey cookie: its form's token is a cookie of its own, which the journey then keeps", async () => {
  const { link } = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  // From an address of its own: the other tests' token look-ups stay within their per-IP limit.
  const address = { "x-forwarded-for": "192.0.2.170" };
  const client = new HttpClient(env.server.url, address);
  const landing = await client.get(pathOf(link));
  expect(landing.headers.getSetCookie()).toEqual([`journey-csrf=${landing.csrf}; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax`]);
  // Opened again in the same browser: the same token, nothing set.
  const again = await client.get(pathOf(link));
  expect([again.csrf, again.headers.getSetCookie()]).toEqual([landing.csrf, []]);
  // Another browser's token does not go with this browser's cookie, nor a token without its cookie.
  const other = await new HttpClient(env.server.url, address).get(pathOf(link));
  expect(other.csrf).not.toBe(landing.csrf);
  expect((await client.post(pathOf(link), { csrf: other.csrf! })).status).toBe(403);
  const noCookie = client.copy();
  noCookie.cookies.clear();
  expect((await noCookie.post(pathOf(link), { csrf: landing.csrf! })).status).toBe(403);
  // The button starts the journey, whose forms post the same token from now on.
  expect((await client.post(pathOf(link), { csrf: landing.csrf! })).status).toBe(303);
  expect((await client.get("/activate")).csrf).toBe(landing.csrf);
});

it("sends the security headers and lets only the client's origins frame the journey", async () => {
  const { link } = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  const partner = await new HttpClient(env.server.url).get(pathOf(link));
  expect(partner.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");

  const { phone, link: smsLink } = await invitedBySms(env);
  const client = new HttpClient(env.server.url);
  const sent = await client.get(`${pathOf(smsLink)}?embed=1&state=embedded-1&lng=fr-FR`);
  const form = await client.get(sent.location!);
  const csp = form.headers.get("content-security-policy")!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).toContain("frame-ancestors https://shop.acme.example");
  expect(form.headers.get("referrer-policy")).toBe("no-referrer");
  expect(form.headers.get("x-content-type-options")).toBe("nosniff");
  expect(form.headers.get("cache-control")).toBe("no-store");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  for (const tag of dom(form.html).querySelectorAll("script, style")) expect(tag.getAttribute("nonce")).toBe(nonce);

  // Embedded: the journey ends on a page that tells the parent, not on a redirect inside the frame.
  const done = await client.post("/activate", filledForm(form.csrf!, { firstName: "Grace", lastName: "Hopper" }));
  expect(done.status).toBe(200);
  expect(done.headers.get("content-security-policy")).toContain("frame-ancestors https://shop.acme.example");
  const page = dom(done.html);
  expect(textOf(page, "h1")).toBe("Votre compte est activé");
  const next = page.querySelector<HTMLAnchorElement>("main a.button")!;
  expect(next.target).toBe("_top");
  const to = new URL(next.href);
  expect(to.searchParams.get("login_hint")).toBe(phone);
  expect(to.searchParams.get("state")).toBe("embedded-1");
});

it("shows an expired link its own page, from which the invitee can get a new one", async () => {
  const { link, email } = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  clock.advanceHours(24 * 7 + 1);

  // Expired in the invitation's language; the form started before expiry cannot finish.
  const late = await client.post("/activate", filledForm(form.csrf!, { ...partnerProfile, email }));
  expect(late.status).toBe(410);
  expect((await findAccountByIdentifier(db(), "customers", { email }))?.status).toBe("pending");
  const visitor = new HttpClient(env.server.url);
  const expired = await visitor.get(pathOf(link));
  expect(expired.status).toBe(410);
  const page = dom(expired.html);
  expect(textOf(page, "h1")).toBe("Ce lien a expiré");
  expect(textOf(page, "main form button")).toBe("M’envoyer un nouveau lien");
  expect(expired.html).not.toContain(email);

  // Without the page's token nothing is sent.
  const mails = env.smtp.mails.length;
  const forged = await new HttpClient(env.server.url).post(pathOf(link), { intent: "new-link", csrf: "forged" });
  expect(forged.status).toBe(403);

  // Send me a new link: the same answer whether or not a message goes out; it goes to the invited address only.
  const sent = await visitor.post(pathOf(link), { intent: "new-link", csrf: expired.csrf! });
  expect([sent.status, sent.location]).toEqual([303, pathOf(link)]);
  const answer = await visitor.get(pathOf(link));
  expect(answer.status).toBe(200);
  expect(textOf(dom(answer.html), "main [role=status]")).toMatch(/un nouveau lien est en route/);
  const fresh = await waitForMail(env, email, mails);
  expect(env.smtp.mails.length).toBe(mails + 1);
  expect(fresh.subject).toBe("Activez votre compte Acme");
  expect((await new HttpClient(env.server.url).get(pathOf(link))).status).toBe(404);
  const renewed = await db().selectFrom("invitations").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  expect([renewed.status, renewed.resend_count]).toEqual(["pending", 1]);
  const done = new HttpClient(env.server.url);
  const again = await openActivation(done, fresh.link!);
  expect((await done.post("/activate", filledForm(again.csrf!, { ...partnerProfile, email }))).status).toBe(303);
});

it("renews an expired link at most three times an hour, saying the same each time", async () => {
  const invited = await invitedByEmail(env, { clientId: "partner-portal", profile: partnerProfile });
  const { email } = invited;
  let { link } = invited;
  const answers = new Set<string>();
  for (let i = 0; i < 4; i++) {
    clock.advanceHours(24 * 7 + 1);
    const client = new HttpClient(env.server.url);
    const expired = await client.get(pathOf(link));
    const before = env.smtp.mails.length;
    const sent = await client.post(pathOf(link), { intent: "new-link", csrf: expired.csrf! });
    expect(sent.status).toBe(303);
    answers.add(mainOf((await client.get(pathOf(link))).html));
    if (i < 3) link = (await waitForMail(env, email, before)).link!;
    else {
      // The fourth request sends nothing: the outbox holds the invitation and three new links, all sent.
      expect(await outboxRows(env.server, { recipient: email })).toHaveLength(4);
      await outboxDrained(env.server, { recipient: email });
      expect(env.smtp.to(email)).toHaveLength(4);
    }
  }
  expect(answers.size).toBe(1);
  // The shop's client does not allow resends: its expired page says to ask for a new invitation.
  const shop = await startTestEnv({ clock, tenant: tenantWith((c) => (c.applications[0].clients[0].resendInvite = false)) });
  try {
    const { link: shopLink } = await invitedByEmail(shop);
    clock.advanceHours(24 * 7 + 1);
    const page = dom((await new HttpClient(shop.server.url).get(pathOf(shopLink))).html);
    expect(page.querySelector("main form")).toBeNull();
    expect(textOf(page, "main")).toContain("Ask the person or service that invited you");
  } finally {
    await shop.close();
  }
});

it("under https the journey cookie is __Host- and Secure; an embedded journey's is partitioned SameSite=None", async () => {
  const secure = await startTestEnv({ env: { PUBLIC_URL: "https://journey.acme.example" } });
  try {
    const { link } = await invitedByEmail(secure);
    expect(link.startsWith("https://journey.acme.example/invite/")).toBe(true);
    const client = new HttpClient(secure.server.url);
    const landing = await client.get(pathOf(link));
    expect(landing.headers.get("strict-transport-security")).toContain("max-age=");
    const started = await client.post(pathOf(link), { csrf: landing.csrf! });
    expect(started.headers.getSetCookie().join("\n")).toMatch(
      /^__Host-journey=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect((await client.get("/activate")).status).toBe(200);

    // A portal on another site embeds the journey (?embed=1): the cookie must reach its iframe.
    const second = await invitedByEmail(secure);
    const framed = new HttpClient(secure.server.url);
    const framedLanding = await framed.get(`${pathOf(second.link)}?embed=1`);
    expect(framedLanding.headers.getSetCookie().join("\n")).toMatch(/; Secure; Partitioned; SameSite=None$/);
    const framedStart = await framed.post(`${pathOf(second.link)}?embed=1`, { csrf: framedLanding.csrf! });
    expect(framedStart.headers.getSetCookie().join("\n")).toMatch(
      /^__Host-journey=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; Partitioned; SameSite=None$/,
    );
    const framedForm = await framed.get("/activate");
    expect(framedForm.status).toBe(200);
    expect(framedForm.headers.getSetCookie().join("\n")).not.toContain("SameSite=Lax");
  } finally {
    await secure.close();
  }
});

it("limits token look-ups per IP", async () => {
  const limited = await startTestEnv();
  try {
    const client = new HttpClient(limited.server.url);
    for (let i = 0; i < TOKEN_LOOKUPS_PER_MINUTE; i++) expect((await client.get(`/invite/guess${i}`)).status).toBe(404);
    const { html, ...res } = await client.get("/i/one-too-many");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(textOf(dom(html), "h1")).toBe("Too many attempts");
  } finally {
    await limited.close();
  }
});
