// The admin console in a real Chromium, as an administrator uses it: sign in, invite a customer into
// an organization with a role and a group, see Pending, let the customer accept in a second browser
// context, then see Done and the account with the application's group added. Every page is scanned
// with axe; the same form is also used with the client JavaScript blocked.
import type { BrowserContext, Page } from "playwright-core";
import { axeViolations, useBrowser } from "../support/browser.js";
import { useTestEnv } from "../support/env.js";
import { DEMO_ADMIN_TOKEN } from "../support/config.js";
import { waitUntil } from "../support/wait.js";

// A browser flow of several pages and axe scans: it waits on states, never on a clock, and a busy
// machine may take minutes over it, so the file allows that.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const { server, smtp } = useTestEnv();
const browser = useBrowser();
const consoleErrors: string[] = [];

async function newContext(opts: { javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "en-US" });
  // Without JavaScript: the client bundles never load (an axe scan needs JavaScript in the page itself).
  if (opts.javaScript === false) await context.route(/\/build\/.*\.js$/, (route) => route.abort());
  const page = await context.newPage();
  page.on("console", (m) => {
    // Pages answered with 404/409 on purpose log "Failed to load resource"; anything else is a fault.
    if (m.type() === "error" && opts.javaScript !== false && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  return { context, page };
}

async function expectAccessible(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([]);
}

async function signIn(page: Page, opts: { wrongFirst?: boolean } = {}) {
  await page.goto(`${server.url}/admin`);
  await expect.poll(() => new URL(page.url()).pathname).toBe("/admin/sign-in");
  await expectAccessible(page);
  if (opts.wrongFirst) {
    await page.getByLabel("Admin token").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That admin token is not valid.").waitFor();
    await expectAccessible(page);
  }
  await page.getByLabel("Admin token").fill(DEMO_ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Identity stores", level: 1 }).waitFor();
}

/** The invite form is hydrated once its no-JavaScript "Update the lists" button is gone. */
async function waitForHydratedForm(page: Page) {
  await page.getByRole("button", { name: "Update the lists for this organization" }).waitFor({ state: "detached", timeout: 15_000 });
}

async function waitForMail(email: string) {
  return (await waitUntil(() => smtp.to(email)[0], `a mail to ${email}`, 60_000))!;
}

test("invite into an organization, accept in a second browser, see Done and the account", async () => {
  const { context: adminContext, page } = await newContext();
  await signIn(page, { wrongFirst: true });
  await expectAccessible(page);
  expect(new URL(page.url()).search).toBe("");

  await page.getByRole("link", { name: "customers" }).click();
  await page.getByRole("heading", { name: "Invitations", level: 2 }).waitFor();
  await expectAccessible(page);

  await page.getByRole("link", { name: "Invite customer" }).click();
  await page.getByRole("heading", { name: "Invite customer", level: 2 }).waitFor();
  await waitForHydratedForm(page);
  await expectAccessible(page);

  const email = `e2e-${Date.now()}@example.com`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Language").selectOption("en-US");
  const client = page.getByLabel("Client");
  // No organization: the non-organizational OAuth2 client only.
  await expect.poll(() => client.locator("option").allTextContents(), { timeout: 10_000 }).toEqual(["Choose a client", "Shop (shop-web)"]);
  await page.getByLabel("Organization").selectOption("northwind");
  // The list follows the choice at once (JavaScript), now the organizational client only.
  await expect
    .poll(() => client.locator("option").allTextContents(), { timeout: 10_000 })
    .toEqual(["Choose a client", "Partner portal (partner-portal)"]);
  await client.selectOption("partner-portal");
  await page.getByLabel("Role").selectOption("buyer");
  await page.getByLabel("Newsletter").check();
  await page.getByLabel("First name").fill("Robin");
  await page.getByLabel("Last name").fill("Invitee");
  await page.getByLabel("Company").fill("Northwind Traders");
  await page.getByRole("button", { name: "Send invite" }).click();

  await page.getByText(`Invitation sent to ${email}.`).waitFor();
  await expect.poll(() => page.locator(".badge").first().textContent(), { timeout: 10_000 }).toBe("Pending");
  await page.getByText("View details").click();
  await page.getByText("Buyer").waitFor();
  await expectAccessible(page);
  const invitationUrl = page.url().split("?")[0]!;

  await page.getByRole("link", { name: "Invitations", exact: true }).click();
  await page.getByRole("link", { name: email }).waitFor();
  expect(
    await page
      .getByRole("row", { name: new RegExp(email) })
      .getByText("Pending")
      .count(),
  ).toBe(1);
  await expectAccessible(page);

  // The customer, in another browser context, follows the link in the email.
  const mail = await waitForMail(email);
  const { context: inviteeContext, page: invitee } = await newContext();
  await invitee.goto(mail.link!);
  await invitee.getByRole("button", { name: "Activate Account" }).click();
  await invitee.getByLabel("Password", { exact: true }).waitFor();
  expect(await invitee.getByLabel("First name").inputValue()).toBe("Robin");
  expect(await invitee.getByLabel("Company name").inputValue()).toBe("Northwind Traders");
  await invitee.getByLabel("Address line 1").fill("1 Harbour Road");
  await invitee.getByLabel("Town or city").fill("Seattle");
  await invitee.getByLabel("Postal code").fill("98101");
  await invitee.getByLabel("Country").fill("US");
  await invitee.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
  await invitee.getByLabel(/terms and conditions/).check();
  await invitee.getByLabel(/privacy notice/).check();
  await invitee.getByRole("button", { name: "Activate my account" }).click();
  await expect.poll(() => new URL(invitee.url()).pathname, { timeout: 15_000 }).toBe("/dev/authorize");
  await inviteeContext.close();

  // Back in the console: Done, and the account with the application's group added.
  await page.goto(invitationUrl);
  await expect.poll(() => page.locator(".badge").first().textContent(), { timeout: 10_000 }).toBe("Done");
  await page.getByRole("link", { name: "Open the account" }).click();
  // The invitation page has a heading with the email too, and the address changes before the
  // new page is on screen: wait for the account's own section.
  await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
  const account = page.locator("section[aria-labelledby=account-heading]");
  await account.getByRole("heading", { name: new RegExp(email), level: 2 }).waitFor();
  const details = await account.locator("dl.summary-list").innerText();
  expect(details).toContain("Northwind");
  expect(details).toContain("Buyer");
  expect(details).toContain("Newsletter, Beta testers");
  expect(details).toContain("Partner portal (partner-portal)");
  await expectAccessible(page);

  await page.getByRole("link", { name: "Accounts", exact: true }).click();
  await page.getByRole("link", { name: email }).waitFor();
  await expectAccessible(page);
  await adminContext.close();
});

test("resend, then revoke after a confirmation; the old and revoked links show no longer valid", async () => {
  const { context, page } = await newContext();
  await signIn(page);
  await page.goto(`${server.url}/admin/stores/customers/invitations/new`);
  await waitForHydratedForm(page);
  const email = `e2e-revoke-${Date.now()}@example.com`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Client").selectOption("shop-web");
  await page.getByRole("button", { name: "Send invite" }).click();
  await page.getByText(`Invitation sent to ${email}.`).waitFor();
  const first = await waitForMail(email);

  await page.getByRole("button", { name: "Resend invitation" }).click();
  await page.getByText(`A new link was sent to ${email}.`).waitFor();
  await expectAccessible(page);

  await page.getByRole("link", { name: "Revoke invitation" }).click();
  await page.getByText(`Revoke the invitation sent to ${email}?`).waitFor();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Revoke invitation" }).click();
  await page.getByText("The invitation was revoked.").waitFor();
  expect(await page.getByRole("link", { name: email }).count()).toBe(0);

  const { context: other, page: invitee } = await newContext();
  await invitee.goto(first.link!);
  await invitee.getByRole("heading", { name: "This link is no longer valid" }).waitFor();
  await other.close();
  await context.close();
});

test("errors appear on the form in words, and are accessible", async () => {
  const { context, page } = await newContext();
  await signIn(page);
  await page.goto(`${server.url}/admin/stores/customers/invitations/new`);
  await waitForHydratedForm(page);
  await page.getByLabel("Email address").fill("not an email");
  await page.getByRole("button", { name: "Send invite" }).click();
  await page.getByText("Please correct the following").waitFor();
  expect(await page.getByText("Enter an email address like name@example.com.").count()).toBeGreaterThan(0);
  expect(await page.getByText("Choose a client.").count()).toBeGreaterThan(0);
  await expectAccessible(page);

  // A pending invitation for the same email: the service's answer lands on the email field.
  const email = `e2e-dup-${Date.now()}@example.com`;
  for (let i = 0; i < 2; i++) {
    await page.goto(`${server.url}/admin/stores/customers/invitations/new`);
    await waitForHydratedForm(page);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Client").selectOption("shop-web");
    await page.getByRole("button", { name: "Send invite" }).click();
    // The first one is sent before the page is left (a wait for the load state would return at
    // once: a client-side submit loads no document); the second is refused, below.
    if (i === 0) await page.getByText(`Invitation sent to ${email}.`).waitFor();
  }
  await page.getByText("This customer already has a pending invitation.").first().waitFor();
  await page.getByRole("link", { name: "Open the pending invitation" }).waitFor();
  await expectAccessible(page);
  await context.close();
});

test("without JavaScript: choose the organization, update the lists, send; errors come back from the server", async () => {
  const { context, page } = await newContext({ javaScript: false });
  await signIn(page);
  await page.goto(`${server.url}/admin/stores/customers/invitations/new`);
  const email = `e2e-nojs-${Date.now()}@example.com`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Organization").selectOption("northwind");
  await page.getByRole("button", { name: "Update the lists for this organization" }).click();
  await expect
    .poll(() => page.getByLabel("Client").locator("option").allTextContents())
    .toEqual(["Choose a client", "Partner portal (partner-portal)"]);
  expect(await page.getByLabel("Email address").inputValue()).toBe(email);
  await expectAccessible(page);

  await page.getByRole("button", { name: "Send invite" }).click();
  await page.getByText("Please correct the following").waitFor();
  expect(await page.getByText("Choose a client.").count()).toBeGreaterThan(0);

  await page.getByLabel("Client").selectOption("partner-portal");
  await page.getByLabel("Role").selectOption("approver");
  await page.getByRole("button", { name: "Send invite" }).click();
  await page.getByText(`Invitation sent to ${email}.`).waitFor();
  await page.getByText("View details").click();
  await page.getByText("Approver").waitFor();
  await expectAccessible(page);
  await context.close();
});

test("no console errors in any of the pages", () => {
  expect(consoleErrors).toEqual([]);
});
