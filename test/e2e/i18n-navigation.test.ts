// Translations across client-side navigations, in Chromium: a page reached without a reload (a
// link between hydrated pages) brings namespaces, and maybe a language, the first page never loaded.
// (The journey's pages do not hydrate: they reach the next page by a document load.)
// Its words must be there from its first frame: a watcher on the DOM fails the test if a raw key
// (`authorize.title`) is ever shown, even for one render.
import type { Browser, Page } from "playwright-core";
import { launchBrowser, scriptsReady } from "../support/browser.js";
import { invitedByEmail, STRONG_PASSWORD } from "../journey/support.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

// A browser flow of several pages: it waits on states, never on a clock, and a busy machine may
// take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let env: TestEnv;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  [env, browser] = await Promise.all([startTestEnv(), launchBrowser()]);
  page = await (await browser.newContext({ locale: "en-US" })).newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

/** From now on (in this document), records every raw key of the dev namespace the page shows. */
async function watchForKeys(p: Page) {
  await p.evaluate(() => {
    const w = window as unknown as { shownKeys: string[] };
    w.shownKeys = [];
    new MutationObserver(() => {
      const found = document.body.innerText.match(/\b(?:authorize|mailbox)\.[A-Za-z]+/g);
      if (found) w.shownKeys.push(...found);
    }).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  });
}
const shownKeys = (p: Page) => p.evaluate(() => (window as unknown as { shownKeys: string[] }).shownKeys);
/** The raw keys the page shows now (a page the server rendered, reached by a document load). */
const keysOnPage = async (p: Page) => (await p.locator("body").innerText()).match(/\b(?:authorize|mailbox)\.[A-Za-z]+/g) ?? [];

/** What a <Link> does: a client-side navigation, no document load. */
async function navigate(p: Page, to: string) {
  await p.evaluate(
    (to) => (window as unknown as { __remixRouter: { navigate(to: string): Promise<void> } }).__remixRouter.navigate(to),
    to,
  );
}

/** Through the landing page to the form, filled in; the submit is the caller's. */
async function toFilledForm(p: Page, link: string, labels: { activate: string; password: string; terms: string; privacy: string }) {
  await p.goto(link);
  await scriptsReady(p);
  await p.getByRole("button", { name: labels.activate }).click();
  await p.waitForURL("**/activate");
  await scriptsReady(p);
  await p.getByLabel(labels.password, { exact: true }).fill(STRONG_PASSWORD);
  await p.getByLabel(labels.terms).check();
  await p.getByLabel(labels.privacy).check();
}

const english = {
  activate: "Activate Account",
  password: "Password",
  terms: "I accept the terms and conditions",
  privacy: "I have read the privacy notice",
};

it("shows the authorization page's words after the activation's redirect", async () => {
  const { mail } = await invitedByEmail(env);
  await toFilledForm(page, mail.link!, english);
  await page.getByRole("button", { name: "Activate my account" }).click();
  await page.waitForURL("**/dev/authorize?**");
  await page.getByRole("heading", { level: 1, name: "Authorization endpoint (demo)" }).waitFor();
  expect(await page.getByRole("columnheader").allTextContents()).toEqual(["Parameter", "Value"]);
  expect(await keysOnPage(page)).toEqual([]);
});

it("does so in the language chosen with the switcher, and follows a language change on the way", async () => {
  const { mail } = await invitedByEmail(env);
  await page.goto(mail.link!);
  await page.getByRole("button", { name: "Activate Account" }).click();
  await page.waitForURL("**/activate");
  // The switcher reloads the page: the browser now holds French words of the journey only.
  await page.getByLabel("Language").selectOption("fr-FR");
  await page.getByRole("button", { name: "Change" }).click();
  await page.waitForURL("**/activate?lng=fr-FR");
  await scriptsReady(page);
  await page.getByLabel("Mot de passe", { exact: true }).fill(STRONG_PASSWORD);
  await page.getByLabel("J’accepte les conditions générales").check();
  await page.getByLabel("J’ai lu la politique de confidentialité").check();
  await page.getByRole("button", { name: "Activer mon compte" }).click();
  await page.waitForURL("**/dev/authorize?**");
  await page.getByRole("heading", { level: 1, name: "Point d’autorisation (démo)" }).waitFor();
  expect(await page.getByRole("columnheader").allTextContents()).toEqual(["Paramètre", "Valeur"]);
  expect(await keysOnPage(page)).toEqual([]);
  await scriptsReady(page);
  await watchForKeys(page);

  // Links to pages in other languages: their words, their language, from the first frame; Arabic
  // has no pack of this namespace, so its page falls back to English words, right to left.
  await navigate(page, "/dev/authorize?lng=en-US");
  await page.getByRole("heading", { level: 1, name: "Authorization endpoint (demo)" }).waitFor();
  expect(await page.locator("html").getAttribute("lang")).toBe("en-US");
  await navigate(page, "/dev/authorize?lng=ar");
  await page.locator("html[lang=ar][dir=rtl]").waitFor();
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Authorization endpoint (demo)");
  await navigate(page, "/dev/authorize?lng=fr-FR");
  await page.getByRole("heading", { level: 1, name: "Point d’autorisation (démo)" }).waitFor();
  expect(await page.locator("html").getAttribute("lang")).toBe("fr-FR");
  expect(await shownKeys(page)).toEqual([]);
});

it("brings a namespace the first page did not load", async () => {
  // The journey's and the home page do not hydrate; the dev pages and the console do, each with
  // its own namespace.
  await page.goto(`${env.server.url}/admin/sign-in?lng=fr-FR`);
  await scriptsReady(page);
  await watchForKeys(page);
  await navigate(page, "/dev/authorize?lng=fr-FR&client_id=x");
  await page.getByRole("heading", { level: 1, name: "Point d’autorisation (démo)" }).waitFor();
  expect(await page.getByRole("columnheader").allTextContents()).toEqual(["Paramètre", "Valeur"]);
  expect(await shownKeys(page)).toEqual([]);
});
