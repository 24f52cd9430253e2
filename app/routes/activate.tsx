// /activate: the activation screen. The journey cookie says which invitation (the token itself is
// never in this URL); the loader shows the form or the page the link ends on. The action checks the
// submission with the shared schema again (the browser's verdict is never trusted), then
// acceptInvitation(), which may still refuse the password (server/lib/password-choice.ts), and
// 303s to the authorization endpoint (or, embedded, shows the page that tells the portal).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { acceptInvitation, lookupLink } from "~/journey/invitations.server";
import { activationInput, activationSchema, parseActivation } from "~/journey/activation-form";
import { activationForm } from "~/journey/activation.server";
import { brandView } from "~/journey/brand.server";
import { ActivationForm } from "~/journey/components/ActivationForm";
import { DoneView } from "~/journey/components/DoneView";
import { JourneyLayout } from "~/journey/components/JourneyLayout";
import { TerminalView } from "~/journey/components/TerminalView";
import { journeyI18n, journeyLanguage } from "~/journey/language.server";
import { journeyHeaders } from "~/journey/limits.server";
import { NEW_LINK, sendNewLink } from "~/journey/new-link.server";
import type { DoneData, FormPageData, FormResultData } from "~/journey/pages";
import { Journey, rememberPickedLanguage, validPost } from "~/journey/session.server";
import { linkForPage, terminalPage } from "~/journey/terminal.server";
import { SERVER_RENDERED } from "~/page-handle";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];
export const headers = journeyHeaders;
export const handle = SERVER_RENDERED;

/** Never sent back to the browser after an error. */
const HIDDEN_FIELDS = ["password"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const s = context.services;
  const journey = await Journey.open(request, s);
  rememberPickedLanguage(s, request, journey);
  const link = await linkForPage(s, journey.data.th, journey);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  // An invitation for an existing account is accepted with its password, never activated.
  if (link.invitation.kind === "join") return redirect("/join", { status: 303, headers: await journey.headers() });
  const { ctx } = link;
  context.frameAncestors = ctx.client.frameAncestors;
  const i18n = await journeyI18n(context, request, link, journey.data.lng);
  const csrf = journey.csrf();
  return data<FormPageData>(
    {
      view: "form",
      brand: brandView(ctx.brand),
      i18n,
      title: s.i18n.t(i18n.lng, "journey", ctx.brand)("activate.title", { brand: ctx.brand.name }),
      ...activationForm(link),
      csrf,
    },
    { headers: await journey.headers() },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const s = context.services;
  const form = await request.formData();
  const journey = await Journey.open(request, s);
  const tokenHash = journey.data.th;
  if (form.get("intent") === NEW_LINK) return sendNewLink(context, request, form, journey, tokenHash);
  const link = await lookupLink(s, tokenHash);
  // A submission for an invitation already activated conflicts with it (409), however late it came.
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey, status: link.kind === "used" ? 409 : undefined });
  if (link.invitation.kind === "join") return redirect("/join", { status: 303, headers: await journey.headers() });
  const { ctx } = link;
  context.frameAncestors = ctx.client.frameAncestors;
  const { config } = activationForm(link);
  const submission = parseActivation(form, activationSchema(config));
  const failed = (reply: Parameters<typeof submission.reply>[0], status: number) =>
    data<FormResultData>({ view: "result", result: submission.reply({ ...reply, hideFields: HIDDEN_FIELDS }) }, { status });
  if (!validPost(request, form, journey, s)) return failed({ formErrors: ["csrf"] }, 403);
  if (submission.status !== "success") return failed({}, 400);

  const outcome = await acceptInvitation(s, {
    tokenHash: tokenHash!,
    ...activationInput(config, submission.value),
    locale: await journeyLanguage(context, request, link, journey.data.lng),
    state: journey.data.state,
  });
  switch (outcome.kind) {
    case "password-refused":
      return failed({ fieldErrors: { password: [outcome.reason] } }, 400);
    case "identifier-taken":
      return failed({ fieldErrors: { email: ["identifierTaken"] } }, 409);
    case "used":
      // The other of two simultaneous submissions won.
      return terminalPage(context, request, outcome, { journey, status: 409 });
    case "expired":
    case "invalid":
      return terminalPage(context, request, outcome, { journey });
  }
  const embedded = journey.data.embed === true && ctx.client.frameAncestors.length > 0;
  const { state = null, lng: picked } = journey.data;
  journey.end();
  // The stored return address was removed from the configuration: the page says so, no redirect.
  if (outcome.handOff.kind === "return-address-removed")
    return terminalPage(context, request, { kind: "returnUnavailable", ctx: ctx, invitation: link.invitation, lng: picked }, { journey });
  const headers = await journey.headers();
  if (!embedded) return redirect(outcome.redirectTo, { status: 303, headers });
  const i18n = await journeyI18n(context, request, link, picked);
  return data<DoneData>(
    {
      view: "done",
      brand: brandView(ctx.brand),
      i18n,
      title: s.i18n.t(i18n.lng, "journey", ctx.brand)("done.title"),
      redirectTo: outcome.redirectTo,
      state,
      origins: ctx.client.frameAncestors,
    },
    { status: 200, headers },
  );
}

export default function Activate() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.view === "done") return <DoneView page={result} />;
  if (result?.view === "terminal") return <TerminalView page={result} />;
  if (page.view === "terminal") return <TerminalView page={page} />;
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <ActivationForm page={page} lastResult={result?.view === "result" ? result.result : null} />
    </JourneyLayout>
  );
}
