// GET /i/<token>: the SMS link, straight to the activation screen. The GET never changes an
// invitation; it puts the token's hash in the journey cookie and 303s to /activate, so the token
// leaves the address bar. A link that cannot be used gets its page here.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { tokenHashOf } from "~/journey/invitations.server";
import { TerminalView } from "~/journey/components/TerminalView";
import { journeyHeaders, limitTokenLookups } from "~/journey/limits.server";
import { sendNewLink } from "~/journey/new-link.server";
import { Journey, journeyParams } from "~/journey/session.server";
import { linkForPage, terminalPage } from "~/journey/terminal.server";
import { SERVER_RENDERED } from "~/page-handle";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];
export const headers = journeyHeaders;
export const handle = SERVER_RENDERED;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const s = context.services;
  const wait = await limitTokenLookups(context);
  if (wait) return terminalPage(context, request, { kind: "tooMany", retryAfter: wait });
  const tokenHash = params.token ? tokenHashOf(params.token) : undefined;
  const journey = await Journey.open(request, s);
  const link = await linkForPage(s, tokenHash, journey);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  journey.set({ th: tokenHash, ...journeyParams(s, new URL(request.url)) });
  journey.csrf();
  return redirect("/activate", { status: 303, headers: await journey.headers() });
}

/** Only the expired page's "Send me a new link" posts here. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const journey = await Journey.open(request, context.services);
  return sendNewLink(context, request, form, journey, params.token ? tokenHashOf(params.token) : undefined);
}

export default function SmsLink() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <TerminalView page={result ?? page} />;
}
