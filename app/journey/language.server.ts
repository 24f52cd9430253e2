// The language of an invitation's journey pages (docs/journey.md) and their words.
import type { AppLoadContext } from "@remix-run/node";
import type { ClientContext } from "../../server/config/load.js";
import type { Invitation } from "../../server/store/invitations.js";
import { chooseLanguage, pageLanguage } from "~/i18n.server";

type OfInvitation = { invitation: Invitation; ctx: ClientContext };

/** An invitation's journey language: ?lng=, the one picked, the invitation's, then the browser's, the client's. */
export function journeyLanguage(
  context: AppLoadContext,
  request: Request,
  { invitation, ctx }: OfInvitation,
  picked?: string,
): Promise<string> {
  return chooseLanguage(context, request, [picked, invitation.language], [ctx.client.defaultLocale]);
}

/** The page's language for an invitation's journey (its pages do not hydrate: no words for the browser). */
export async function journeyI18n(context: AppLoadContext, request: Request, link: OfInvitation, picked?: string) {
  return pageLanguage(context, await journeyLanguage(context, request, link, picked), link.ctx.brand);
}
