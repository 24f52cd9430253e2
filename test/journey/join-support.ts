// Helpers for join invitations: an active account to invite, the invitation that lets it join
// Northwind, and the way from the link to the /join page in the tiny browser.
import { acceptInvitation, tokenHashOf } from "../../server/invitations/activate.js";
import { createInvitation, partnerInvite, shopInvite, tokenOf } from "../admin/helpers.js";
import type { TestServer } from "../support/server.js";
import type { HttpClient } from "../support/http.js";
import { pathOf, STRONG_PASSWORD, uniqueEmail } from "./support.js";

/** The password of every account activeAccount() makes. */
export const ACCOUNT_PASSWORD = STRONG_PASSWORD;

/** An active account: invited through shop-web (no organization), activated with ACCOUNT_PASSWORD. */
export async function activeAccount(server: TestServer, o: { email?: string; invite?: Record<string, unknown> } = {}) {
  const email = o.email ?? uniqueEmail("member");
  const inv = await createInvitation(server, { ...shopInvite({ email }), ...o.invite, sendEmail: false });
  const result = await acceptInvitation(server.services, {
    tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
    password: ACCOUNT_PASSWORD,
    profile: { firstName: "Jane", lastName: "Member" },
    locale: "en-US",
  });
  if (result.kind !== "activated") throw new Error(`the account was not activated: ${result.kind}`);
  return { email, id: result.accountId, invitationId: inv.id as string };
}

/** An invitation for that account's email into Northwind as an approver, through partner-portal. */
export async function joinInvitation(server: TestServer, email: string, overrides: Record<string, unknown> = {}) {
  return createInvitation(
    server,
    partnerInvite({ email, roles: [{ id: "approver" }], groups: [{ id: "newsletter" }], sendEmail: false, ...overrides }),
  );
}

/** From a join link to the /join page: the landing page, Continue, and the form. */
export async function openJoin(client: HttpClient, link: string, query = "") {
  const landing = await client.get(`${pathOf(link)}${query}`);
  if (landing.status !== 200 || !landing.csrf) throw new Error(`landing answered ${landing.status}`);
  const started = await client.post(`${pathOf(link)}${query}`, { csrf: landing.csrf });
  if (started.status !== 303 || started.location !== "/join") throw new Error(`Continue answered ${started.status} to ${started.location}`);
  return client.get("/join");
}
