// The landing page of a join invitation (the link in a "join" message): the brand, the
// organization and what joining grants, with one button. Like every landing page it only reads:
// mail scanners open these links. The button's POST is the landing page's (links.server.ts), which
// goes on to /join.
import { data, type AppLoadContext } from "@remix-run/node";
import type { ClientContext } from "../../server/config/load.js";
import { joinTarget } from "../../server/invitations/issue.js";
import { joinGrants, type JoinGrants } from "../../server/invitations/join.js";
import { formatExpiry } from "../../server/messaging/render.js";
import type { Invitation } from "../../server/store/invitations.js";
import type { PageI18n } from "~/i18n";
import { brandView, journeyI18n, type BrandView, type Journey } from "./journey.server";

export interface JoinLandingData {
  view: "join-landing";
  brand: BrandView;
  i18n: PageI18n;
  title: string;
  /** The organization's name, or the application's without one. */
  target: string;
  name: string | null;
  grants: JoinGrants;
  /** Already formatted in the page's language. */
  validUntil: string;
  csrf: string;
}

/** The words every join page shares: the page's language, its title, and what is joined. */
export async function joinWords(
  context: AppLoadContext,
  request: Request,
  link: { invitation: Invitation; ctx: ClientContext },
  picked?: string,
) {
  const i18n = await journeyI18n(context, request, link, picked);
  const target = joinTarget(link.ctx, link.invitation.organization);
  const t = context.services.i18n.t(i18n.lng, "journey", link.ctx.brand);
  return { i18n, target, t, title: t("join.title", { target, brand: link.ctx.brand.name }) };
}

export async function joinLanding(
  context: AppLoadContext,
  request: Request,
  link: { invitation: Invitation; ctx: ClientContext },
  journey: Journey,
) {
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
      csrf: journey.csrf(),
    },
    { headers: await journey.headers() },
  );
}
