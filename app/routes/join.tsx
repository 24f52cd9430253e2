// /join: an existing account confirms with its current password to accept a join invitation. The
// journey cookie says which invitation (the token is never in this URL); the loader shows the form,
// the locked page or the page the link ends on, the action joins.
import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { JoinForm, JoinLockedView } from "~/journey/components/JoinViews";
import { JourneyLayout } from "~/journey/components/JourneyLayout";
import { DoneView, journeyMeta, TerminalView } from "~/journey/components/JourneyViews";
import { join, joinPage, type JoinFormData, type JoinLockedData } from "~/journey/join.server";
import { journeyHeaders, type DoneData, type TerminalData } from "~/journey/journey.server";

export const meta = journeyMeta;
export const headers = journeyHeaders;

export function loader({ request, context }: LoaderFunctionArgs) {
  return joinPage(context, request);
}

export function action({ request, context }: ActionFunctionArgs) {
  return join(context, request);
}

type ActionResult =
  TerminalData | DoneData | JoinLockedData | { view: "result"; result: SubmissionResult<string[]>; remaining?: number; minutes?: number };

export default function Join() {
  const page = useLoaderData() as unknown as JoinFormData | JoinLockedData | TerminalData;
  const result = useActionData() as unknown as ActionResult | undefined;
  if (result?.view === "done") return <DoneView page={result} />;
  if (result?.view === "terminal") return <TerminalView page={result} />;
  if (result?.view === "join-locked") return <JoinLockedView page={result} />;
  if (page.view === "terminal") return <TerminalView page={page} />;
  if (page.view === "join-locked") return <JoinLockedView page={page} />;
  const failed = result?.view === "result" ? result : undefined;
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <JoinForm page={page} lastResult={failed?.result ?? null} remaining={failed?.remaining} minutes={failed?.minutes} />
    </JourneyLayout>
  );
}
