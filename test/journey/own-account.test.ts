// An invitation only ever activates its own account: the one created for its identifier, or the
// one it was issued for. An invitee allowed to choose another email cannot use it to reach an
// account that exists, pending or active: the form refuses the email beside the field and the
// database is left exactly as it was. Swept over every kind of invitation that lets the invitee
// choose (admin and pre-register; an SMS invitee has no email to choose) against every kind of account to reach.
import { readFileSync } from "node:fs";
import { api, createInvitation, partnerInvite, STORE_PATH } from "../admin/helpers.js";
import { snapshot } from "../support/snapshot.js";
import { dom, filledForm, invitedByEmail, openActivation, pathOf, uniqueEmail, waitForMail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

/** The journey's locale pack in the page's language. */
function journeyWords(page: Document) {
  return JSON.parse(readFileSync(`locales/${page.documentElement.lang}/journey.json`, "utf8"));
}

const env = useTestEnv();

/** A pending account (pre-registered through shop-web, never activated) and its link. */
async function pendingVictim() {
  const { email, link } = await invitedByEmail(env, { profile: { firstName: "Victoria" } });
  return { email, link };
}

/** An active account (pre-registered and activated). */
async function activeVictim() {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  const done = await client.post(pathOf(form.url || "/activate"), filledForm(form.csrf!));
  if (done.status !== 303) throw new Error(`activation answered ${done.status}`);
  return { email, link };
}

/** What partner-portal requires besides the names. */
const PARTNER_FIELDS = { companyName: "Northwind Traders", addressLine1: "1 Main St", city: "Seattle", postalCode: "98101", country: "US" };

type Attacker = () => Promise<string>;

const attackers: Record<string, Attacker> = {
  "an admin invitation by email": async () => {
    const email = uniqueEmail("attacker");
    const before = env.smtp.mails.length;
    await createInvitation(env.server, partnerInvite({ email }));
    return (await waitForMail(env, email, before)).link!;
  },
  "a pre-register invitation": async () =>
    (await invitedByEmail(env, { clientId: "partner-portal", email: uniqueEmail("attacker"), profile: PARTNER_FIELDS })).link,
};

const victims = { "a pending account": pendingVictim, "an active account": activeVictim };

for (const [attackerKind, attacker] of Object.entries(attackers)) {
  for (const [victimKind, victim] of Object.entries(victims)) {
    it(`${attackerKind} cannot take over ${victimKind} by choosing its email`, async () => {
      const target = await victim();
      const link = await attacker();
      const client = new HttpClient(env.server.url);
      const form = await openActivation(client, link);
      expect(form.html).toContain('name="email"');
      const before = await snapshot(env.server.services);

      const res = await client.post(
        "/activate",
        filledForm(form.csrf!, { ...PARTNER_FIELDS, email: target.email.toUpperCase(), firstName: "Mallory" }),
      );
      expect(res.status).toBe(409);
      const page = dom(res.html);
      const emailInput = page.querySelector<HTMLInputElement>('input[name="email"]')!;
      expect(emailInput.getAttribute("aria-invalid")).toBe("true");
      expect(emailInput.getAttribute("aria-describedby")).toContain(`${emailInput.id}-error`);
      expect(page.getElementById(`${emailInput.id}-error`)?.textContent?.trim()).toBe(journeyWords(page).errors.identifierTaken);
      expect(await snapshot(env.server.services)).toEqual(before);

      // The victim's own link still leads where it did: pending accounts can still be activated.
      const own = await new HttpClient(env.server.url).get(pathOf(target.link));
      expect(own.status).toBe(victimKind === "a pending account" ? 200 : 410);
    });
  }
}

it("an invitee who keeps the invited email, or picks a free one, still activates their own account", async () => {
  const link = await attackers["an admin invitation by email"]!();
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  const chosen = uniqueEmail("chosen");
  const res = await client.post("/activate", filledForm(form.csrf!, { ...PARTNER_FIELDS, email: chosen }));
  expect(res.status).toBe(303);
  const accounts = await api(env.server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(chosen)}`);
  expect(accounts.body.items.map((a: { status: string }) => a.status)).toEqual(["active"]);
});
