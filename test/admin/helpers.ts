// Helpers for the admin API tests: authenticated requests and invitation bodies.
import { lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { DEMO_ADMIN_TOKEN, tenantWith } from "../support/config.js";
import { requestJson, type JsonResponse } from "../support/http.js";
import type { SmtpListener } from "../support/smtp.js";
import type { TestServer } from "../support/server.js";

export const STORE_PATH = "/admin/api/v1/identityStores/customers";

export type ApiResponse = JsonResponse;

/** An admin API call, with the demo administrator's bearer token unless told otherwise. */
export async function api(
  baseUrl: string,
  path: string,
  opts: { method?: string; token?: string | null; body?: unknown; raw?: string; contentType?: string; authorization?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? DEMO_ADMIN_TOKEN : opts.token;
  if (opts.authorization) headers.authorization = opts.authorization;
  else if (token) headers.authorization = `Bearer ${token}`;
  const hasBody = opts.raw !== undefined || opts.body !== undefined;
  if (hasBody) headers["content-type"] = opts.contentType ?? "application/json";
  return requestJson(`${baseUrl}${path}`, {
    method: opts.method ?? (hasBody ? "POST" : "GET"),
    headers,
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
}

let n = 0;
export const uniqueEmail = (tag = "invitee") => `${tag}${++n}-${Date.now()}@example.com`;

/** A valid non-organizational invitation through shop-web. */
export function shopInvite(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { clientId: "shop-web", email: uniqueEmail(), language: "en-US", ...overrides };
}

/** A valid organizational invitation through partner-portal into northwind. */
export function partnerInvite(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientId: "partner-portal",
    email: uniqueEmail("partner"),
    organization: "northwind",
    roles: [{ id: "buyer", organization: "northwind" }],
    groups: [{ id: "newsletter" }],
    metadata: { givenName: "Pat", familyName: "Partner", companyName: "Northwind Traders" },
    ...overrides,
  };
}

export async function createInvitation(server: TestServer, body: Record<string, unknown>): Promise<any> {
  const res = await api(server.url, `${STORE_PATH}/invite`, { body });
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function countRows(server: TestServer, table: "invitations" | "accounts" | "outbox"): Promise<number> {
  const row = await server.services.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function tokenOf(link: string): string {
  return link.split("/").pop()!;
}

/** The demo tenant plus a second store ("staff"), to show that one store's ids are not found through another. */
export function twoStoreTenant() {
  return tenantWith((c) => {
    c.identityStores.push({ name: "staff", identifiers: ["EMAIL"], groups: [{ id: "ops", name: "Ops" }] });
    c.applications.push({
      id: "intranet",
      name: "Intranet",
      store: "staff",
      brand: "acme",
      clients: [
        { clientId: "intranet-web", secretHash: `sha256:${"0".repeat(64)}`, type: "oauth2", redirectUris: ["https://intranet.example/cb"] },
      ],
    });
  });
}

/** The mails to an address, once `count` of them have arrived. */
export async function mailsTo(smtp: SmtpListener, email: string, count = 1) {
  const deadline = Date.now() + 15_000;
  while (smtp.to(email).length < count) {
    if (Date.now() > deadline) throw new Error(`no mail to ${email}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return smtp.to(email);
}

/** What a link is now: valid, expired, used or invalid. */
export async function linkState(s: TestServer, link: string) {
  return (await lookupLink(s.services, tokenHashOf(tokenOf(link)))).kind;
}
