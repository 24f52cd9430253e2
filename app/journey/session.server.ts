// The journey cookie (docs/journey.md), the CSRF check of the journey's forms, and the journey
// URL's parameters for portals.
//
// The link token is only ever in the URL of the first request. From then on the journey cookie
// (iron-session: sealed, HttpOnly, SameSite=Lax, Secure under https; for a journey a portal embeds,
// SameSite=None; Partitioned under https so that a cross-site iframe keeps it) carries the token's hash, the
// language the invitee picked, the portal's `state`, whether the page is embedded, and the CSRF
// token that every form of the journey posts back.
//
// The pages a link opens (the landing page, a join invitation's, the expired page) seal nothing:
// their form's CSRF token is a random value in a small cookie of its own, set only when the
// browser has none (a double-submit cookie, docs/security.md#the-journeys-csrf-tokens), which the
// journey cookie adopts when the form's POST starts the journey.
import { randomBytes } from "node:crypto";
import type { IronSession, SessionOptions } from "iron-session";
import { isSameOriginPost } from "../../server/http/same-origin.js";
import { passwordMap } from "../../server/lib/seal.js";
import type { Services } from "../../server/services.js";
import { CookieSession, openIronSession } from "~/cookie-session.server";

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
const STATE_PATTERN = /^[\x21-\x7e]{1,512}$/;

interface JourneyCookieOptions {
  standard: SessionOptions;
  embedded: SessionOptions;
  /** The link pages' CSRF cookie (see LinkCsrf). */
  csrfCookieName: string;
}

/** randomBytes(18) in base64url: what the link pages' CSRF cookie holds, and all it may hold. */
const CSRF_VALUE = /^[\w-]{24}$/;

/**
 * The CSRF token of the pages a link opens, in a cookie of its own with the journey cookie's
 * attributes (HttpOnly, SameSite, Secure, __Host- under https): read from the request, made and
 * sent only when the browser has none.
 */
class LinkCsrf {
  private sent = false;
  value: string | undefined;

  constructor(
    request: Request,
    private readonly name: string,
    private readonly options: SessionOptions,
  ) {
    const header = request.headers.get("cookie");
    if (!header) return;
    for (const pair of header.split(";")) {
      const eq = pair.indexOf("=");
      if (eq > 0 && pair.slice(0, eq).trim() === name) {
        const value = pair.slice(eq + 1).trim();
        if (CSRF_VALUE.test(value)) this.value = value;
      }
    }
  }

  /** The token, made (and its cookie to be sent) if the browser had none. */
  get(): string {
    if (!this.value) {
      this.value = randomBytes(18).toString("base64url");
      this.sent = true;
    }
    return this.value;
  }

  /** Set-Cookie for a token made by this request, in the attribute order of the journey cookie. */
  setCookie(): string | undefined {
    if (!this.sent) return undefined;
    const o = this.options.cookieOptions ?? {};
    return [
      `${this.name}=${this.value}`,
      `Max-Age=${SESSION_TTL_SECONDS}`,
      "Path=/",
      "HttpOnly",
      ...(o.secure ? ["Secure"] : []),
      ...(o.partitioned ? ["Partitioned"] : []),
      `SameSite=${o.sameSite === "none" ? "None" : "Lax"}`,
    ].join("; ");
  }
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
    options = { standard, embedded, csrfCookieName: secure ? "__Host-journey-csrf" : "journey-csrf" };
    optionsByServices.set(s, options);
  }
  return options;
}

/** The journey cookie of one request; changes are sent back by headers(). */
export class Journey extends CookieSession<JourneyData> {
  private constructor(
    data: IronSession<JourneyData>,
    sink: Response,
    private readonly linkCsrf: LinkCsrf,
  ) {
    super(data, sink);
  }

  static async open(request: Request, s: Services): Promise<Journey> {
    const options = sessionOptions(s);
    const { data, sink } = await openIronSession<JourneyData>(request, options.standard);
    const embedded = data.embed || new URL(request.url).searchParams.get("embed") === "1";
    if (embedded) data.updateConfig(options.embedded);
    return new Journey(data, sink, new LinkCsrf(request, options.csrfCookieName, embedded ? options.embedded : options.standard));
  }

  /**
   * The CSRF token of a page a link opens: the journey's if there is one, else the link pages'
   * cookie's, so that opening a link seals no cookie (sealing was an eighth of the landing page's CPU).
   */
  linkPageCsrf(): string {
    return this.data.csrf ?? this.linkCsrf.get();
  }

  /** The journey's token, else the link pages' (a form from a page a link opened). */
  protected override expectedCsrf(): string | undefined {
    return this.data.csrf ?? this.linkCsrf.value;
  }

  /** Set-Cookie for whatever changed; a journey being saved keeps the link pages' token as its own. */
  override async headers(): Promise<Headers> {
    if (this.dirty && !this.data.csrf && this.linkCsrf.value) this.data.csrf = this.linkCsrf.value;
    const headers = await super.headers();
    const csrfCookie = this.linkCsrf.setCookie();
    if (csrfCookie) headers.append("Set-Cookie", csrfCookie);
    return headers;
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

/** The switcher's choice (GET ?lng=), remembered for the rest of the journey. */
export function rememberPickedLanguage(s: Services, request: Request, journey: Journey): void {
  const picked = s.i18n.match(new URL(request.url).searchParams.get("lng"));
  if (picked && picked !== journey.data.lng) journey.set({ lng: picked });
}
