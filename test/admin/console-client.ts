// A browser without JavaScript, in miniature: a cookie jar, GETs, and form POSTs that carry the
// page's CSRF token, for testing the console's pages over plain HTTP.
import { DEMO_ADMIN_TOKEN } from "../support/config.js";

export interface Page {
  status: number;
  location: string | null;
  html: string;
  /** Visible text, tags and scripts removed, whitespace collapsed. */
  text: string;
  headers: Headers;
}

export class ConsoleClient {
  private jar = new Map<string, string>();
  csrf = "";

  constructor(
    readonly baseUrl: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  /** Another browser holding a copy of this one's cookies and CSRF token (a stolen or kept cookie), optionally talking to another instance. */
  copy(baseUrl = this.baseUrl): ConsoleClient {
    const other = new ConsoleClient(baseUrl, this.extraHeaders);
    other.jar = new Map(this.jar);
    other.csrf = this.csrf;
    return other;
  }

  get cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(c) || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  private async page(res: Response): Promise<Page> {
    this.keep(res);
    const html = await res.text();
    const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1];
    if (csrf) this.csrf = csrf;
    const text = html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<style[\s\S]*?<\/style>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ");
    return { status: res.status, location: res.headers.get("location"), html, text, headers: res.headers };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      redirect: "manual",
      headers: { cookie: this.cookieHeader, ...this.extraHeaders, ...headers },
    });
    return this.page(res);
  }

  /** Posts a form like a browser: urlencoded, same origin, with the last CSRF token seen unless given. */
  async post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Page> {
    const body = new URLSearchParams();
    if (!("csrf" in fields)) body.append("csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: this.cookieHeader,
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
        ...this.extraHeaders,
        ...headers,
      },
      body,
    });
    return this.page(res);
  }

  /** Posts a multipart form (a file upload) like a browser, with the last CSRF token seen unless given. */
  async postMultipart(path: string, form: FormData, headers: Record<string, string> = {}): Promise<Page> {
    if (!form.has("csrf")) form.append("csrf", this.csrf);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: this.cookieHeader, "sec-fetch-site": "same-origin", ...this.extraHeaders, ...headers },
      body: form,
    });
    return this.page(res);
  }

  async signIn(token = DEMO_ADMIN_TOKEN): Promise<Page> {
    await this.get("/admin/sign-in");
    return this.post("/admin/sign-in", { token });
  }
}
