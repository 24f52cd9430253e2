// The journey in Chromium without JavaScript: the SMS link to the redirect, the server's own error
// messages, the language switcher as a plain GET form; then axe on the pages as they are without
// the client bundle (the form showing the server's errors and every terminal page). An axe scan
// cannot run where JavaScript is off, so those pages load with the bundle blocked instead.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { axeViolations, launchBrowser } from "../support/browser.js";
import { TestClock } from "../support/server.js";
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { invitedByEmail, invitedBySms, STRONG_PASSWORD } from "../journey/support.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

// A browser flow of several pages and axe scans: it waits on states, never on a clock, and a busy
// machine may take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let env: TestEnv;
let browser: Browser;
let noJs: BrowserContext;
let page: Page;
let bundleless: Page;
const clock = new TestClock();

beforeAll(async () => {
  [env, browser] = await Promise.all([startTestEnv({ clock }), launchBrowser()]);
  noJs = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
  page = await noJs.newPage();
  const withoutBundle = await browser.newContext({ locale: "en-US" });
  bundleless = await withoutBundle.newPage();
  await bundleless.route(/\/build\/.*\.js$/, (route) => route.abort());
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

async function fillForm(p: Page, password: string) {
  await p.getByLabel("Password", { exact: true }).fill(password);
  await p.getByLabel("I accept the terms and conditions").check();
  await p.getByLabel("I have read the privacy notice").check();
}

it("takes an SMS invitee through the journey with JavaScript disabled", async () => {
  const { phone, link } = await invitedBySms(env);
  const response = await page.goto(`${link}?state=no-js`);
  expect(response?.url()).toMatch(/\/activate$/);
  expect(await page.getByLabel("Mobile number").inputValue()).toBe(phone);

  // The switcher without JavaScript: a GET form.
  await page.getByLabel("Language").selectOption("fr-FR");
  await page.getByRole("button", { name: "Change" }).click();
  await page.waitForURL("**/activate?lng=fr-FR");
  expect(await page.locator("html").getAttribute("lang")).toBe("fr-FR");
  await page.getByLabel("Langue").selectOption("en-US");
  await page.getByRole("button", { name: "Changer" }).click();
  await page.waitForURL("**/activate?lng=en-US");

  // The server's verdict: a weak password and no terms; typed values kept, passwords not.
  await page.getByLabel("First name").fill("Grace B.");
  await page.getByLabel("Password", { exact: true }).fill("weak");
  await page.getByRole("button", { name: "Activate my account" }).click();
  await page.locator("#error-summary").waitFor();
  expect(await page.locator("#error-summary li").allTextContents()).toEqual([
    "Password: Use at least 12 characters.",
    "Terms and conditions: Accept the terms and conditions to continue.",
    "Privacy notice: Confirm that you have read the privacy notice.",
  ]);
  expect(await page.getByLabel("First name").inputValue()).toBe("Grace B.");
  expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");

  await fillForm(page, STRONG_PASSWORD);
  await page.getByRole("button", { name: "Activate my account" }).click();
  await page.waitForURL("**/dev/authorize?**");
  expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
    client_id: "shop-web",
    redirect_uri: "https://shop.acme.example/callback",
    response_type: "code",
    scope: "openid",
    login_hint: phone,
    ui_locales: "en-US",
    state: "no-js",
  });
  const account = await findAccountByIdentifier(env.server.services.db.kysely, "customers", { phone });
  expect(account).toMatchObject({ status: "active", profile: expect.objectContaining({ firstName: "Grace B." }) });
});

it("takes an emailed invitee through the landing page with JavaScript disabled", async () => {
  const { email, mail } = await invitedByEmail(env);
  await page.goto(mail.link!);
  await page.getByRole("button", { name: "Activate Account" }).click();
  await page.waitForURL("**/activate");
  await fillForm(page, STRONG_PASSWORD);
  await page.getByRole("button", { name: "Activate my account" }).click();
  await page.waitForURL("**/dev/authorize?**");
  expect(new URL(page.url()).searchParams.get("login_hint")).toBe(email);
});

it("has no axe violations on the server-rendered pages: form with errors and every terminal page", async () => {
  const used = await invitedByEmail(env);
  const expired = await invitedByEmail(env);

  // The form showing the server's errors.
  await bundleless.goto(used.mail.link!);
  expect(await axeViolations(bundleless)).toEqual([]);
  await bundleless.getByRole("button", { name: "Activate Account" }).click();
  await bundleless.waitForURL("**/activate");
  await bundleless.getByRole("button", { name: "Activate my account" }).click();
  await bundleless.locator("#error-summary").waitFor();
  expect(await bundleless.locator("#activate-password-error").textContent()).toBe("Fill in this field.");
  expect(await axeViolations(bundleless)).toEqual([]);
  await fillForm(bundleless, STRONG_PASSWORD);
  await bundleless.getByRole("button", { name: "Activate my account" }).click();
  await bundleless.waitForURL("**/dev/authorize?**");

  const terminal = async (url: string, heading: string, status: number) => {
    const res = await bundleless.goto(url);
    expect(res?.status()).toBe(status);
    expect(await bundleless.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
    expect(await axeViolations(bundleless)).toEqual([]);
  };
  await terminal(used.mail.link!, "Your account is already activated", 410);
  await terminal(`${env.server.url}/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAA`, "This link is no longer valid", 404);
  clock.advanceHours(24 * 8);
  await terminal(expired.mail.link!, "This link has expired", 410);
});
