// GET /invite/<token>: the email link's landing page (brand, welcome, one Activate Account button).
// The GET only reads, so mail scanners that open links change nothing; the button's POST starts
// the journey and leaves this URL for /activate (or /join) with a 303. The page is the same as
// /invite?login_hint=, whose token comes from the portal's login_hint instead.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LandingPage } from "~/journey/components/LandingView";
import { landingPage, startJourney } from "~/journey/landing.server";
import { journeyHeaders } from "~/journey/limits.server";
import { SERVER_RENDERED } from "~/page-handle";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];
export const headers = journeyHeaders;
export const handle = SERVER_RENDERED;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return landingPage(context, request, params.token);
}

/** Activate Account, or the expired page's "Send me a new link". */
export async function action({ request, context, params }: ActionFunctionArgs) {
  return startJourney(context, request, params.token);
}

export default function InviteLink() {
  return <LandingPage page={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
