// GET /invite?login_hint=<JWT>: the brand portal forwards the login_hint from the invitation link
// (docs/journey.md); it is verified, and then this is the same landing page as /invite/<token>.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { journeyHeaders } from "~/journey/journey.server";
import { landingPage, startJourney } from "~/journey/links.server";
import { journeyMeta, LandingRoute } from "~/journey/components/JourneyViews";

export const meta = journeyMeta;
export const headers = journeyHeaders;

async function tokenOf(request: Request, context: LoaderFunctionArgs["context"]) {
  const hint = new URL(request.url).searchParams.get("login_hint");
  return hint && hint.length <= 2048 ? context.services.links.tokenFromLoginHint(hint) : undefined;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  return landingPage(context, request, await tokenOf(request, context));
}

export async function action({ request, context }: ActionFunctionArgs) {
  return startJourney(context, request, await tokenOf(request, context));
}

export default LandingRoute;
