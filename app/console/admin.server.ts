// The admin console's guards: who is signed in (the session itself is in session.server.ts),
// CSRF and same-origin checks on every POST, sign-in with its per-address throttle. Also the one
// place console routes reach into server/.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { authenticateAdminToken, type AdminPrincipal } from "../../server/api/admin/auth.js";
import type { Scope } from "../../server/config/schema.js";
import { secretHash } from "../../server/lib/crypto.js";
import { SIGN_IN_FAILURES } from "../../server/http/rate-limits.js";
import { isSameOriginPost } from "../../server/http/same-origin.js";
import type { Services } from "../../server/services.js";

import { AdminSession } from "./session.server";

export { chooseLanguage, pageI18n } from "~/i18n.server";
export { createAdminInvitation, resendAdminInvitation, revokeAdminInvitation } from "../../server/invitations/admin.js";
export { invitableClients } from "../../server/invitations/admin-rules.js";
export { getInvitation } from "../../server/store/invitations.js";
export { listInvitations } from "../../server/store/invitation-list.js";
export { getAccount, listAccounts } from "../../server/store/accounts.js";
export { latestDeliveryStatuses, listDeliveries } from "../../server/store/outbox.js";
export { CSV_EXPORT_MAX_ROWS, invitationsCsv } from "../../server/invitations/export-csv.js";
export { AdminSession };
export type { AdminPrincipal };

/** Wrong tokens allowed per client address and minute; right ones are never counted. */
export const SIGN_IN_FAILURES_PER_MINUTE = SIGN_IN_FAILURES.points;

/** Only paths of the console are followed after sign-in (no open redirect). */
/** Longer addresses are not carried through sign-in: the redirect would outgrow what clients read. */
const NEXT_MAX_LENGTH = 2048;

export function safeNext(next: string | null | undefined): string {
  return next &&
    next.length <= NEXT_MAX_LENGTH &&
    /^\/admin(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(next) &&
    !next.includes("//")
    ? next
    : "/admin";
}

/** Sends whoever is not signed in (session ended, timed out, or its token left the configuration) to the sign-in page. */
export async function requireAdmin(
  request: Request,
  context: AppLoadContext,
): Promise<{ session: AdminSession; principal: AdminPrincipal }> {
  const session = await AdminSession.open(request, context.services);
  const principal = session.principal;
  if (!principal) {
    const url = new URL(request.url);
    const next = safeNext(`${url.pathname}${url.search}`);
    // A cookie whose session ended is cleared on the way.
    throw redirect(`/admin/sign-in${next === "/admin" ? "" : `?next=${encodeURIComponent(next)}`}`, { headers: await session.headers() });
  }
  return { session, principal };
}

export const canWrite = (p: AdminPrincipal) => p.scopes.includes("write:account");

/** A POST from one of our own pages (the one rule, shared with the journey and the edge). */
function sameOrigin(request: Request, s: Services): boolean {
  return isSameOriginPost(request.headers, s.env.publicUrl, new URL(request.url).origin);
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

/**
 * Checks a token typed into the sign-in form; per-address failures are limited. Every attempt is
 * counted before the token is looked at and a right one is given back, so attempts racing on
 * several instances cannot slip past the limit between a check and a count.
 */
export async function signIn(request: Request, context: AppLoadContext, form: FormData): Promise<SignInResult> {
  const s = context.services;
  const session = await AdminSession.open(request, s);
  if (!sameOrigin(request, s) || !session.checkCsrf(form.get("csrf"))) return { ok: false, error: "csrf" };
  const key = context.clientIp;
  const wait = await s.rateLimits.consume(SIGN_IN_FAILURES, key);
  if (wait !== undefined) return { ok: false, error: "throttled", wait };
  const token = form.get("token");
  const principal = typeof token === "string" ? authenticateAdminToken(s.tenant, token.trim()) : undefined;
  if (!principal || typeof token !== "string") {
    s.log.warn("admin.sign_in_failed", {});
    return { ok: false, error: "invalidToken" };
  }
  await s.rateLimits.refund(SIGN_IN_FAILURES, key);
  await session.signIn(secretHash(token.trim()), principal);
  s.log.info("admin.signed_in", { admin: principal.name });
  return { ok: true, headers: await session.headers() };
}

/** Dates as the page shows them, formatted on the server so the browser renders the same text. */
export function formatDate(iso: string | null | undefined, lng: string): string | null {
  if (!iso) return null;
  return new Intl.DateTimeFormat(lng, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}
