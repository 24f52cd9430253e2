// /join: an existing account confirms with its current password to accept a join invitation
// (server/invitations/join.ts). The journey cookie says which invitation (the token is never in
// this URL); the loader shows the form, the locked page or the page the link ends on, the action
// joins and leaves for the authorization endpoint with the same 303 as an activation.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { brandView } from "~/journey/brand.server";
import { confirmJoin, JOIN_LOCK_MINUTES, joinGrants, lockedUntil, lookupLink } from "~/journey/invitations.server";
import { DoneView } from "~/journey/components/DoneView";
import { JoinForm, JoinLockedView } from "~/journey/components/JoinViews";
import { JourneyLayout } from "~/journey/components/JourneyLayout";
import { TerminalView } from "~/journey/components/TerminalView";
import { joinSchema, parseJoin } from "~/journey/join-form";
import { joinConfig, joinWords, lockedPage, openJoin } from "~/journey/join.server";
import { journeyLanguage } from "~/journey/language.server";
import { journeyHeaders } from "~/journey/limits.server";
import { NEW_LINK, sendNewLink } from "~/journey/new-link.server";
import type { DoneData, FormResultData, JoinFormData } from "~/journey/pages";
import { Journey, rememberPickedLanguage, validPost } from "~/journey/session.server";
import { terminalPage } from "~/journey/terminal.server";
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
  const { link, page } = await openJoin(context, request, journey);
  if (!link) return page;
  const until = lockedUntil(link.invitation, s.clock.now());
  if (until) return lockedPage(context, request, link, journey, until);
  const { i18n, target, t } = await joinWords(context, request, link, journey.data.lng);
  const csrf = journey.csrf();
  return data<JoinFormData>(
    {
      view: "join-form",
      brand: brandView(link.ctx.brand),
      i18n,
      title: t("join.confirmTitle", { target }),
      target,
      identifier: link.account?.email ?? link.account?.phone ?? "",
      grants: joinGrants(link.invitation, link.ctx),
      config: joinConfig(link),
      passwordResetUrl: link.ctx.client.passwordResetUrl,
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
  // A submission for an invitation already accepted conflicts with it (409), however late it came.
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey, status: link.kind === "used" ? 409 : undefined });
  if (link.invitation.kind !== "join") return redirect("/activate", { status: 303, headers: await journey.headers() });
  context.frameAncestors = link.ctx.client.frameAncestors;
  const submission = parseJoin(form, joinSchema(joinConfig(link)));
  const failed = (reply: Parameters<typeof submission.reply>[0], status: number, more: Partial<FormResultData> = {}) =>
    data<FormResultData>({ view: "result", result: submission.reply({ ...reply, hideFields: HIDDEN_FIELDS }), ...more }, { status });
  if (!validPost(request, form, journey, s)) return failed({ formErrors: ["csrf"] }, 403);
  if (submission.status !== "success") return failed({}, 400);

  const outcome = await confirmJoin(s, {
    tokenHash: tokenHash!,
    password: String(submission.value.password),
    locale: await journeyLanguage(context, request, link, journey.data.lng),
    state: journey.data.state,
  });
  switch (outcome.kind) {
    case "wrong-password":
      return failed({ fieldErrors: { password: ["passwordWrong"] } }, 400, { remaining: outcome.remaining, minutes: JOIN_LOCK_MINUTES });
    case "locked":
      return lockedPage(context, request, link, journey, outcome.until);
    case "used":
      // The other of two simultaneous confirmations won.
      return terminalPage(context, request, outcome, { journey, status: 409 });
    case "expired":
    case "invalid":
      return terminalPage(context, request, outcome, { journey });
  }
  const embedded = journey.data.embed === true && link.ctx.client.frameAncestors.length > 0;
  const { state = null, lng: picked } = journey.data;
  journey.end();
  // The stored return address was removed from the configuration: the page says so, no redirect.
  if (outcome.handOff.kind === "return-address-removed")
    return terminalPage(
      context,
      request,
      { kind: "returnUnavailable", ctx: link.ctx, invitation: link.invitation, lng: picked },
      { journey },
    );
  const headers = await journey.headers();
  if (!embedded) return redirect(outcome.redirectTo, { status: 303, headers });
  const { i18n, target, t } = await joinWords(context, request, link, picked);
  return data<DoneData>(
    {
      view: "done",
      brand: brandView(link.ctx.brand),
      i18n,
      title: t("join.doneTitle", { target }),
      redirectTo: outcome.redirectTo,
      state,
      origins: link.ctx.client.frameAncestors,
    },
    { status: 200, headers },
  );
}

export default function Join() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
