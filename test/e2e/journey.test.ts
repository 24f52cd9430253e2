// The invitee journey in a real Chromium with JavaScript on, as an invitee does it: from a
// pre-register call through the email the SMTP listener received, Activate, the form refusing a
// submission and following the corrections, success and the redirect; in French; with the keyboard
// alone; embedded in a portal's page that hears about the activation; axe on every page on the
// way. One browser for the file.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { axeViolations, launchBrowser, scriptsReady } from "../support/browser.js";
import { tenantWith } from "../support/config.js";
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { invitedByEmail, invitedBySms, STRONG_PASSWORD } from "../journey/support.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

// A browser flow of several pages and axe scans: it waits on states, never on a clock, and a busy
// machine may take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let env: TestEnv;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let parent: Server;
let parentOrigin: string;
/** Console errors and uncaught exceptions: hydration mismatches and CSP refusals show up here. */
const problems: string[] = [];

beforeAll(async () => {
  // A portal page on another port (same site, as a portal on a sibling subdomain would be) that
  // embeds the journey and records the messages it receives.
  parent = createServer((req, res) => {
    const src = new URL(req.url ?? "/", "http://x").searchParams.get("src") ?? "";
    res.writeHead(200, { "Content-Type": "text/html" }).end(`<!doctype html><html lang="en"><title>Portal</title>
<script>window.messages=[];addEventListener("message",(e)=>messages.push({origin:e.origin,data:e.data}));</script>
<iframe title="Activate your account" src="${src.replace(/"/g, "&quot;")}" style="width:100%;height:900px"></iframe>`);
  });
  await new Promise<void>((resolve) => parent.listen(0, "127.0.0.1", resolve));
  parentOrigin = `http://localhost:${(parent.address() as AddressInfo).port}`;
  const tenant = tenantWith((c) => {
    c.applications[0].clients[0].frameAncestors = [parentOrigin, "https://shop.acme.example"];
  });
  [env, browser] = await Promise.all([startTestEnv({ tenant }), launchBrowser()]);
  context = await browser.newContext({ locale: "en-US" });
  page = await context.newPage();
  // Honest statuses (a 410 page) are logged as failed loads; anything else is a problem.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
  await new Promise((resolve) => parent?.close(resolve));
});
afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

function authorizeParams(url: string) {
  return Object.fromEntries(new URL(url).searchParams);
}

it("activates an emailed invitee: landing, Activate, a refused submission and its corrections, success, redirect", async () => {
  const { email, mail } = await invitedByEmail(env);
  await page.goto(mail.link!);
  await scriptsReady(page);
  expect(await page.locator("html").getAttribute("lang")).toBe("en-US");
  expect(await page.getByRole("img", { name: "Acme" }).isVisible()).toBe(true);
  expect(await page.getByRole("main").getByRole("button").allTextContents()).toEqual(["Activate Account"]);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Activate Account" }).click();
  await page.waitForURL("**/activate");
  await scriptsReady(page);
  const identifier = page.getByLabel("Email address");
  expect(await identifier.inputValue()).toBe(email);
  expect(await identifier.getAttribute("readonly")).not.toBeNull();
  expect(await page.getByLabel("First name").inputValue()).toBe("Ada");
  expect(await axeViolations(page)).toEqual([]);

  // Nothing is flagged on leaving a field; submitting a short password without the terms: nothing
  // is sent, the summary lists every problem.
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("First name").focus();
  expect(await page.locator("#activate-password-error").count()).toBe(0);
  await page.getByRole("button", { name: "Activate my account" }).click();
  const summary = page.locator("#error-summary");
  await summary.waitFor();
  expect(await summary.locator("li").allTextContents()).toEqual([
    "Password: Use at least 12 characters.",
    "Terms and conditions: Accept the terms and conditions to continue.",
    "Privacy notice: Confirm that you have read the privacy notice.",
  ]);
  expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect(await axeViolations(page)).toEqual([]);
  expect(page.url()).toMatch(/\/activate$/);

  // A flagged field is checked again as it is corrected.
  await page.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
  await expect.poll(() => page.locator("#activate-password-error").count()).toBe(0);
  await page.getByLabel("I accept the terms and conditions").check();
  await page.getByLabel("I have read the privacy notice").check();
  await expect.poll(() => summary.count()).toBe(0);
  await page.getByRole("button", { name: "Activate my account" }).click();
  await page.waitForURL("**/dev/authorize?**");
  expect(authorizeParams(page.url())).toEqual({
    client_id: "shop-web",
    redirect_uri: "https://shop.acme.example/callback",
    response_type: "code",
    scope: "openid",
    login_hint: email,
    ui_locales: "en-US",
  });
  expect((await findAccountByIdentifier(env.server.services.db.kysely, "customers", { email }))?.status).toBe("active");

  // The link again: the 'already activated' page and its Sign in button.
  await page.goto(mail.link!);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your account is already activated");
  expect(await page.getByRole("link", { name: "Sign in" }).getAttribute("href")).toMatch(/\/dev\/authorize\?client_id=shop-web/);
  expect(await axeViolations(page)).toEqual([]);
});

