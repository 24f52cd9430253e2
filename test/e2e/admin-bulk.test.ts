// "Invite from a CSV file" in a real Chromium (docs/admin-api.md): the upload page, a file with a bad
// column, then a good file and its per-row results. Every state is scanned with axe, with the
// client JavaScript running (the form submits through Remix) and once without it (a plain post).
import type { Browser, Page } from "playwright-core";
import { axeViolations, launchBrowser } from "../support/browser.js";
import { DEMO_ADMIN_TOKEN } from "../support/config.js";
import { startTestServer, type TestServer } from "../support/server.js";

// A browser flow of several pages and axe scans: it waits on states, never on a clock, and a busy
// machine may take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedInPage(javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US" });
  if (!javaScript) await context.route(/\/build\/.*\.js$/, (route) => route.abort());
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${server.url}/admin/sign-in`);
  await page.getByLabel("Admin token").fill(DEMO_ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Identity stores", level: 1 }).waitFor();
  return page;
}

const csv = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

async function expectAccessible(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([]);
}

for (const javaScript of [true, false]) {
  test(`upload a CSV and read the results, axe-clean (${javaScript ? "with" : "without"} JavaScript)`, async () => {
    const page = await signedInPage(javaScript);
    await page.goto(`${server.url}/admin/stores/customers/invitations`);
    await page.getByRole("link", { name: "Invite from a CSV file" }).click();
    await page.getByRole("heading", { name: "Invite from a CSV file", level: 2 }).waitFor();
    await expectAccessible(page);

    await page.getByLabel("CSV file", { exact: true }).setInputFiles(csv("wrong.csv", "mail,clientId\nx@example.com,shop-web\n"));
    await page.getByRole("button", { name: "Upload and invite" }).click();
    await page.getByText("Unknown columns: mail.").first().waitFor();
    await expectAccessible(page);

    const tag = `${javaScript ? "js" : "nojs"}-${Date.now()}`;
    await page
      .getByLabel("CSV file", { exact: true })
      .setInputFiles(csv("invitees.csv", `email,clientId,groups\ne2e-${tag}@example.com,shop-web,newsletter;beta\nbroken,shop-web,\n`));
    await page.getByRole("button", { name: "Upload and invite" }).click();
    await page.getByRole("heading", { name: "Results" }).waitFor();
    await page.getByText("Created: 1. Not created: 1.").waitFor();
    await page.getByRole("cell", { name: /The email address is missing or not valid/ }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
}

test("no page errors", () => {
  expect(pageErrors).toEqual([]);
});
