// Helpers for the journey's HTTP tests: a test server with a real SMTP listener and SMS receiver,
// pre-register calls, and a tiny browser (a cookie jar over fetch, redirects not followed).
import { JSDOM } from "jsdom";
import { SmsReceiver } from "../support/sms.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import { basicAuth, DEMO_SECRETS } from "../support/config.js";
import { startTestServer, type TestServer, type TestServerOptions } from "../support/server.js";

export interface JourneyEnv {
  server: TestServer;
  smtp: SmtpListener;
  sms: SmsReceiver;
  close(): Promise<void>;
}

export async function startJourneyEnv(o: TestServerOptions = {}): Promise<JourneyEnv> {
  const smtp = await startSmtp();
  const sms = await new SmsReceiver().start();
  const server = await startTestServer({ smtpUrl: smtp.url, smsWebhookUrl: sms.url, ...o });
  return {
    server,
    smtp,
    sms,
    async close() {
      await server.close();
      await smtp.stop();
      await sms.stop();
    },
  };
}

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

export async function preRegister(env: JourneyEnv, o: PreRegisterOptions = {}): Promise<Response> {
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
export async function invitedByEmail(env: JourneyEnv, o: PreRegisterOptions & { email?: string } = {}) {
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

export async function waitForMail(env: JourneyEnv, email: string, after = 0) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mail = env.smtp.mails.slice(after).find((m) => m.to.includes(email));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail for ${email}`);
    await env.smtp.waitFor(env.smtp.mails.length + 1, Math.max(1, deadline - Date.now())).catch(() => {});
  }
}

/** Pre-registers an SMS invitee and returns the link of the SMS. */
export async function invitedBySms(env: JourneyEnv, o: PreRegisterOptions & { phone?: string } = {}) {
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

/** A browser without a DOM: keeps cookies, follows nothing, sends what a same-origin form post sends. */
export class WebClient {
  readonly cookies = new Map<string, string>();

  /** `headers` go with every request (an X-Forwarded-For, say: a browser of its own address). */
  constructor(
    readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, this.base);
    return this.keep(await fetch(url, { redirect: "manual", headers: { Cookie: this.cookieHeader(), ...this.headers, ...headers } }));
  }

  async post(path: string, fields: Record<string, string> | [string, string][], headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, this.base);
    return this.keep(
      await fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: {
          Cookie: this.cookieHeader(),
          "Content-Type": "application/x-www-form-urlencoded",
          "Sec-Fetch-Site": "same-origin",
          Origin: "null",
          ...this.headers,
          ...headers,
        },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** GET a page and read its CSRF token. */
  async page(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; html: string; csrf?: string }> {
    const res = await this.get(path, headers);
    const html = await res.text();
    return { res, html, csrf: csrfOf(html) };
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

export function csrfOf(html: string): string | undefined {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1];
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
export async function openActivation(client: WebClient, link: string) {
  const landing = await client.page(pathOf(link));
  if (landing.res.status !== 200 || !landing.csrf) throw new Error(`landing answered ${landing.res.status}`);
  const started = await client.post(pathOf(link), { csrf: landing.csrf });
  if (started.status !== 303) throw new Error(`Activate answered ${started.status}`);
  return client.page(started.headers.get("location")!);
}
