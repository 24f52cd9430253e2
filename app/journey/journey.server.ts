// The invitee journey on the server (docs/journey.md): the journey cookie, CSRF, the journey
// URL's parameters, the per-IP limit on token look-ups, the brand and language of its pages, and
// the pages every journey route can end on. The routes' loaders and actions are in
// links.server.ts (the links in messages) and activation.server.ts (the form).
//
// The link token is only ever in the URL of the first request. From then on the journey cookie
// (iron-session: sealed, HttpOnly, SameSite=Lax, Secure under https; for a journey a portal embeds,
// SameSite=None; Partitioned under https so that a cross-site iframe keeps it) carries the token's hash, the
// language the invitee picked, the portal's `state`, whether the page is embedded, and the CSRF
// token that every form of the journey posts back.
import { data, type AppLoadContext } from "@remix-run/node";
import type { SessionOptions } from "iron-session";
import type { ClientContext } from "../../server/config/load.js";
import type { Brand } from "../../server/config/schema.js";
import { authorizationUrl, lookupLink, type LinkState } from "../../server/invitations/activate.js";
import { passwordMap } from "../../server/lib/seal.js";
import type { Services } from "../../server/services.js";
import { getInvitation, type Invitation } from "../../server/store/invitations.js";
import type { ActivationFormConfig } from "./activation-form";
import type { PageI18n } from "~/i18n";
import { CookieSession, openIronSession } from "~/cookie-session.server";
import { chooseLanguage, pageI18n } from "~/i18n.server";
import { isSameOriginPost } from "../../server/http/same-origin.js";
import { TOKEN_LOOKUPS } from "../../server/http/rate-limits.js";
import { terminalWords } from "./words";

export interface JourneyData {
  /** sha256 of the link token. */
  th?: string;
  /** The language the invitee picked with ?lng= or the switcher. */
  lng?: string;
  /** The portal's OAuth `state`, handed back to the authorization endpoint. */
  state?: string;
  /** The portal embeds the journey in an iframe (?embed=1). */
  embed?: boolean;
  csrf?: string;
  /** "Send me a new link" was pressed for this (now dead) token hash: its page says so. */
  renewed?: { th: string; invitation: string; store: string };
}

/** A day: longer than anyone spends on the form, short enough not to linger. */
const SESSION_TTL_SECONDS = 24 * 3600;
/** Token look-ups (links opened, Activate pressed) per IP per minute. */
export const TOKEN_LOOKUPS_PER_MINUTE = TOKEN_LOOKUPS.points;
const STATE_PATTERN = /^[\x21-\x7e]{1,512}$/;

interface JourneyCookieOptions {
  standard: SessionOptions;
  embedded: SessionOptions;
}
const optionsByServices = new WeakMap<Services, JourneyCookieOptions>();

function sessionOptions(s: Services): JourneyCookieOptions {
  let options = optionsByServices.get(s);
  if (!options) {
    const secure = s.env.publicUrl.startsWith("https://");
    const standard: SessionOptions = {
      // __Host- binds the cookie to this exact origin (Secure, Path=/, no Domain).
      cookieName: secure ? "__Host-journey" : "journey",
      password: passwordMap(s.env.sessionSecrets),
      ttl: SESSION_TTL_SECONDS,
      cookieOptions: { httpOnly: true, sameSite: "lax", secure, path: "/" },
    };
    // A portal on another site embedding the journey (?embed=1): a SameSite=Lax cookie never
    // reaches a cross-site iframe, so under https that journey's cookie is SameSite=None and
    // partitioned by the top-level site (CHIPS), which makes it no tracking cookie. Forgery stays
    // out through the CSRF token in every form and the same-origin check.
    const embedded: SessionOptions = secure
      ? { ...standard, cookieOptions: { ...standard.cookieOptions, sameSite: "none", partitioned: true } }
      : standard;
    options = { standard, embedded };
    optionsByServices.set(s, options);
  }
  return options;
}

/** The journey cookie of one request; changes are sent back by headers(). */
export class Journey extends CookieSession<JourneyData> {
  static async open(request: Request, s: Services): Promise<Journey> {
    const options = sessionOptions(s);
    const { data, sink } = await openIronSession<JourneyData>(request, options.standard);
    if (data.embed || new URL(request.url).searchParams.get("embed") === "1") data.updateConfig(options.embedded);
    return new Journey(data, sink);
  }

  set(patch: Partial<JourneyData>): void {
    for (const [key, value] of Object.entries(patch) as [keyof JourneyData, never][]) {
      if (value === undefined) delete this.data[key];
      else this.data[key] = value;
    }
    this.dirty = true;
  }

