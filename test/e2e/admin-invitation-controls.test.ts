// The console's invitation controls in a real Chromium, in en-US and fr-FR, with JavaScript and
// without: Invite customer with "Valid for" and the return address, the list's filters, the detail
// view's "Get a link to share" (Copy with JavaScript, a selectable field without). Every page is
// scanned with axe. Also the journey's superseded and return-unavailable pages in en-US, fr-FR, ar.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { hashLinkToken } from "../../server/invitations/tokens.js";
import { createInvitation, shopInvite, tokenOf } from "../admin/helpers.js";
import { axeViolations, useBrowser } from "../support/browser.js";
import { useTestEnv } from "../support/env.js";
import { DEMO_ADMIN_TOKEN } from "../support/config.js";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const { server } = useTestEnv();
const browser = useBrowser();

const WORDS = {
  "en-US": {
    validFor: "Valid for",
    share: "Get a link to share",
    copy: "Copy the link",
    copied: "Link copied.",
    filter: "Search",
    foundOne: "Invitations found: 1",
  },
  "fr-FR": {
    validFor: "Valable",
    share: "Obtenir un lien à partager",
    copy: "Copier le lien",
    copied: "Lien copié.",
    filter: "Rechercher",
    foundOne: "Invitations trouvées : 1",
  },
} as const;

async function expectAccessible(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([]);
}

describe.each([
  ["en-US", true],
  ["en-US", false],
  ["fr-FR", true],
  ["fr-FR", false],
] as const)("console in %s, JavaScript %s", (lng, javaScript) => {
  test("invite with a validity and a return address, filter the list, get a link to share", async () => {
    const w = WORDS[lng];
    const context = await browser.newContext({ locale: lng });
    if (!javaScript) await context.route(/\/build\/.*\.js$/, (route) => route.abort());
    else await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const errors: string[] = [];
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      // Pages answered with an error status on purpose log "Failed to load resource"; anything else is a fault.
      if (m.type() === "error" && javaScript && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });
    try {
      await page.goto(`${server.url}/admin/sign-in`, { waitUntil: "networkidle" });
      await page.locator("#token").fill(DEMO_ADMIN_TOKEN);
      await page.locator("#token").press("Enter");
      await expect.poll(() => new URL(page.url()).pathname).toBe("/admin");

      await page.goto(`${server.url}/admin/stores/customers/invitations/new`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByLabel(w.validFor).inputValue()).toBe("168");
      await expectAccessible(page);
      const email = `e2e-controls-${randomUUID()}@example.com`;
      await page.locator("#invite-email").fill(email);
      await page.getByLabel(w.validFor).selectOption("72");
      await page.locator("#invite-clientId").selectOption("shop-web");
      await page.locator("#invite-redirectUri").selectOption("http://localhost:3000/callback");
      await page.locator('form#invite button[type="submit"]').last().click();
      await expect.poll(() => new URL(page.url()).searchParams.get("notice")).toBe("created");
      // The address changes before the new page is drawn: the detail page's own section first.
      await page.locator("section[aria-labelledby=detail-heading]").waitFor();
      const row = await server.services.db.kysely
        .selectFrom("invitations")
        .selectAll()
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      expect(row.redirect_uri).toBe("http://localhost:3000/callback");
      expect(Math.round((Date.parse(row.valid_until) - Date.now()) / 3_600_000)).toBe(72);
      await expectAccessible(page);

      // The share: warned before, the link shown once with Copy (JavaScript) or selectable (without).
      await page.getByRole("button", { name: w.share }).click();
      const field = page.locator("#shared-link");
      await field.waitFor();
      expect(await field.getAttribute("readonly")).not.toBeNull();
      expect(await field.inputValue()).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
      expect(page.url()).not.toContain(tokenOf(await field.inputValue()));
      await expectAccessible(page);
      if (javaScript) {
        await page.getByRole("button", { name: w.copy }).click();
        await page.getByText(w.copied).waitFor();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await field.inputValue());
      } else {
        expect(await page.getByRole("button", { name: w.copy }).count()).toBe(0);
      }

      // The list: a GET form of filters.
      await page.goto(`${server.url}/admin/stores/customers/invitations`, { waitUntil: "networkidle" });
      await page.locator("#q").fill(email);
      await page.locator("#filter-channel").selectOption("email");
      await page.getByRole("button", { name: w.filter }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get("channel")).toBe("email");
      // The unfiltered list showed the link too: the filtered one says how many it found.
      await page.getByText(w.foundOne).waitFor();
      await page.getByRole("link", { name: email }).waitFor();
      await expectAccessible(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

test.each(["en-US", "fr-FR", "ar"])("the journey's superseded and return-unavailable pages in %s are accessible", async (lng) => {
  const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
  const oldHash = hashLinkToken(tokenOf(inv.invitationUrl));
  await server.services.db.kysely
    .updateTable("invitations")
    .set({ replaced_token_hash: oldHash, token_hash: hashLinkToken(randomUUID()) })
    .where("id", "=", inv.id)
    .execute();
  const context = await browser.newContext({ locale: lng });
  const page = await context.newPage();
  try {
    const superseded = await page.goto(`${new URL(inv.invitationUrl).pathname.replace(/^/, server.url)}?lng=${lng}`);
    expect(superseded?.status()).toBe(410);
    expect(await page.locator("html").getAttribute("lang")).toBe(lng);
    await expectAccessible(page);
    const unavailable = await page.goto(`${server.url}/invite/return-unavailable?lng=${lng}`);
    expect(unavailable?.status()).toBe(200);
    await expectAccessible(page);
  } finally {
    await context.close();
  }
});
