// GET /invite/<token>: the email link's landing page (brand, welcome, one Activate Account button).
// The GET only reads, so mail scanners that open links change nothing; the button's POST starts
// the journey and leaves this URL for /activate with a 303.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { journeyMeta, LandingRoute } from "~/journey/components/JourneyViews";
import { journeyHeaders } from "~/journey/journey.server";
import { landingPage, startJourney } from "~/journey/links.server";

export const meta = journeyMeta;
export const headers = journeyHeaders;

export function loader({ request, context, params }: LoaderFunctionArgs) {
  return landingPage(context, request, params.token);
}

export function action({ request, context, params }: ActionFunctionArgs) {
  return startJourney(context, request, params.token);
}

export default LandingRoute;
