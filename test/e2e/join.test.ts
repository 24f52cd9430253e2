// The join journey in a real Chromium: an existing account invited into Northwind follows the link
// from its message, presses Continue and confirms with its current password, with the keyboard
// alone (JavaScript on) and with JavaScript disabled; then axe on every state of the join pages
// (landing, confirmation, wrong password, locked) in English, French and Arabic, as the server
// renders them (the client bundle blocked: an axe scan cannot run where JavaScript is off).
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createInvitation, partnerInvite } from "../admin/helpers.js";
import { axeViolations, launchBrowser, scriptsReady } from "../support/browser.js";
import { tenantWith } from "../support/config.js";
import { ACCOUNT_PASSWORD, activeAccount } from "../journey/join-support.js";
import { waitForMail } from "../journey/support.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

// A browser flow of several pages and axe scans: it waits on states, never on a clock, and a busy
// machine may take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const RESET_URL = "https://id.acme.example/forgot-password";

let env: TestEnv;
let browser: Browser;
let withJs: BrowserContext;
let noJs: BrowserContext;
let bundleless: BrowserContext;
/** Console errors and uncaught exceptions: hydration mismatches and CSP refusals show up here. */
const problems: string[] = [];

beforeAll(async () => {
  const tenant = tenantWith((c) => {
    c.applications[1].clients[0].passwordResetUrl = RESET_URL;
  });
  [env, browser] = await Promise.all([startTestEnv({ tenant }), launchBrowser()]);
  withJs = await browser.newContext({ locale: "en-US" });
  noJs = await browser.newContext({ locale: "en-US", javaScriptEnabled: false });
  bundleless = await browser.newContext({ locale: "en-US" });
  await bundleless.route(/\/build\/.*\.js$/, (route) => route.abort());
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  // Honest statuses (a 400 or 429 page) are logged as failed loads; anything else is a problem.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return page;
}

/** An active account and the link of the message inviting it to join Northwind. */
async function invited(language = "en-US") {
  const jane = await activeAccount(env.server);
  const before = env.smtp.mails.length;
  await createInvitation(env.server, partnerInvite({ email: jane.email, language, roles: [{ id: "approver" }], sendEmail: true }));
  const mail = await waitForMail(env, jane.email, before);
  return { ...jane, link: mail.link!, subject: mail.subject };
}

/** The journey's words in a language, with the placeholders filled. */
function words(lng: string) {
  const pack = JSON.parse(readFileSync(`locales/${lng}/journey.json`, "utf8"));
  return (key: string, vars: Record<string, string> = {}) =>
    Object.entries({ target: "Northwind", brand: "Acme", ...vars }).reduce(
      (text, [name, value]) => text.replaceAll(`{{${name}}}`, value),
      key.split(".").reduce((node, part) => node[part], pack) as string,
    );
}

const authorizeParams = (url: string) => Object.fromEntries(new URL(url).searchParams);

it("joins with the keyboard alone", async () => {
  const { email, link } = await invited();
  const page = await newPage(withJs);
  try {
    await page.goto(link);
    await scriptsReady(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Join Northwind at Acme");
    expect(await axeViolations(page)).toEqual([]);
    /** Tabs until the focused element matches, as a person would. */
    const tab = async (selector: string) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`focus never reached ${selector}`);
    };
    await tab("main button");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/join");
    await scriptsReady(page);
    expect(await page.getByLabel("Email address").inputValue()).toBe(email);
    expect(await page.getByLabel("Current password").getAttribute("autocomplete")).toBe("current-password");
    expect(await page.getByRole("link", { name: "Forgot your password?" }).getAttribute("href")).toBe(RESET_URL);
    expect(await axeViolations(page)).toEqual([]);
    await tab("input[name=password]");
    await page.keyboard.type("not my password");
    await page.keyboard.press("Enter");
    // The server's verdict: the summary has the focus and leads to the field, which says what is
    // wrong, emptied.
    await page.locator("#error-summary").waitFor();
    expect(await page.locator("#join-password-error").textContent()).toBe(
      words("en-US")("errors.passwordWrong", { minutes: "15", remaining: "4" }),
    );
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("error-summary");
    await tab("#error-summary a");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("password");
    expect(await page.getByLabel("Current password").inputValue()).toBe("");
    await page.keyboard.type(ACCOUNT_PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/dev/authorize?**");
    expect(authorizeParams(page.url())).toMatchObject({ client_id: "partner-portal", login_hint: email, ui_locales: "en-US" });
  } finally {
    await page.close();
  }
});

it("joins with JavaScript disabled", async () => {
  const { email, link } = await invited();
  const page = await newPage(noJs);
  try {
    await page.goto(`${link}?state=no-js`);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL("**/join");
    await page.getByLabel("Current password").fill("not my password");
    await page.getByRole("button", { name: "Join Northwind" }).click();
    await page.locator("#join-password-error").waitFor();
    expect(await page.getByLabel("Current password").inputValue()).toBe("");
    await page.getByLabel("Current password").fill(ACCOUNT_PASSWORD);
    await page.getByRole("button", { name: "Join Northwind" }).click();
    await page.waitForURL("**/dev/authorize?**");
    expect(authorizeParams(page.url())).toMatchObject({ login_hint: email, ui_locales: "en-US", state: "no-js" });
  } finally {
    await page.close();
  }
});

for (const [language, lng, dir] of [
  ["en-US", "en-US", "ltr"],
  ["fr-FR", "fr-FR", "ltr"],
  ["ar-EG", "ar", "rtl"],
] as const) {
  it(`has no axe violations on the landing, confirmation, error and locked pages in ${lng}`, async () => {
    const t = words(lng);
    const { link } = await invited(language);
    // The bundle's blocked loads are expected here: no console watch.
    const page = await bundleless.newPage();
    try {
      const check = async (heading: string) => {
        expect(await page.locator("html").getAttribute("lang")).toBe(lng);
        expect(await page.locator("html").getAttribute("dir")).toBe(dir);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
        expect(await axeViolations(page)).toEqual([]);
      };
      await page.goto(link);
      await check(t("join.title"));
      await page.getByRole("button", { name: t("join.action") }).click();
      await page.waitForURL("**/join");
      await check(t("join.confirmTitle"));
      const submit = page.getByRole("button", { name: t("join.submit") });
      for (let i = 1; i <= 4; i++) {
        await page.getByLabel(t("join.password")).fill(`wrong password ${i}`);
        await submit.click();
        await expect
          .poll(() => page.locator("#join-password-error").textContent())
          .toBe(t("errors.passwordWrong", { minutes: "15", remaining: String(5 - i) }));
      }
      await check(t("join.confirmTitle"));
      await page.getByLabel(t("join.password")).fill("wrong password 5");
      await submit.click();
      await page.getByRole("heading", { level: 1, name: t("join.lockedTitle") }).waitFor();
      await check(t("join.lockedTitle"));
      expect(await page.getByRole("link", { name: t("join.forgotPassword") }).getAttribute("href")).toBe(RESET_URL);
    } finally {
      await page.close();
    }
  });
}
