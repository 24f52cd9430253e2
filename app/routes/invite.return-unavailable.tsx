// GET /invite/return-unavailable (RETURN_UNAVAILABLE_PATH): the page a hand-off leads to when the
// invitation's return address was removed from the configuration (docs/journey.md). The journey's
// own forms show it directly; this address is for anything that was sent here.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TerminalView } from "~/journey/components/TerminalView";
import { journeyHeaders } from "~/journey/limits.server";
import { terminalPage } from "~/journey/terminal.server";
import { SERVER_RENDERED } from "~/page-handle";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];
export const headers = journeyHeaders;
export const handle = SERVER_RENDERED;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return terminalPage(context, request, { kind: "returnUnavailable" });
}

export default function ReturnUnavailable() {
  return <TerminalView page={useLoaderData<typeof loader>()} />;
}
