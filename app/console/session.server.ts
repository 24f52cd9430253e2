// The admin console's session. The cookie (iron-session: sealed, HttpOnly, SameSite=Lax, Secure on
// https) carries only a random 256-bit session id once signed in; everything else lives in the
// console_sessions table under the id's SHA-256, so every instance on the database sees a sign-out,
// a timeout or a removed token at once. Before sign-in the cookie carries the sign-in form's CSRF
// token and nothing else. Time comes from the services' clock.
import { randomBytes } from "node:crypto";
import type { IronSession, SessionOptions } from "iron-session";
import { adminTokenByHash, type AdminPrincipal } from "../../server/api/admin/auth.js";
import { randomSecret, sha256Hex } from "../../server/lib/crypto.js";
import { passwordMap } from "../../server/lib/seal.js";
import type { Services } from "../../server/services.js";
import {
  deleteConsoleSession,
  deleteLapsedConsoleSessions,
  findConsoleSession,
  insertConsoleSession,
  touchConsoleSession,
  type ConsoleSessionRow,
} from "../../server/store/console-sessions.js";

import { CookieSession, openIronSession, type CsrfData } from "~/cookie-session.server";

/** A session unused this long is over (sliding: each request counts as use). */
export const IDLE_TIMEOUT_MS = 30 * 60_000;
/** A session is over this long after sign-in, however active. */
export const ABSOLUTE_LIFETIME_MS = 8 * 3_600_000;
/** Activity is written at most this often, so a busy console does not write on every request. */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

interface AdminCookieData extends CsrfData {
  /** The session id (256 random bits), only once signed in. */
  sid?: string;
}

interface LiveSession {
  /** SHA-256 of the session id: the row's key. */
  id: string;
  csrf: string;
  principal: AdminPrincipal;
}

function sessionOptions(s: Services): SessionOptions {
  return {
    cookieName: "admin_session",
    password: passwordMap(s.env.sessionSecrets),
    ttl: ABSOLUTE_LIFETIME_MS / 1000,
    cookieOptions: {
      httpOnly: true,
      sameSite: "lax",
      secure: s.env.publicUrl.startsWith("https://"),
      // Not "/admin": Remix fetches the console page's data from "/admin.data", outside that path.
      path: "/",
    },
  };
}

/** The session is within its idle window and its absolute lifetime at `now`. */
function isCurrent(row: ConsoleSessionRow, now: Date): boolean {
  const t = now.getTime();
  return t < Date.parse(row.expires_at) && t < Date.parse(row.last_seen_at) + IDLE_TIMEOUT_MS;
}

export class AdminSession extends CookieSession<AdminCookieData> {
  private live: LiveSession | undefined;

  private constructor(
    data: IronSession<AdminCookieData>,
    sink: Response,
    private readonly s: Services,
  ) {
    super(data, sink);
  }

  static async open(request: Request, s: Services): Promise<AdminSession> {
    const { data, sink } = await openIronSession<AdminCookieData>(request, sessionOptions(s));
    const session = new AdminSession(data, sink, s);
    await session.resume();
    return session;
  }

  /**
   * Finds the cookie's session in the database. One that is unknown (signed out), timed out, or
   * whose token left the configuration is deleted and dropped from the cookie.
   */
  private async resume(): Promise<void> {
    const sid = this.data.sid;
    if (!sid) return;
    const db = this.s.db.kysely;
    const id = sha256Hex(sid);
    const now = this.s.clock.now();
    const row = await findConsoleSession(db, id);
    const token = row && isCurrent(row, now) ? adminTokenByHash(this.s.tenant, row.token_hash) : undefined;
    if (row && token) {
      this.live = { id, csrf: row.csrf, principal: { name: token.name, scopes: [...token.scopes] } };
      if (now.getTime() - Date.parse(row.last_seen_at) >= ACTIVITY_WRITE_INTERVAL_MS) await touchConsoleSession(db, id, now.toISOString());
      return;
    }
    if (row) await deleteConsoleSession(db, id);
    delete this.data.sid;
    this.dirty = true;
  }

  /** The signed-in administrator, if the session is current and its token still configured. */
  get principal(): AdminPrincipal | undefined {
    return this.live?.principal;
  }

  override csrf(): string {
    return this.live?.csrf ?? super.csrf();
  }

  protected override expectedCsrf(): string | undefined {
    return this.live ? this.live.csrf : this.data.csrf;
  }

  /**
   * A new session for this token, under a new id whatever the cookie carried before (no fixation;
   * a session signed in again ends its old id), with a fresh CSRF token. Lapsed sessions of anyone
   * are swept here, so the table holds only sessions that could still be used.
   */
  async signIn(tokenHash: string, principal: AdminPrincipal): Promise<void> {
    const db = this.s.db.kysely;
    const now = this.s.clock.now();
    if (this.live) await deleteConsoleSession(db, this.live.id);
    await deleteLapsedConsoleSessions(db, now.toISOString(), new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString());
    const sid = randomSecret(32);
    const row: ConsoleSessionRow = {
      id: sha256Hex(sid),
      token_hash: tokenHash,
      csrf: randomBytes(18).toString("base64url"),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS).toISOString(),
    };
    await insertConsoleSession(db, row);
    this.live = { id: row.id, csrf: row.csrf, principal };
    this.data.sid = sid;
    delete this.data.csrf;
    this.dirty = true;
  }

  /** Ends the session on the server (its id is refused from now on, on every instance) and clears the cookie. */
  async signOut(): Promise<void> {
    if (this.live) await deleteConsoleSession(this.s.db.kysely, this.live.id);
    this.live = undefined;
    this.destroy();
  }
}
