// A join invitation's pages on the server (docs/journey.md#join-invitations): the words they share,
// the landing page (the email link's, see landing.server.ts), and for /join the form's
// configuration, the link as /join sees it and the locked page.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import type { ClientContext } from "../../server/config/load.js";
import { joinTarget } from "../../server/invitations/issue.js";
import { JOIN_LOCK_MINUTES, joinGrants } from "../../server/invitations/join.js";
import { formatExpiry } from "../../server/messaging/render.js";
import type { Invitation } from "../../server/store/invitations.js";
import { brandView } from "./brand.server";
import type { JoinFormConfig } from "./join-form";
import { journeyI18n } from "./language.server";
import type { JoinLandingData, JoinLockedData } from "./pages";
import type { Journey } from "./session.server";
import { linkForPage, terminalPage } from "./terminal.server";

type JoinLink = { invitation: Invitation; ctx: ClientContext; account?: { email: string | null; phone: string | null } };

/** The words every join page shares: the page's language, its title, and what is joined. */
export async function joinWords(context: AppLoadContext, request: Request, link: JoinLink, picked?: string) {
  const i18n = await journeyI18n(context, request, link, picked);
  const target = joinTarget(link.ctx, link.invitation.organization);
  const t = context.services.i18n.t(i18n.lng, "journey", link.ctx.brand);
  return { i18n, target, t, title: t("join.title", { target, brand: link.ctx.brand.name }) };
}

/**
 * The landing page of a join invitation (the link in a "join" message): the brand, the
 * organization and what joining grants, with one button, whose POST goes on to /join.
 */
export async function joinLanding(context: AppLoadContext, request: Request, link: JoinLink, journey: Journey) {
  const { invitation, ctx } = link;
  const { i18n, target, title } = await joinWords(context, request, link);
  const name = invitation.metadata.firstName ?? invitation.metadata.givenName;
  return data<JoinLandingData>(
    {
      view: "join-landing",
      brand: brandView(ctx.brand),
      i18n,
      title,
      target,
      name: typeof name === "string" ? name : null,
      grants: joinGrants(invitation, ctx),
      validUntil: formatExpiry(invitation.validUntil, i18n.lng),
      csrf: journey.linkPageCsrf(),
    },
    { headers: await journey.headers() },
  );
}

export const joinConfig = ({ ctx }: JoinLink): JoinFormConfig => ({
  passwordMax: ctx.store.passwordPolicy.maxLength,
  requireTerms: ctx.client.requireTermsOnJoin,
});

/** The link the journey has, as /join sees it: the join invitation, or the page it ends on. */
export async function openJoin(context: AppLoadContext, request: Request, journey: Journey) {
  const link = await linkForPage(context.services, journey.data.th, journey);
  if (link.kind !== "valid") return { page: await terminalPage(context, request, link, { journey }) };
  // An invitation to activate an account has its own form.
  if (link.invitation.kind !== "join") return { page: redirect("/activate", { status: 303, headers: await journey.headers() }) };
  context.frameAncestors = link.ctx.client.frameAncestors;
  return { link };
}

/** The locked page: 429 with Retry-After until the lock ends. */
export async function lockedPage(context: AppLoadContext, request: Request, link: JoinLink, journey: Journey, until: string) {
  const { i18n, t } = await joinWords(context, request, link, journey.data.lng);
  const headers = await journey.headers();
  const wait = Math.max(1, Math.ceil((Date.parse(until) - context.services.clock.now().getTime()) / 1000));
  headers.set("Retry-After", String(wait));
  return data<JoinLockedData>(
    {
      view: "join-locked",
      brand: brandView(link.ctx.brand),
      i18n,
      title: t("join.lockedTitle"),
      until: formatExpiry(until, i18n.lng),
      minutes: JOIN_LOCK_MINUTES,
      passwordResetUrl: link.ctx.client.passwordResetUrl,
    },
    { status: 429, headers },
  );
}
