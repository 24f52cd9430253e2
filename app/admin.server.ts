// The admin console's session (issue: "kept in a sealed session, never in a URL or in browser
// storage"): an iron-session cookie, HttpOnly, SameSite=Lax, Secure on https. It holds the hash of
// the admin token signed in with (never the token) and a CSRF token; the token's scopes are read
// from the configuration on every request, so removing a token from the configuration signs its
// sessions out. Also the one place console routes reach into server/.
import { randomBytes } from "node:crypto";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import type { IronSession, SessionOptions } from "iron-session";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { adminTokenByHash, authenticateAdminToken, type AdminPrincipal } from "../server/api/admin/auth.js";
import type { Scope } from "../server/config/schema.js";
import { secretHash } from "../server/lib/crypto.js";
import { passwordMap } from "../server/lib/seal.js";
import type { Services } from "../server/services.js";

import { CookieSession, openIronSession } from "./cookie-session.server";

export { chooseLanguage, pageI18n } from "./i18n.server";
export { createAdminInvitation, resendAdminInvitation, revokeAdminInvitation } from "../server/invitations/admin.js";
export { invitableClients } from "../server/invitations/admin-rules.js";
export { getInvitation, listInvitations } from "../server/store/invitations.js";
export { getAccount, listAccounts } from "../server/store/accounts.js";
export type { AdminPrincipal };

export const SESSION_TTL_SECONDS = 8 * 3600;
/** Wrong tokens allowed per client address and minute; right ones are never counted. */
export const SIGN_IN_FAILURES_PER_MINUTE = 10;

const signInFailures = new WeakMap<Services, RateLimiterMemory>();
function failureLimiter(s: Services): RateLimiterMemory {
  let limiter = signInFailures.get(s);
  if (!limiter) signInFailures.set(s, (limiter = new RateLimiterMemory({ points: SIGN_IN_FAILURES_PER_MINUTE, duration: 60 })));
  return limiter;
}

interface AdminSessionData {
  csrf?: string;
  /** `sha256:<hex>` of the admin token; matched against the configuration on each request. */
  tokenHash?: string;
}

function sessionOptions(s: Services): SessionOptions {
  return {
    cookieName: "admin_session",
    password: passwordMap(s.env.sessionSecrets),
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: {
      httpOnly: true,
      sameSite: "lax",
      secure: s.env.publicUrl.startsWith("https://"),
      // Not "/admin": Remix fetches the console page's data from "/admin.data", outside that path.
      path: "/",
    },
  };
}

export class AdminSession extends CookieSession<AdminSessionData> {
  private constructor(
    data: IronSession<AdminSessionData>,
    sink: Response,
    private readonly s: Services,
  ) {
    super(data, sink);
  }

  static async open(request: Request, s: Services): Promise<AdminSession> {
    const { data, sink } = await openIronSession<AdminSessionData>(request, sessionOptions(s));
    return new AdminSession(data, sink, s);
  }

  /** The signed-in administrator, if the session's token is still in the configuration. */
  get principal(): AdminPrincipal | undefined {
    const token = this.data.tokenHash ? adminTokenByHash(this.s.tenant, this.data.tokenHash) : undefined;
    return token && { name: token.name, scopes: [...token.scopes] };
  }

  /** A new session for this token (a fresh CSRF token too: nothing from before sign-in carries over). */
  signIn(tokenHash: string): void {
    this.data.tokenHash = tokenHash;
    this.data.csrf = randomBytes(18).toString("base64url");
    this.dirty = true;
  }

  signOut(): void {
    this.destroy();
  }
}

/** Only paths of the console are followed after sign-in (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/admin(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(next) && !next.includes("//") ? next : "/admin";
}

/** Sends whoever is not signed in (or whose token left the configuration) to the sign-in page. */
export async function requireAdmin(
  request: Request,
  context: AppLoadContext,
): Promise<{ session: AdminSession; principal: AdminPrincipal }> {
  const session = await AdminSession.open(request, context.services);
  const principal = session.principal;
  if (!principal) {
    const url = new URL(request.url);
    const next = safeNext(`${url.pathname}${url.search}`);
    throw redirect(`/admin/sign-in${next === "/admin" ? "" : `?next=${encodeURIComponent(next)}`}`);
  }
  return { session, principal };
}

export const canWrite = (p: AdminPrincipal) => p.scopes.includes("write:account");

/** Browsers say where a POST comes from; a cross-site one is refused whatever it carries. */
function sameOrigin(request: Request, s: Services): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return true;
  return origin === new URL(s.env.publicUrl).origin || origin === new URL(request.url).origin;
}

/**
 * Every console POST: signed in, same origin, the session's CSRF token, and the scope the action
 * needs. Anything else is refused before the action looks at the form.
 */
export async function requireAdminPost(
  request: Request,
  context: AppLoadContext,
  scope: Scope,
): Promise<{ session: AdminSession; principal: AdminPrincipal; form: FormData }> {
  const { session, principal } = await requireAdmin(request, context);
  const form = await request.formData();
  if (!sameOrigin(request, context.services) || !session.checkCsrf(form.get("csrf")))
    throw data({ formError: "csrf" as const }, { status: 403 });
  if (!principal.scopes.includes(scope)) throw data({ formError: "scope" as const }, { status: 403 });
  return { session, principal, form };
}

export type SignInResult = { ok: true; headers: Headers } | { ok: false; error: "invalidToken" | "csrf" | "throttled"; wait?: number };

/** Checks a token typed into the sign-in form; per-address attempts are limited. */
export async function signIn(request: Request, context: AppLoadContext, form: FormData): Promise<SignInResult> {
  const s = context.services;
  const session = await AdminSession.open(request, s);
  if (!sameOrigin(request, s) || !session.checkCsrf(form.get("csrf"))) return { ok: false, error: "csrf" };
  const limiter = failureLimiter(s);
  const key = context.clientIp;
  const seen = await limiter.get(key);
  if (seen && seen.consumedPoints >= SIGN_IN_FAILURES_PER_MINUTE)
    return { ok: false, error: "throttled", wait: Math.max(1, Math.ceil(seen.msBeforeNext / 1000)) };
  const token = form.get("token");
  const principal = typeof token === "string" ? authenticateAdminToken(s.tenant, token.trim()) : undefined;
  if (!principal || typeof token !== "string") {
    await limiter.penalty(key, 1);
    s.log.warn("admin.sign_in_failed", {});
    return { ok: false, error: "invalidToken" };
  }
  session.signIn(secretHash(token.trim()));
  s.log.info("admin.signed_in", { token: principal.name });
  return { ok: true, headers: await session.headers() };
}

/** Dates as the page shows them, formatted on the server so the browser renders the same text. */
export function formatDate(iso: string | null | undefined, lng: string): string | null {
  if (!iso) return null;
  return new Intl.DateTimeFormat(lng, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}
