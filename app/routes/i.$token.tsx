// GET /i/<token>: the SMS link, straight to the activation screen. The GET never changes an
// invitation; it puts the token's hash in the journey cookie and 303s to /activate, so the token
// leaves the address bar. A link that cannot be used gets its page here.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { journeyMeta, TerminalView } from "~/journey/components/JourneyViews";
import { journeyHeaders, type TerminalData } from "~/journey/journey.server";
import { smsLink, smsLinkAction } from "~/journey/links.server";

export const meta = journeyMeta;
export const headers = journeyHeaders;

export function loader({ request, context, params }: LoaderFunctionArgs) {
  return smsLink(context, request, params.token);
}

/** The expired page's "Send me a new link". */
export function action({ request, context, params }: ActionFunctionArgs) {
  return smsLinkAction(context, request, params.token);
}

export default function SmsLink() {
  const page = useLoaderData() as unknown as TerminalData;
  const result = useActionData() as unknown as TerminalData | undefined;
  return <TerminalView page={result ?? page} />;
}
