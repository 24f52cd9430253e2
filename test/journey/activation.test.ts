// The email journey over real HTTP: pre-register, the email from the SMTP listener, the landing
// page, Activate, the activation form (errors, then success) and the hand-off to the authorization
// endpoint; a double submission, a posted identifier that differs from a locked one, a chosen
// email where the application allows one, and script in a pre-filled name.
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { dom, filledForm, invitedByEmail, openActivation, pathOf, STRONG_PASSWORD, textOf, uniqueEmail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

const env = useTestEnv();

const db = () => env.server.services.db.kysely;
const summaryOf = (html: string) => [...dom(html).querySelectorAll("#error-summary li")].map((li) => li.textContent);

it("takes an emailed invitee from the landing page to the authorization endpoint with every parameter", async () => {
  const { email, uuid, link, mail } = await invitedByEmail(env);
  expect(link).toBe(`${env.server.url}${pathOf(link)}`);
  expect(mail.subject).toBe("Activate your Acme account");
  const client = new HttpClient(env.server.url);

  // The landing page: the brand, a welcome, one Activate Account button that posts.
  const landing = await client.get(`${pathOf(link)}?state=portal-state-42`);
  expect(landing.status).toBe(200);
  const page = dom(landing.html);
  expect(page.documentElement.lang).toBe("en-US");
  expect(page.querySelector("header img")?.getAttribute("alt")).toBe("Acme");
  expect(textOf(page, "main")).toContain("Hello Ada,");
  const buttons = page.querySelectorAll("main button");
  expect(buttons).toHaveLength(1);
  expect(buttons[0]!.textContent).toBe("Activate Account");
  expect(buttons[0]!.closest("form")?.getAttribute("method")).toBe("post");

  // Activate: a 303 to /activate; the token stays behind, the journey is in an HttpOnly cookie.
  const token = pathOf(link).split("/").pop()!;
  const started = await client.post(`${pathOf(link)}?state=portal-state-42`, { csrf: landing.csrf! });
  expect(started.status).toBe(303);
  expect(started.location).toBe("/activate");
  const cookie = started.headers.getSetCookie().join("\n");
  expect(cookie).toMatch(/^journey=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
  expect(cookie).not.toContain(token);

  // The form: identifier read-only, profile pre-filled, the password policy before the field.
  const form = await client.get("/activate");
  expect(form.status).toBe(200);
  expect(form.html).not.toContain(token);
  const doc = dom(form.html);
  const identifier = doc.querySelector<HTMLInputElement>("#identifier")!;
  expect([identifier.type, identifier.readOnly, identifier.value, identifier.name]).toEqual(["email", true, email, ""]);
  const input = (name: string) => doc.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  expect([input("firstName").value, input("firstName").autocomplete]).toEqual(["Ada", "given-name"]);
  expect([input("lastName").value, input("lastName").autocomplete]).toEqual(["Lovelace", "family-name"]);
  expect([input("password").type, input("password").autocomplete]).toEqual(["password", "new-password"]);
  // One password field, in GOV.UK's manner; its Show button exists only once JavaScript runs.
  expect(doc.querySelectorAll("input[type=password]")).toHaveLength(1);
  expect([input("password").getAttribute("spellcheck"), input("password").getAttribute("autocapitalize")]).toEqual(["false", "none"]);
  expect(doc.querySelector('form#activate button[type="button"]')).toBeNull();
  const policy = doc.getElementById(input("password").getAttribute("aria-describedby")!)!;
  expect(policy.textContent).toMatch(/^Use at least 12 characters\./);
  expect(policy.compareDocumentPosition(input("password")) & 4).toBeTruthy(); // stated before the field
  expect(doc.querySelector('label[for="activate-acceptTerms"] a')?.getAttribute("href")).toBe("https://acme.example/terms");
  expect(doc.querySelector('label[for="activate-acceptPrivacy"] a')?.getAttribute("href")).toBe("https://acme.example/privacy");

  // A weak password and no terms: 400, errors beside the fields and in the summary, input kept.
  const bad = await client.post("/activate", {
    ...filledForm(form.csrf!, { firstName: "Ada Augusta", password: "short" }),
    acceptTerms: "",
  });
  expect(bad.status).toBe(400);
  const badHtml = bad.html;
  const errors = dom(badHtml);
  expect([...errors.querySelectorAll("#error-summary li a")].map((a) => [a.getAttribute("href"), a.textContent])).toEqual([
    ["#activate-password", "Password: Use at least 12 characters."],
    ["#activate-acceptTerms", "Terms and conditions: Accept the terms and conditions to continue."],
  ]);
  const password = errors.querySelector("#activate-password")!;
  expect(password.getAttribute("aria-invalid")).toBe("true");
  expect(password.getAttribute("aria-describedby")).toBe("activate-password-hint activate-password-error");
  expect(textOf(errors, "#activate-password-error")).toBe("Use at least 12 characters.");
  expect(textOf(errors, "#activate-acceptTerms-error")).toBe("Accept the terms and conditions to continue.");
  expect(errors.querySelector<HTMLInputElement>('input[name="firstName"]')!.value).toBe("Ada Augusta");
  expect(errors.querySelector<HTMLInputElement>('input[name="acceptPrivacy"]')!.checked).toBe(true);
  expect(badHtml).not.toContain("short");
  expect((await findAccountByIdentifier(db(), "customers", { email }))?.status).toBe("pending");

  // Success: 303 to the authorization endpoint with every parameter, the journey cookie cleared.
  const done = await client.post("/activate", filledForm(form.csrf!, { firstName: "Ada Augusta" }));
  expect(done.status).toBe(303);
  const to = new URL(done.location!);
  expect(to.origin + to.pathname).toBe(`${env.server.url}/dev/authorize`);
  expect(Object.fromEntries(to.searchParams)).toEqual({
    client_id: "shop-web",
    redirect_uri: "https://shop.acme.example/callback",
    response_type: "code",
    scope: "openid",
    login_hint: email,
    ui_locales: "en-US",
    state: "portal-state-42",
  });
  expect(done.headers.getSetCookie().join()).toMatch(/^journey=; Max-Age=0/);
  expect(client.cookies.has("journey")).toBe(false);

  const account = await findAccountByIdentifier(db(), "customers", { email });
  expect(account).toMatchObject({
    id: uuid,
    status: "active",
    emailVerified: true,
    locale: "en-US",
    groups: ["newsletter"],
    profile: { firstName: "Ada Augusta", lastName: "Lovelace" },
  });
  const row = await db().selectFrom("accounts").select("password_hash").where("id", "=", uuid).executeTakeFirstOrThrow();
  expect(row.password_hash).toMatch(/^\$argon2id\$/);
  const invitation = await db().selectFrom("invitations").selectAll().where("account_id", "=", uuid).executeTakeFirstOrThrow();
  expect(invitation.status).toBe("done");

  // The link again: already used, with a Sign in button to the authorization endpoint.
  const again = await new HttpClient(env.server.url).get(pathOf(link));
  expect(again.status).toBe(410);
  const used = dom(again.html);
  expect(textOf(used, "h1")).toBe("Your account is already activated");
  const signIn = new URL(used.querySelector<HTMLAnchorElement>("main a.button")!.href);
  expect(signIn.pathname).toBe("/dev/authorize");
  expect(signIn.searchParams.get("client_id")).toBe("shop-web");
  expect(signIn.searchParams.has("login_hint")).toBe(false);
  expect(again.html).not.toContain(email);
});

it("accepts a form without profile review changes and says the policy's maximum too", async () => {
  const { link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  const long = "x".repeat(257);
  const res = await client.post("/activate", filledForm(form.csrf!, { password: long, lastName: "" }));
  expect(res.status).toBe(400);
  expect(summaryOf(res.html)).toEqual(["Last name: Fill in this field.", "Password: Use at most 256 characters."]);
  // One password field: a confirmation an older page still sends is ignored, whatever it holds.
  const withConfirmation = await client.post("/activate", filledForm(form.csrf!, { confirmPassword: `${STRONG_PASSWORD}!` }));
  expect(withConfirmation.status).toBe(303);
});

it("refuses posts without the journey's CSRF token or from another site", async () => {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);

  const forged = await client.post("/activate", filledForm("forged-token"));
  expect(forged.status).toBe(403);
  const forgedPage = dom(forged.html);
  expect(textOf(forgedPage, "#error-summary")).toContain("For your security this form had expired.");
  expect(forgedPage.querySelector<HTMLInputElement>('input[name="firstName"]')!.value).toBe("Ada");

  const crossSite = await client.post("/activate", filledForm(form.csrf!), {
    "Sec-Fetch-Site": "cross-site",
    Origin: "https://evil.example",
  });
  expect(crossSite.status).toBe(403);

  // The landing page's button too.
  const landing = await new HttpClient(env.server.url).get(pathOf(link));
  const noCookie = await new HttpClient(env.server.url).post(pathOf(link), { csrf: landing.csrf! });
  expect(noCookie.status).toBe(403);
  expect(noCookie.html).toContain("Press Activate Account again.");

  expect((await findAccountByIdentifier(db(), "customers", { email }))?.status).toBe("pending");
});

it("creates exactly one account from two simultaneous submissions; the other sees 'already activated'", async () => {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  const [a, b] = await Promise.all([
    client.post("/activate", filledForm(form.csrf!)),
    client.post("/activate", filledForm(form.csrf!, { firstName: "Other" })),
  ]);
  expect([a.status, b.status].sort()).toEqual([303, 409]);
  const loser = a.status === 409 ? a : b;
  expect(loser.html).toContain("Your account is already activated");
  const accounts = await db().selectFrom("accounts").selectAll().where("email", "=", email).execute();
  expect(accounts).toHaveLength(1);
  expect(accounts[0]!.status).toBe("active");
});

it("ignores a posted identifier when the identifier is locked", async () => {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  const res = await client.post(
    "/activate",
    filledForm(form.csrf!, { email: "attacker@evil.example", emailAddress: "attacker@evil.example" }),
  );
  expect(res.status).toBe(303);
  expect(new URL(res.location!).searchParams.get("login_hint")).toBe(email);
  expect((await findAccountByIdentifier(db(), "customers", { email }))?.status).toBe("active");
  expect(await findAccountByIdentifier(db(), "customers", { email: "attacker@evil.example" })).toBeUndefined();
});

it("lets the invitee choose another email where the application allows it, and says when it is taken", async () => {
  const profile = { companyName: "Northwind", addressLine1: "1 Main St", city: "Lyon", postalCode: "69001", country: "France" };
  const taken = await invitedByEmail(env, { clientId: "partner-portal", profile });
  const client = new HttpClient(env.server.url);
  const takenForm = await openActivation(client, taken.link);
  await client.post("/activate", filledForm(takenForm.csrf!, { ...profile, email: taken.email })).then((r) => expect(r.status).toBe(303));

  const { link, email: invited } = await invitedByEmail(env, { clientId: "partner-portal", profile });
  const other = new HttpClient(env.server.url);
  const form = await openActivation(other, link);
  const doc = dom(form.html);
  // French: the partner portal's client default locale.
  expect(doc.documentElement.lang).toBe("fr-FR");
  const field = (name: string) => doc.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  expect([field("email").type, field("email").readOnly, field("email").value, field("email").autocomplete]).toEqual([
    "email",
    false,
    invited,
    "email",
  ]);
  expect(doc.querySelector("#identifier")).toBeNull();
  expect([field("companyName").value, field("companyName").autocomplete]).toEqual(["Northwind", "organization"]);
  expect([field("postalCode").value, field("postalCode").autocomplete]).toEqual(["69001", "postal-code"]);

  const clash = await other.post("/activate", filledForm(form.csrf!, { ...profile, email: taken.email }));
  expect(clash.status).toBe(409);
  expect(textOf(dom(clash.html), "#activate-email-error")).toMatch(/^Un compte utilise déjà cette adresse e-mail\./);

  const chosen = uniqueEmail("chosen");
  const res = await other.post("/activate", filledForm(form.csrf!, { ...profile, email: chosen.toUpperCase() }));
  expect(res.status).toBe(303);
  const to = new URL(res.location!);
  expect(to.searchParams.get("login_hint")).toBe(chosen);
  expect(to.searchParams.get("ui_locales")).toBe("fr-FR");
  expect(to.searchParams.get("redirect_uri")).toBe("https://partners.acme.example/callback");
  expect(await findAccountByIdentifier(db(), "customers", { email: chosen })).toMatchObject({
    status: "active",
    locale: "fr-FR",
    groups: ["beta"],
    profile: expect.objectContaining(profile),
    // The invitee typed this address; nothing has proven they own it yet.
    emailVerified: false,
  });
  // The address the link was sent to is proven by following it.
  expect(await findAccountByIdentifier(db(), "customers", { email: taken.email })).toMatchObject({ emailVerified: true });
});

it("renders script in a pre-filled name as text", async () => {
  const script = `<script>alert("x")</script>`;
  const { link } = await invitedByEmail(env, { profile: { firstName: script } });
  const client = new HttpClient(env.server.url);
  const landing = await client.get(pathOf(link));
  expect(landing.html).not.toContain(script);
  const page = dom(landing.html);
  expect(textOf(page, "main p")).toBe(`Hello ${script},`);
  expect(page.querySelectorAll("main script")).toHaveLength(0);
  const form = await openActivation(client, link);
  expect(form.html).not.toContain(script);
  expect(dom(form.html).querySelector<HTMLInputElement>('input[name="firstName"]')!.value).toBe(script);
});
