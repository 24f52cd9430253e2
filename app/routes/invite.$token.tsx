// GET /invite/<token>: the email link's landing page (brand, welcome, one Activate Account button).
// The GET only reads, so mail scanners that open links change nothing; the button's POST starts
// the journey and leaves this URL for /activate with a 303.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LandingView, TerminalView } from "~/components/JourneyViews";
import { journeyHeaders, type LandingData, type TerminalData } from "~/journey.server";
import { landingPage, startJourney } from "~/links.server";

export const meta: MetaFunction = ({ data }) => [{ title: (data as { title?: string } | undefined)?.title }];
export const headers = journeyHeaders;

export function loader({ request, context, params }: LoaderFunctionArgs) {
  return landingPage(context, request, params.token);
}

export function action({ request, context, params }: ActionFunctionArgs) {
  return startJourney(context, request, params.token);
}

export default function InviteLanding() {
  return <Landing />;
}

/** Shared with invite._index.tsx (the brand portal's login_hint). */
export function Landing() {
  const page = useLoaderData() as unknown as LandingData | TerminalData;
  const result = useActionData() as unknown as TerminalData | { view: "landing-error"; formError: "csrf" } | undefined;
  if (result?.view === "terminal") return <TerminalView page={result} />;
  if (page.view === "terminal") return <TerminalView page={page} />;
  return <LandingView page={page} formError={result?.formError} />;
}
