// The tests' one HTTP client, and the JSON calls built on it.
//
// HttpClient is a browser without JavaScript, in miniature: a cookie jar, headers sent with every
// request, redirects not followed, and form posts that carry what a same-origin browser post
// carries (Sec-Fetch-Site, Origin "null" under our no-referrer policy, the page's CSRF token).
// Journey pages and console pages are both tested through it.
import { basicAuth, DEMO_ADMIN_TOKEN, DEMO_SECRETS } from "./config.js";

/** A response read in full, redirects not followed. */
export interface Page {
  status: number;
  location: string | null;
  headers: Headers;
  /** The address that answered. */
  url: string;
  html: string;
  /** Visible text, tags and scripts removed, whitespace collapsed. */
  text: string;
  /** The CSRF token of this page's form, if it has one. */
  csrf?: string;
}

export type FormFields = Record<string, string | string[]> | [string, string][];

export function csrfOf(html: string): string | undefined {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1];
}

export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Header sets merged in order, a later one replacing an earlier one whatever the case of its name. */
function mergeHeaders(...sets: Record<string, string>[]): Headers {
  const merged = new Headers();
  for (const set of sets) for (const [name, value] of Object.entries(set)) merged.set(name, value);
  return merged;
}

export class HttpClient {
  /** The cookie jar, by name. */
  cookies = new Map<string, string>();
  /** The last CSRF token a page carried; form posts send it unless they give their own. */
  csrf = "";

  /** `headers` go with every request (an X-Forwarded-For, say: a browser of its own address). */
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** Another browser holding a copy of this one's cookies and CSRF token (a stolen or kept cookie), optionally talking to another instance. */
  copy(baseUrl = this.baseUrl): HttpClient {
    const other = new HttpClient(baseUrl, this.headers);
    other.cookies = new Map(this.cookies);
    other.csrf = this.csrf;
    return other;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async request(path: string, init: RequestInit, headers: Headers): Promise<Page> {
    if (this.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", this.cookieHeader);
    const res = await fetch(new URL(path, this.baseUrl), { ...init, redirect: "manual", headers });
    this.keep(res);
    const html = await res.text();
    const csrf = csrfOf(html);
    if (csrf) this.csrf = csrf;
    return {
      status: res.status,
      location: res.headers.get("location"),
      headers: res.headers,
      url: res.url,
      html,
      text: visibleText(html),
      csrf,
    };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, {}, mergeHeaders(this.headers, headers));
  }

  /** Posts a form like a browser: urlencoded, same origin, with the last CSRF token seen unless given. */
  async post(path: string, fields: FormFields, headers: Record<string, string> = {}): Promise<Page> {
    const body = new URLSearchParams();
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
    if (!pairs.some(([k]) => k === "csrf")) body.append("csrf", this.csrf);
    for (const [k, v] of pairs) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const sent = mergeHeaders(
      { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", origin: "null" },
      this.headers,
      headers,
    );
    return this.request(path, { method: "POST", body }, sent);
  }

  /** Posts a multipart form (a file upload) like a browser, with the last CSRF token seen unless given. */
  async postMultipart(path: string, form: FormData, headers: Record<string, string> = {}): Promise<Page> {
    if (!form.has("csrf")) form.append("csrf", this.csrf);
    const sent = mergeHeaders({ "sec-fetch-site": "same-origin", origin: "null" }, this.headers, headers);
    return this.request(path, { method: "POST", body: form }, sent);
  }

  /** Signs in to the console with an administrator token. */
  async signIn(token = DEMO_ADMIN_TOKEN): Promise<Page> {
    await this.get("/admin/sign-in");
    return this.post("/admin/sign-in", { token });
  }
}

export interface JsonResponse {
  status: number;
  /** The body parsed as JSON; the text when it is not JSON; undefined when empty. */
  body: any;
  headers: Headers;
}

/** A request whose answer is read as JSON when it is JSON. */
export async function requestJson(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, { redirect: "manual", ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, body, headers: res.headers };
}

export interface PreRegisterBody {
  client_id?: unknown;
  scope?: unknown;
  redirect_uri?: unknown;
  auth_type?: unknown;
  grant_type?: unknown;
  profile_fields?: unknown;
  locale?: unknown;
  resend?: unknown;
  [other: string]: unknown;
}

export function preRegisterBody(overrides: PreRegisterBody = {}, profile: Record<string, unknown> = {}): PreRegisterBody {
  return {
    client_id: "shop-web",
    scope: "openid",
    auth_type: "email",
    redirect_uri: "https://shop.acme.example/callback",
    grant_type: "password",
    profile_fields: { emailAddress: "jane@example.com", firstName: "Jane", lastName: "Doe", ...profile },
    ...overrides,
  };
}

export async function preRegister(
  baseUrl: string,
  body: unknown,
  opts: { clientId?: string; secret?: string; authorization?: string; contentType?: string; raw?: string } = {},
): Promise<JsonResponse> {
  const clientId = opts.clientId ?? "shop-web";
  const secret = opts.secret ?? DEMO_SECRETS[clientId as keyof typeof DEMO_SECRETS] ?? "";
  return requestJson(`${baseUrl}/idp/v1/account/pre-register`, {
    method: "POST",
    headers: {
      "content-type": opts.contentType ?? "application/json",
      authorization: opts.authorization ?? basicAuth(clientId, secret),
    },
    body: opts.raw ?? JSON.stringify(body),
  });
}
