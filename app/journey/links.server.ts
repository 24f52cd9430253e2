// The links in messages, on the server (docs/journey.md): the email landing page and
// its Activate Account button, the brand portal's login_hint, the SMS link, and the expired page's
// "Send me a new link". Opening a link never changes an invitation.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { prepareActivation, queueActivation, recipientOf } from "../../server/invitations/issue.js";
import { NEW_LINKS } from "../../server/http/rate-limits.js";
import { formatExpiry } from "../../server/messaging/render.js";
import type { Services } from "../../server/services.js";
import { isUniqueViolation } from "../../server/store/database.js";
import { rotateInvitationToken } from "../../server/store/invitations.js";
import {
  brandView,
  Journey,
  journeyI18n,
  journeyParams,
  limitTokenLookups,
  linkForPage,
  terminalPage,
  validPost,
  type LandingData,
} from "./journey.server";
import { joinLanding } from "./join-landing.server";

/**
 * The email landing page (GET /invite/<token>, GET /invite?login_hint=): the brand, a welcome and
 * one Activate Account button. Reads only: mail scanners open these links.
 */
export async function landingPage(context: AppLoadContext, request: Request, token: string | undefined) {
  const s = context.services;
  const wait = await limitTokenLookups(context);
  if (wait) return terminalPage(context, request, { kind: "tooMany", retryAfter: wait });
  const journey = await Journey.open(request, s);
  const link = await linkForPage(s, token ? tokenHashOf(token) : undefined, journey);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  const { invitation, ctx } = link;
  context.frameAncestors = ctx.client.frameAncestors;
  if (invitation.kind === "join") return joinLanding(context, request, link, journey);
  const i18n = await journeyI18n(context, request, link);
  const t = s.i18n.t(i18n.lng, "journey", ctx.brand);
  const name = invitation.metadata.firstName ?? invitation.metadata.givenName;
  return data<LandingData>(
    {
      view: "landing",
      brand: brandView(ctx.brand),
      i18n,
      title: t("landing.title", { brand: ctx.brand.name }),
      name: typeof name === "string" ? name : null,
      validUntil: formatExpiry(invitation.validUntil, i18n.lng),
      csrf: journey.csrf(),
    },
    { headers: await journey.headers() },
  );
}

/**
 * Activate Account pressed: check the link again, start the journey (the token's hash in the
 * cookie, with the URL's lng, state and embed) and leave the token's URL with a 303.
 */
export async function startJourney(context: AppLoadContext, request: Request, token: string | undefined) {
  const s = context.services;
  const form = await request.formData();
  const journey = await Journey.open(request, s);
  const tokenHash = token ? tokenHashOf(token) : undefined;
  if (form.get("intent") === NEW_LINK) return sendNewLink(context, request, form, journey, tokenHash);
  if (!validPost(request, form, journey, s)) return data({ view: "landing-error" as const, formError: "csrf" as const }, { status: 403 });
  const wait = await limitTokenLookups(context);
  if (wait) return terminalPage(context, request, { kind: "tooMany", retryAfter: wait });
  const link = await lookupLink(s, tokenHash);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  journey.set({ th: tokenHash, ...journeyParams(s, new URL(request.url)) });
  // A join invitation goes on to confirm with the account's password, any other to activation.
  return redirect(link.invitation.kind === "join" ? "/join" : "/activate", { status: 303, headers: await journey.headers() });
}

/**
 * The SMS link (GET /i/<token>): straight on to the activation screen. The GET changes no
 * invitation; it starts the journey cookie and 303s to /activate so the token leaves the URL.
 */
export async function smsLink(context: AppLoadContext, request: Request, token: string | undefined) {
  const s = context.services;
  const wait = await limitTokenLookups(context);
  if (wait) return terminalPage(context, request, { kind: "tooMany", retryAfter: wait });
  const tokenHash = token ? tokenHashOf(token) : undefined;
  const journey = await Journey.open(request, s);
  const link = await linkForPage(s, tokenHash, journey);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  journey.set({ th: tokenHash, ...journeyParams(s, new URL(request.url)) });
  journey.csrf();
  return redirect("/activate", { status: 303, headers: await journey.headers() });
}

/** The intent of the expired page's form. */
export const NEW_LINK = "new-link";
/** New links one invitation may ask for per hour from its expired page. */
export const NEW_LINKS_PER_HOUR = NEW_LINKS.points;

async function mayRenew(s: Services, invitationId: string): Promise<boolean> {
  return (await s.rateLimits.consume(NEW_LINKS, invitationId)) === undefined;
}

/**
 * "Send me a new link" on the expired page (self-service renewal): the same invitation gets a fresh
 * link, sent only to the address or number it was sent to, on the same channel; the old link dies.
 * At most NEW_LINKS_PER_HOUR an hour per invitation, and only where the client allows resends. The
 * page says the same whether or not a message went out.
 */
export async function sendNewLink(
  context: AppLoadContext,
  request: Request,
  form: FormData,
  journey: Journey,
  tokenHash: string | undefined,
) {
  const s = context.services;
  const wait = await limitTokenLookups(context);
  if (wait) return terminalPage(context, request, { kind: "tooMany", retryAfter: wait });
  const link = await lookupLink(s, tokenHash);
  if (link.kind === "valid") return redirect(samePage(request), 303);
  if (link.kind !== "expired") return terminalPage(context, request, link, { journey });
  if (!validPost(request, form, journey, s)) return terminalPage(context, request, link, { journey, status: 403 });
  const { invitation, ctx } = link;
  if (ctx.client.resendInvite && (await mayRenew(s, invitation.id))) {
    const { channel } = invitation;
    const prepared = await prepareActivation(s, ctx, recipientOf(invitation, ctx));
    const now = s.clock.now().toISOString();
    const renewed = await s.db.kysely
      .transaction()
      .execute(async (trx) => {
        const rotated = await rotateInvitationToken(trx, invitation.id, {
          tokenHash: prepared.token.hash,
          validUntil: prepared.validUntil.toISOString(),
          now,
          channel,
          countResend: true,
          fromTokenHash: tokenHash,
        });
        if (rotated) await queueActivation(trx, s, prepared);
        return rotated;
      })
      .catch((error: unknown) => {
        // A newer invitation for the same address is waiting (its link was sent): this one stays
        // expired, and the page below says the same as when a link went out.
        if (isUniqueViolation(error)) return false;
        throw error;
      });
    if (renewed) {
      s.worker.kick();
      s.log.info("invitation.renewed_by_invitee", { invitation: invitation.id, client: ctx.client.clientId });
    }
  }
  // Post/redirect/get: the page that follows says a link may be on its way, in the invitation's words.
  journey.set({ renewed: { th: tokenHash!, invitation: invitation.id, store: invitation.store } });
  return redirect(samePage(request), { status: 303, headers: await journey.headers() });
}

/** The page a form was posted from, to GET it again (without Remix's ?index marker). */
function samePage(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("index");
  return `${url.pathname}${url.search}`;
}

/** POST /i/<token>: only the expired page's "Send me a new link" posts here. */
export async function smsLinkAction(context: AppLoadContext, request: Request, token: string | undefined) {
  const form = await request.formData();
  const journey = await Journey.open(request, context.services);
  return sendNewLink(context, request, form, journey, token ? tokenHashOf(token) : undefined);
}