it("does the same in French, with the state the portal passed", async () => {
  const { email, mail } = await invitedByEmail(env, { locale: "fr-FR" });
  expect(mail.subject).toBe("Activez votre compte Acme");
  await page.goto(`${mail.link}?state=xyz-123`);
  expect(await page.locator("html").getAttribute("lang")).toBe("fr-FR");
  await page.getByRole("button", { name: "Activer le compte" }).click();
  await page.waitForURL("**/activate");
  await scriptsReady(page);
  expect(await page.getByLabel("Adresse e-mail").inputValue()).toBe(email);
  await page.getByRole("button", { name: "Activer mon compte" }).click();
  expect(await page.locator("#error-summary h2").textContent()).toBe("Il y a un problème");
  expect(await page.locator("#activate-password-error").textContent()).toBe("Remplissez ce champ.");
  expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel("Mot de passe", { exact: true }).fill(STRONG_PASSWORD);
  await page.getByLabel("J’accepte les conditions générales").check();
  await page.getByLabel("J’ai lu la politique de confidentialité").check();
  await page.getByRole("button", { name: "Activer mon compte" }).click();
  await page.waitForURL("**/dev/authorize?**");
  expect(authorizeParams(page.url())).toMatchObject({ login_hint: email, ui_locales: "fr-FR", state: "xyz-123" });
});

it("can be done with the keyboard alone", async () => {
  const { email, mail } = await invitedByEmail(env);
  const keyboard = await context.newPage();
  keyboard.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  try {
    await keyboard.goto(mail.link!);
    await scriptsReady(keyboard);
    /** Tabs until the focused element matches, as a person would. */
    const tab = async (selector: string) => {
      for (let i = 0; i < 30; i++) {
        await keyboard.keyboard.press("Tab");
        if (await keyboard.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`focus never reached ${selector}`);
    };
    await tab("main button");
    await keyboard.keyboard.press("Enter");
    await keyboard.waitForURL("**/activate");
    await scriptsReady(keyboard);
    await tab("input[name=password]");
    await keyboard.keyboard.type(STRONG_PASSWORD);
    await tab("input[name=acceptTerms]");
    await keyboard.keyboard.press("Space");
    await tab("input[name=acceptPrivacy]");
    await keyboard.keyboard.press("Space");
    await tab("button[type=submit]");
    await keyboard.keyboard.press("Enter");
    await keyboard.waitForURL("**/dev/authorize?**");
    expect(authorizeParams(keyboard.url()).login_hint).toBe(email);
  } finally {
    await keyboard.close();
  }
});

it("tells the embedding portal, and only its origin, that the account was activated", async () => {
  const { phone, link } = await invitedBySms(env);
  await page.goto(`${parentOrigin}/?src=${encodeURIComponent(`${link}?embed=1&state=embedded`)}`);
  const frame = page.frameLocator("iframe");
  await frame.getByLabel("Mobile number").waitFor();
  expect(await frame.getByLabel("Mobile number").inputValue()).toBe(phone);
  await frame.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
  await frame.getByLabel("I accept the terms and conditions").check();
  await frame.getByLabel("I have read the privacy notice").check();
  await frame.getByRole("button", { name: "Activate my account" }).click();
  await frame.getByRole("heading", { name: "Your account is activated" }).waitFor();
  await expect.poll(() => page.evaluate(() => (window as unknown as { messages: unknown[] }).messages.length)).toBe(1);
  const [message] = await page.evaluate(
    () => (window as unknown as { messages: { origin: string; data: { type: string; redirectTo: string; state: string } }[] }).messages,
  );
  expect(message!.origin).toBe(env.server.url);
  expect(message!.data.type).toBe("invite-journey:activated");
  expect(message!.data.state).toBe("embedded");
  expect(authorizeParams(message!.data.redirectTo)).toMatchObject({ login_hint: phone, state: "embedded", response_type: "code" });
  expect(await frame.getByRole("link", { name: "Continue" }).getAttribute("target")).toBe("_top");
  // The browser reports the message it could not deliver to the other allowed origin; that is expected.
  problems.splice(0);
});
