// A sealed iron-session cookie with a CSRF token, shared by the journey and the console: changes
// are collected and sent back as Set-Cookie by headers(); a cookie that cannot be opened (forged,
// from an old key, not ours) simply starts a fresh session instead of failing the request.
import { randomBytes } from "node:crypto";
import { getIronSession, type IronSession, type SessionOptions } from "iron-session";
import { constantTimeEqual } from "../server/lib/crypto.js";

export interface CsrfData {
  csrf?: string;
}

export async function openIronSession<T extends CsrfData>(
  request: Request,
  options: SessionOptions,
): Promise<{ data: IronSession<T>; sink: Response }> {
  const sink = new Response(null);
  try {
    return { data: await getIronSession<T>(request, sink, options), sink };
  } catch {
    const headers = new Headers(request.headers);
    headers.delete("cookie");
    return { data: await getIronSession<T>(new Request(request.url, { headers }), sink, options), sink };
  }
}

export abstract class CookieSession<T extends CsrfData> {
  protected dirty = false;

  protected constructor(
    readonly data: IronSession<T>,
    private readonly sink: Response,
  ) {}

  /** The CSRF token this session's forms post back, made on first use. */
  csrf(): string {
    if (!this.data.csrf) {
      this.data.csrf = randomBytes(18).toString("base64url");
      this.dirty = true;
    }
    return this.data.csrf;
  }

  /** The posted CSRF token is this session's (compared in constant time). */
  checkCsrf(sent: FormDataEntryValue | null): boolean {
    const expected = this.expectedCsrf();
    return typeof sent === "string" && typeof expected === "string" && constantTimeEqual(sent, expected);
  }

  /** The token checkCsrf expects; a session keeping its token elsewhere says so here. */
  protected expectedCsrf(): string | undefined {
    return this.data.csrf;
  }

  /** Forgets the session: the cookie is cleared by headers(). */
  destroy(): void {
    this.data.destroy();
    this.dirty = false;
  }

  /** Set-Cookie for whatever changed. */
  async headers(): Promise<Headers> {
    if (this.dirty) {
      await this.data.save();
      this.dirty = false;
    }
    const headers = new Headers();
    for (const cookie of this.sink.headers.getSetCookie()) headers.append("Set-Cookie", cookie);
    return headers;
  }
}
