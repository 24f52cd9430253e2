// Debian's Chromium driven by playwright-core (no browser download), with axe for accessibility.
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { late } from "./env.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-quic",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

/** A browser for the tests of the calling file, launched before them and closed after (like useTestEnv). */
export function useBrowser(): Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return late(() => browser, "browser");
}

/** Runs axe (WCAG 2.x A/AA) on the page and returns the violations, id and target of each. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Waits until the page's scripts have taken over: a hydrating page (the console) until React runs,
 * a journey form until its script (app/journey/enhance/form.ts) has enhanced it. Pages with no
 * script are ready once loaded.
 */
export async function scriptsReady(p: Page) {
  await p.waitForFunction(() => {
    const w = window as unknown as { __remixContext?: unknown; __remixRouter?: unknown };
    if (w.__remixContext && !w.__remixRouter) return false;
    return !document.getElementById("form-enhance") || document.querySelector("form[data-enhanced]") !== null;
  });
}
