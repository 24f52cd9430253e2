// Where a journey ends when its link cannot be used (docs/journey.md): a link's state as a page
// shows it, and the page for each state.
import { data, type AppLoadContext } from "@remix-run/node";
import type { ClientContext } from "../../server/config/load.js";
import type { Brand } from "../../server/config/schema.js";
import { authorizationUrl, lookupLink, type LinkState } from "../../server/invitations/activate.js";
import type { Services } from "../../server/services.js";
import { getInvitation, type Invitation } from "../../server/store/invitations.js";
import { chooseLanguage, pageI18n } from "~/i18n.server";
import { brandView } from "./brand.server";
import { journeyI18n } from "./language.server";
import type { Terminal, TerminalData } from "./pages";
import { Journey } from "./session.server";
import { terminalWords } from "./words";

const terminalStatus = { expired: 410, used: 410, invalid: 404, tooMany: 429 } as const;

/** The expired invitation this browser just asked a new link for (its old token is dead). */
type Renewed = { kind: "renewed"; invitation: Invitation; ctx: ClientContext };
type TerminalCause = Exclude<LinkState, { kind: "valid" }> | Renewed | { kind: "tooMany"; retryAfter: number };

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
 * 409 to a form submitted for it), no longer valid (404: unknown, revoked, replaced and
 * malformed alike), too many look-ups (429). Nothing on them tells which case an unknown token is.
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
      // No login_hint: whoever holds a used link need not learn whose it was.
      const signInUrl = authorizationUrl(s, ctx, { redirectUri: invitation.redirectUri, locale: i18n.lng, state: journey?.data.state });
      terminal = { kind: "used", signInUrl, ...(invitation.kind === "join" ? { joined: true as const } : {}) };
    } else if (cause.kind === "renewed") {
      terminal = { kind: "expired", resent: true };
    } else if (ctx.client.resendInvite) {
      journey ??= await Journey.open(request, s);
      terminal = { kind: "expired", csrf: journey.linkPageCsrf() };
    } else {
      terminal = { kind: "expired" };
    }
  } else {
    i18n = pageI18n(context, await chooseLanguage(context, request, [journey?.data.lng]), ["journey"]);
    terminal = cause.kind === "tooMany" ? cause : { kind: "invalid" };
    if (cause.kind === "tooMany") headers.set("Retry-After", String(cause.retryAfter));
  }
  if (journey) for (const cookie of (await journey.headers()).getSetCookie()) headers.append("Set-Cookie", cookie);
  const title = s.i18n.t(i18n.lng, "journey", brand)(`terminal.${terminalWords(terminal)}.title`);
  return data<TerminalData>(
    { view: "terminal", terminal, brand: brand && brandView(brand), i18n, title },
    { status: o.status ?? (cause.kind === "renewed" ? 200 : terminalStatus[terminal.kind]), headers },
  );
}
