// GET /invite?login_hint=<JWT>: the brand portal forwards the login_hint from the invitation link
// (docs/journey.md); it is verified, and then this is the same landing page as /invite/<token>.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LandingPage } from "~/journey/components/LandingView";
import { landingPage, startJourney } from "~/journey/landing.server";
import { journeyHeaders } from "~/journey/limits.server";
import { SERVER_RENDERED } from "~/page-handle";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];
export const headers = journeyHeaders;
export const handle = SERVER_RENDERED;

/** The link token the login_hint carries, when it is one of ours and unaltered. */
async function tokenOf(request: Request, context: AppLoadContext) {
  const hint = new URL(request.url).searchParams.get("login_hint");
  return hint && hint.length <= 2048 ? context.services.links.tokenFromLoginHint(hint) : undefined;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  return landingPage(context, request, await tokenOf(request, context));
}

/** Activate Account, or the expired page's "Send me a new link". */
export async function action({ request, context }: ActionFunctionArgs) {
  return startJourney(context, request, await tokenOf(request, context));
}

export default function PortalLink() {
  return <LandingPage page={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
