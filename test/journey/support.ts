// Helpers for the journey's HTTP tests (over test/support/env.ts's server, SMTP listener and SMS
// receiver): pre-register calls, and the ways through the pages in test/support/http.ts's HttpClient.
import { JSDOM } from "jsdom";
import { basicAuth, DEMO_SECRETS } from "../support/config.js";
import type { TestEnv } from "../support/env.js";
import type { HttpClient } from "../support/http.js";

let counter = 0;
/** A fresh address per call, so tests in one file never collide. */
export function uniqueEmail(tag = "invitee"): string {
  return `${tag}.${Date.now().toString(36)}.${++counter}@example.com`;
}
export function uniquePhone(): string {
  return `+1415555${String(1000 + (++counter % 9000)).padStart(4, "0")}`;
}

export interface PreRegisterOptions {
  clientId?: keyof typeof DEMO_SECRETS;
  authType?: "email" | "sms";
  profile?: Record<string, string>;
  locale?: string;
  resend?: boolean;
  redirectUri?: string;
}

export async function preRegister(env: TestEnv, o: PreRegisterOptions = {}): Promise<Response> {
  const clientId = o.clientId ?? "shop-web";
  const redirect =
    o.redirectUri ?? (clientId === "partner-portal" ? "https://partners.acme.example/callback" : "https://shop.acme.example/callback");
  return fetch(`${env.server.url}/idp/v1/account/pre-register`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: basicAuth(clientId, DEMO_SECRETS[clientId]) },
    body: JSON.stringify({
      client_id: clientId,
      scope: "openid profile",
      redirect_uri: redirect,
      auth_type: o.authType ?? "email",
      grant_type: "password",
      profile_fields: o.profile ?? {},
      ...(o.locale ? { locale: o.locale } : {}),
      ...(o.resend ? { resend: true } : {}),
    }),
  });
}

/** Pre-registers an email invitee and returns the link of the activation email the SMTP listener got. */
export async function invitedByEmail(env: TestEnv, o: PreRegisterOptions & { email?: string } = {}) {
  const email = o.email ?? uniqueEmail();
  const before = env.smtp.mails.length;
  const res = await preRegister(env, {
    ...o,
    authType: "email",
    profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace", ...o.profile },
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`pre-register answered ${res.status}: ${await res.text()}`);
  const { uuid } = (await res.json()) as { uuid: string };
  const mail = await waitForMail(env, email, before);
  return { email, uuid, link: mail.link!, mail };
}

export async function waitForMail(env: TestEnv, email: string, after = 0) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mail = env.smtp.mails.slice(after).find((m) => m.to.includes(email));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail for ${email}`);
    await env.smtp.waitFor(env.smtp.mails.length + 1, Math.max(1, deadline - Date.now())).catch(() => {});
  }
}

/** Pre-registers an SMS invitee and returns the link of the SMS. */
export async function invitedBySms(env: TestEnv, o: PreRegisterOptions & { phone?: string } = {}) {
  const phone = o.phone ?? uniquePhone();
  const res = await preRegister(env, {
    ...o,
    authType: "sms",
    profile: { mobileNumber: phone, firstName: "Grace", lastName: "Hopper", ...o.profile },
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`pre-register answered ${res.status}: ${await res.text()}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const sms = env.sms.messages.find((m) => m.to === phone);
    if (sms?.link) return { phone, link: sms.link };
    if (Date.now() > deadline) throw new Error(`no SMS for ${phone}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The page as a DOM, to ask it questions rather than match its markup. */
export function dom(html: string): Document {
  return new JSDOM(html).window.document;
}

/** Text of the first element matching the selector, whitespace collapsed. */
export function textOf(doc: Document, selector: string): string | undefined {
  return doc.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim();
}

/** The path of a journey link (links carry PUBLIC_URL, which is the test server). */
export function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

export const STRONG_PASSWORD = "correct horse battery staple";

/** The activation form, filled in as a person would. */
export function filledForm(csrf: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    csrf,
    firstName: "Ada",
    lastName: "Lovelace",
    password: STRONG_PASSWORD,
    acceptTerms: "on",
    acceptPrivacy: "on",
    ...extra,
  };
}

/** From a link to the activation form: the landing page, Activate, and the form's page. */
export async function openActivation(client: HttpClient, link: string) {
  const landing = await client.get(pathOf(link));
  if (landing.status !== 200 || !landing.csrf) throw new Error(`landing answered ${landing.status}`);
  const started = await client.post(pathOf(link), { csrf: landing.csrf });
  if (started.status !== 303) throw new Error(`Activate answered ${started.status}`);
  return client.get(started.location!);
}
