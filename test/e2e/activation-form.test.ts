// The activation form's edges in Chromium, as people meet them: one click on the button after
// typing (the click must not be lost to errors appearing under the pointer), the password's
// Show/Hide button with the keyboard alone, the page without JavaScript (no button, one password
// field), the error summary taking the focus and leading to each field, and axe on the form in its
// error state in English, French and Arabic.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { axeViolations, launchBrowser, scriptsReady } from "../support/browser.js";
import { invitedByEmail, STRONG_PASSWORD } from "../journey/support.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

// A browser flow of several pages and axe scans: it waits on states, never on a clock, and a busy
// machine may take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let env: TestEnv;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

beforeAll(async () => {
  [env, browser] = await Promise.all([startTestEnv(), launchBrowser()]);
  context = await browser.newContext({ locale: "en-US", permissions: ["clipboard-read", "clipboard-write"] });
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

async function newPage(ctx: BrowserContext = context) {
  const page = await ctx.newPage();
  page.on("console", (m) => {
    // Honest statuses (the 400 of a refused form) are logged as failed loads.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return page;
}

/** From an emailed invitation to its form, in the given language, with the client bundle running. */
async function openForm(p: Page, { lng, js = true }: { lng?: string; js?: boolean } = {}) {
  const { mail } = await invitedByEmail(env);
  await p.goto(lng ? `${mail.link}?lng=${lng}` : mail.link!);
  await p.locator("main button[type=submit]").click();
  await p.waitForURL("**/activate");
  if (js) await scriptsReady(p);
}

const focusedId = (p: Page) => p.evaluate(() => document.activeElement?.id ?? null);
const summaryItems = (p: Page) => p.locator("#error-summary li").allTextContents();
/** Whether a field and its label are both in the viewport. */
const inView = (p: Page, id: string) =>
  p.evaluate((id) => {
    const label = document.querySelector(`label[for="${id}"]`)!.getBoundingClientRect();
    const field = document.getElementById(id)!.getBoundingClientRect();
    return label.top >= 0 && label.bottom <= innerHeight && field.top >= 0 && field.bottom <= innerHeight;
  }, id);

it("submits and shows every error on the first click after typing a short password", async () => {
  const page = await newPage();
  try {
    await openForm(page);
    await page.getByLabel("Password", { exact: true }).click();
    await page.keyboard.type("short");
    // One click, as a person makes it: press and release over the button.
    await page.getByRole("button", { name: "Activate my account" }).click();
    await expect
      .poll(() => summaryItems(page), { timeout: 10_000 })
      .toEqual([
        "Password: Use at least 12 characters.",
        "Terms and conditions: Accept the terms and conditions to continue.",
        "Privacy notice: Confirm that you have read the privacy notice.",
      ]);
    expect(await focusedId(page)).toBe("error-summary");
    expect(await page.title()).toMatch(/^Error: /);
    // Each summary link leads to its field...
    await page.getByRole("link", { name: "Privacy notice: Confirm that you have read the privacy notice." }).click();
    expect(await focusedId(page)).toBe("activate-acceptPrivacy");
    await page.getByRole("link", { name: "Password: Use at least 12 characters." }).click();
    expect(await focusedId(page)).toBe("activate-password");
    // ... in view, with its label.
    expect(await inView(page, "activate-password")).toBe(true);
  } finally {
    await page.close();
  }
});

it("can be activated with the keyboard alone, pasting the password and showing it to check it", async () => {
  const page = await newPage();
  /** Tabs until the focused element matches, as a person would. */
  const tab = async (selector: string) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`focus never reached ${selector}`);
  };
  try {
    await openForm(page);
    const password = page.locator("#activate-password");
    const toggle = page.locator("button.password-toggle");
    const status = page.locator(".input-with-button [aria-live=polite]");

    await tab("input[name=password]");
    await page.evaluate((text) => navigator.clipboard.writeText(text), STRONG_PASSWORD);
    await page.keyboard.press("ControlOrMeta+V");
    expect(await password.inputValue()).toBe(STRONG_PASSWORD);
    expect([
      await password.getAttribute("autocomplete"),
      await password.getAttribute("spellcheck"),
      await password.getAttribute("autocapitalize"),
    ]).toEqual(["new-password", "false", "none"]);

    // The next stop is the Show button, which controls the field and says what it does.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("password-toggle"))).toBe(true);
    expect([
      await toggle.textContent(),
      await toggle.getAttribute("aria-label"),
      await toggle.getAttribute("aria-controls"),
      await toggle.getAttribute("type"),
    ]).toEqual(["Show", "Show password", "activate-password", "button"]);
    await page.keyboard.press("Enter");
    expect(await password.getAttribute("type")).toBe("text");
    expect([await toggle.textContent(), await toggle.getAttribute("aria-label")]).toEqual(["Hide", "Hide password"]);
    expect(await status.textContent()).toBe("Your password is visible");
    await page.keyboard.press("Space");
    expect(await password.getAttribute("type")).toBe("password");
    expect(await status.textContent()).toBe("Your password is hidden");
    await page.keyboard.press("Space");
    expect(await password.getAttribute("type")).toBe("text");

    // Submitting without the terms: refused, the summary takes the focus, the password is hidden again.
    await tab("button[type=submit]");
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedId(page)).toBe("error-summary");
    expect(await password.getAttribute("type")).toBe("password");
    expect(await toggle.textContent()).toBe("Show");
    expect(await summaryItems(page)).toEqual([
      "Terms and conditions: Accept the terms and conditions to continue.",
      "Privacy notice: Confirm that you have read the privacy notice.",
    ]);
    // From the summary, its first link, then the field it names.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await focusedId(page)).toBe("activate-acceptTerms");
    expect(await inView(page, "activate-acceptTerms")).toBe(true);
    await page.keyboard.press("Space");
    await tab("input[name=acceptPrivacy]");
    await page.keyboard.press("Space");
    await tab("button[type=submit]");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/dev/authorize?**");
  } finally {
    await page.close();
  }
});

it("works without JavaScript: one password field, no Show button, the refused form starts on its summary", async () => {
  const noJs = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
  const page = await newPage(noJs);
  try {
    await openForm(page, { js: false });
    expect(await page.locator("input[type=password]").count()).toBe(1);
    expect(await page.locator("main button").allTextContents()).toEqual(["Activate my account"]);
    await page.getByLabel("Password", { exact: true }).fill("weak");
    await page.getByRole("button", { name: "Activate my account" }).click();
    await page.locator("#error-summary").waitFor();
    expect(await summaryItems(page)).toEqual([
      "Password: Use at least 12 characters.",
      "Terms and conditions: Accept the terms and conditions to continue.",
      "Privacy notice: Confirm that you have read the privacy notice.",
    ]);
    expect(await page.locator("#error-summary a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual([
      "#activate-password",
      "#activate-acceptTerms",
      "#activate-acceptPrivacy",
    ]);
    // The page opens on the summary: the next Tab is its first link.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Password: Use at least 12 characters.");
    await page.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await page.getByLabel("I accept the terms and conditions").check();
    await page.getByLabel("I have read the privacy notice").check();
    await page.getByRole("button", { name: "Activate my account" }).click();
    await page.waitForURL("**/dev/authorize?**");
  } finally {
    await noJs.close();
  }
});

it.each([
  ["en-US", "ltr", "Show", "There is a problem"],
  ["fr-FR", "ltr", "Afficher", "Il y a un problème"],
  ["ar", "rtl", "إظهار", "توجد مشكلة"],
])("has no axe violations in its error state, password shown, in %s", async (lng, dir, show, problem) => {
  const page = await newPage();
  try {
    await openForm(page, { lng });
    expect([await page.locator("html").getAttribute("lang"), await page.locator("html").getAttribute("dir")]).toEqual([lng, dir]);
    await page.locator("form#activate button[type=submit]").click();
    await expect.poll(() => focusedId(page)).toBe("error-summary");
    expect(await page.locator("#error-summary h2").textContent()).toBe(problem);
    const toggle = page.locator("button.password-toggle");
    expect(await toggle.textContent()).toBe(show);
    await toggle.click();
    expect(await page.locator("#activate-password").getAttribute("type")).toBe("text");
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await page.close();
  }
});