  /** Forgets the journey (after activation). */
  end(): void {
    this.destroy();
  }
}

/** A POST from our own page carrying the journey's CSRF token. */
export function validPost(request: Request, form: FormData, journey: Journey, s: Services): boolean {
  return isSameOriginPost(request.headers, s.env.publicUrl, new URL(request.url).origin) && journey.checkCsrf(form.get("csrf"));
}

/** The journey URL's parameters for portals (docs/journey.md): lng, state, embed. Bad values are dropped. */
export function journeyParams(s: Services, url: URL): Pick<JourneyData, "lng" | "state" | "embed"> {
  const lng = s.i18n.match(url.searchParams.get("lng"));
  const state = url.searchParams.get("state");
  return {
    lng,
    state: state && STATE_PATTERN.test(state) ? state : undefined,
    embed: url.searchParams.get("embed") === "1" || undefined,
  };
}

/** Seconds to wait when this IP looked up too many tokens, else undefined. */
export function limitTokenLookups(context: AppLoadContext): Promise<number | undefined> {
  return context.services.rateLimits.consume(TOKEN_LOOKUPS, context.clientIp);
}

/** What the browser needs of the brand. Its words (the support text, the locale overrides) are in the page's resources. */
export interface BrandView {
  name: string;
  logoUrl: string | null;
  primaryColor: string;
  backgroundColor: string;
  siteTermsUrl: string;
  privacyPolicyUrl: string;
  /** Black or white, whichever reads better on the primary colour (buttons). */
  onPrimary: string;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast: white text when it beats black on this background. */
export function textColorOn(hex: string): string {
  const l = luminance(hex);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#000000";
}

export function brandView(b: Brand): BrandView {
  return {
    name: b.name,
    logoUrl: b.logoUrl,
    primaryColor: b.primaryColor,
    onPrimary: textColorOn(b.primaryColor),
    backgroundColor: b.backgroundColor,
    siteTermsUrl: b.siteTermsUrl,
    privacyPolicyUrl: b.privacyPolicyUrl,
  };
}

type OfInvitation = { invitation: Invitation; ctx: ClientContext };

/** An invitation's journey language (docs/journey.md): ?lng=, the one picked, the invitation's, then the browser's, the client's. */
export function journeyLanguage(
  context: AppLoadContext,
  request: Request,
  { invitation, ctx }: OfInvitation,
  picked?: string,
): Promise<string> {
  return chooseLanguage(context, request, [picked, invitation.language], [ctx.client.defaultLocale]);
}

/** The page's language and words for an invitation's journey. */
export async function journeyI18n(context: AppLoadContext, request: Request, link: OfInvitation, picked?: string) {
  return pageI18n(context, await journeyLanguage(context, request, link, picked), ["journey"], link.ctx.brand);
}

export interface TerminalData {
  view: "terminal";
  terminal: Terminal;
  brand?: BrandView;
  i18n: PageI18n;
  title: string;
}

export interface LandingData {
  view: "landing";
  brand: BrandView;
  i18n: PageI18n;
  title: string;
  name: string | null;
  /** Already formatted in the page's language. */
  validUntil: string;
  csrf: string;
}

export interface FormPageData {
  view: "form";
  brand: BrandView;
  i18n: PageI18n;
  title: string;
  config: ActivationFormConfig;
  defaults: Record<string, string>;
  csrf: string;
}

export interface DoneData {
  view: "done";
  brand: BrandView;
  i18n: PageI18n;
  title: string;
  redirectTo: string;
  state: string | null;
  /** The client's frameAncestors: the only origins the message may go to. */
  origins: string[];
}

export type Terminal =
  /** `csrf` when the invitee may ask for a new link; `resent` once they did. */
  | { kind: "expired"; csrf?: string; resent?: boolean }
  /** `joined`: the invitation was a join invitation, accepted by an existing account. */
  | { kind: "used"; signInUrl: string; joined?: true }
  | { kind: "invalid" }
  | { kind: "tooMany"; retryAfter: number };

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
      terminal = { kind: "expired", csrf: journey.csrf() };
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

/** Retry-After (and Set-Cookie, which Remix keeps by itself) on the document response. */
export function journeyHeaders({ loaderHeaders, actionHeaders }: { loaderHeaders: Headers; actionHeaders: Headers }) {
  const headers = new Headers();
  const retry = actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retry) headers.set("Retry-After", retry);
  return headers;
}
