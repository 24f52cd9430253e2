// /activate: the activation screen. The journey cookie says which invitation (the token itself is
// never in this URL); the loader shows the form or the page the link ends on, the action activates.
import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ActivationForm } from "~/journey/components/ActivationForm";
import { JourneyLayout } from "~/journey/components/JourneyLayout";
import { DoneView, journeyMeta, TerminalView } from "~/journey/components/JourneyViews";
import { activate, activationPage } from "~/journey/activation.server";
import { journeyHeaders, type DoneData, type FormPageData, type TerminalData } from "~/journey/journey.server";

export const meta = journeyMeta;
export const headers = journeyHeaders;

export function loader({ request, context }: LoaderFunctionArgs) {
  return activationPage(context, request);
}

export function action({ request, context }: ActionFunctionArgs) {
  return activate(context, request);
}

type ActionResult = TerminalData | DoneData | { view: "result"; result: SubmissionResult<string[]> };

export default function Activate() {
  const page = useLoaderData() as unknown as FormPageData | TerminalData;
  const result = useActionData() as unknown as ActionResult | undefined;
  if (result?.view === "done") return <DoneView page={result} />;
  if (result?.view === "terminal") return <TerminalView page={result} />;
  if (page.view === "terminal") return <TerminalView page={page} />;
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <ActivationForm page={page} lastResult={result?.view === "result" ? result.result : null} />
    </JourneyLayout>
  );
}
