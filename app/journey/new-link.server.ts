// "Send me a new link" on the expired page (self-service renewal), which any journey page can end
// on: the landing page, the SMS link, /activate and /join all take its POST. The renewal itself is
// server/invitations/renew.ts.
import { redirect, type AppLoadContext } from "@remix-run/node";
import { NEW_LINKS } from "../../server/http/rate-limits.js";
import { lookupLink } from "../../server/invitations/activate.js";
import { renewExpiredInvitation } from "../../server/invitations/renew.js";
import type { Services } from "../../server/services.js";
import { limitTokenLookups } from "./limits.server";
import { validPost, type Journey } from "./session.server";
import { terminalPage } from "./terminal.server";

/** The intent of the expired page's form. */
export const NEW_LINK = "new-link";
/** New links one invitation may ask for per hour from its expired page. */
export const NEW_LINKS_PER_HOUR = NEW_LINKS.points;

async function mayRenew(s: Services, invitationId: string): Promise<boolean> {
  return (await s.rateLimits.consume(NEW_LINKS, invitationId)) === undefined;
}

/**
 * The expired page's form: at most NEW_LINKS_PER_HOUR an hour per invitation, and only where the
 * client allows resends, a new link goes out. The page says the same whether or not one did.
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
  if (ctx.client.resendInvite && (await mayRenew(s, invitation.id))) await renewExpiredInvitation(s, invitation, ctx, tokenHash);
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
