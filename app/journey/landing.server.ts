// The email link's landing page, shared by its two addresses (docs/journey.md): /invite/<token>
// and the brand portal's /invite?login_hint=. Opening a link never changes an invitation: mail
// scanners open these links.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { formatExpiry } from "../../server/messaging/render.js";
import { brandView } from "./brand.server";
import { joinLanding } from "./join.server";
import { journeyI18n } from "./language.server";
import { limitTokenLookups } from "./limits.server";
import { NEW_LINK, sendNewLink } from "./new-link.server";
import type { LandingData, LandingErrorData } from "./pages";
import { Journey, journeyParams, validPost } from "./session.server";
import { linkForPage, terminalPage } from "./terminal.server";

/** The landing page: the brand, a welcome and one Activate Account button (a join invitation's has its own words). */
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
      csrf: journey.linkPageCsrf(),
    },
    { headers: await journey.headers() },
  );
}

/**
 * Activate Account pressed (or the expired page's "Send me a new link"): check the link again,
 * start the journey (the token's hash in the cookie, with the URL's lng, state and embed) and
 * leave the token's URL with a 303.
 */
export async function startJourney(context: AppLoadContext, request: Request, token: string | undefined) {
  const s = context.services;
  const form = await request.formData();
  const journey = await Journey.open(request, s);
  const tokenHash = token ? tokenHashOf(token) : undefined;
  if (form.get("intent") === NEW_LINK) return sendNewLink(context, request, form, journey, tokenHash);
  if (!validPost(request, form, journey, s)) return data<LandingErrorData>({ view: "landing-error", formError: "csrf" }, { status: 403 });
  const wait = await limitTokenLookups(context);
  if (wait) return terminalPage(context, request, { kind: "tooMany", retryAfter: wait });
  const link = await lookupLink(s, tokenHash);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  journey.set({ th: tokenHash, ...journeyParams(s, new URL(request.url)) });
  // A join invitation goes on to confirm with the account's password, any other to activation.
  return redirect(link.invitation.kind === "join" ? "/join" : "/activate", { status: 303, headers: await journey.headers() });
}
