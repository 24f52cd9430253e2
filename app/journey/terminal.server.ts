// Where a journey ends when its link cannot be used (docs/journey.md): a link's state as a page
// shows it, and the page for each state.
import { data, type AppLoadContext } from "@remix-run/node";
import type { ClientContext } from "../../server/config/load.js";
import type { Brand } from "../../server/config/schema.js";
import { authorizationUrl, handOffTarget, lookupLink, type LinkState } from "../../server/invitations/activate.js";
import type { Services } from "../../server/services.js";
import { getInvitation, type Invitation } from "../../server/store/invitations.js";
import { chooseLanguage, pageLanguage } from "~/i18n.server";
import { brandView } from "./brand.server";
import { journeyI18n } from "./language.server";
import type { Terminal, TerminalData } from "./pages";
import { Journey } from "./session.server";
import { terminalWords } from "./words";

const terminalStatus = { expired: 410, used: 410, invalid: 404, superseded: 410, returnUnavailable: 200, tooMany: 429 } as const;

/** The expired invitation this browser just asked a new link for (its old token is dead). */
type Renewed = { kind: "renewed"; invitation: Invitation; ctx: ClientContext };
/**
 * Accepted, but the hand-off's return address was removed from the configuration since
 * (handOffTarget): the account is ready, the browser is not sent there. `lng`: the journey's
 * language, read before the journey ended. Without an invitation: the page at RETURN_UNAVAILABLE_PATH.
 */
export type ReturnUnavailable = { kind: "returnUnavailable"; invitation?: Invitation; ctx?: ClientContext; lng?: string };
type TerminalCause = Exclude<LinkState, { kind: "valid" }> | Renewed | ReturnUnavailable | { kind: "tooMany"; retryAfter: number };

/**
 * A link's state as a page shows it: right after "Send me a new link", the old token no longer
 * finds its invitation, but this browser is told about the request it made.
 */
export async function linkForPage(s: Services, tokenHash: string | undefined, journey: Journey): Promise<LinkState | Renewed> {
  const link = await lookupLink(s, tokenHash);
  const renewed = journey.data.renewed;
  if (!tokenHash || renewed?.th !== tokenHash) return link;
  // Still expired: no new link went out (the limit, or the client's policy); the page says the same.
  if (link.kind === "expired") return { kind: "renewed", invitation: link.invitation, ctx: link.ctx };
  if (link.kind !== "invalid") return link;
  const invitation = await getInvitation(s.db.kysely, renewed.store, renewed.invitation, s.clock.now());
  const ctx = invitation && s.tenant.client(invitation.clientId);
  return invitation && ctx ? { kind: "renewed", invitation, ctx } : link;
}

/**
 * The page a journey ends on when the link cannot be used: expired (410), already used (410, or
 * 409 to a form submitted for it), no longer valid (404: unknown, revoked, replaced by a resend and
 * malformed alike), replaced by a reminder's newer link (410, saying nothing of the address), too
 * many look-ups (429); and, after acceptance, the return address that is no longer accepted (200).
 * Nothing on them tells which case an unknown token is.
 */
export async function terminalPage(
  context: AppLoadContext,
  request: Request,
  cause: TerminalCause,
  o: { journey?: Journey; status?: number } = {},
) {
  const s = context.services;
  const headers = new Headers();
  let journey = o.journey;
  let terminal: Terminal;
  let brand: Brand | undefined;
  let i18n;
  if (cause.kind === "expired" || cause.kind === "used" || cause.kind === "renewed") {
    const { ctx, invitation } = cause;
    context.frameAncestors = ctx.client.frameAncestors;
    brand = ctx.brand;
    i18n = await journeyI18n(context, request, cause, journey?.data.lng);
    if (cause.kind === "used") {
      // No login_hint: whoever holds a used link need not learn whose it was. A return address
      // removed from the configuration since gives way to the client's first one.
      const params = { locale: i18n.lng, state: journey?.data.state };
      const handOff = handOffTarget(s, ctx, { ...params, redirectUri: invitation.redirectUri });
      const signInUrl = handOff.kind === "redirect" ? handOff.url : authorizationUrl(s, ctx, params);
      terminal = { kind: "used", signInUrl, ...(invitation.kind === "join" ? { joined: true as const } : {}) };
    } else if (cause.kind === "renewed") {
      terminal = { kind: "expired", resent: true };
    } else if (ctx.client.resendInvite) {
      journey ??= await Journey.open(request, s);
      terminal = { kind: "expired", csrf: journey.linkPageCsrf() };
    } else {
      terminal = { kind: "expired" };
    }
  } else if (cause.kind === "returnUnavailable" && cause.ctx && cause.invitation) {
    const { ctx, invitation } = cause;
    context.frameAncestors = ctx.client.frameAncestors;
    brand = ctx.brand;
    i18n = await journeyI18n(context, request, { ctx, invitation }, cause.lng ?? journey?.data.lng);
    terminal = { kind: "returnUnavailable" };
  } else {
    i18n = pageLanguage(context, await chooseLanguage(context, request, [journey?.data.lng]));
    terminal =
      cause.kind === "tooMany"
        ? cause
        : cause.kind === "superseded" || cause.kind === "returnUnavailable"
          ? { kind: cause.kind }
          : { kind: "invalid" };
    if (cause.kind === "tooMany") headers.set("Retry-After", String(cause.retryAfter));
  }
  if (journey) for (const cookie of (await journey.headers()).getSetCookie()) headers.append("Set-Cookie", cookie);
  const title = s.i18n.t(i18n.lng, "journey", brand)(`terminal.${terminalWords(terminal)}.title`);
  return data<TerminalData>(
    { view: "terminal", terminal, brand: brand && brandView(brand), i18n, title },
    { status: o.status ?? (cause.kind === "renewed" ? 200 : terminalStatus[terminal.kind]), headers },
  );
}
