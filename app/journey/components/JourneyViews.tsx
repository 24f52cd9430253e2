// The journey's pages that are not the activation form: the email landing page, the pages a
// journey ends on (expired, no longer valid, already used, too many attempts) and, when embedded,
// the "activated" page that tells the portal by postMessage.
import type { MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { DoneData, LandingData, TerminalData } from "~/journey/journey.server";
import { terminalWords } from "~/journey/words";
import type { JoinLandingData } from "~/journey/join-landing.server";
import { JoinLandingView } from "./JoinViews";
import { JourneyLayout, usePortalParams } from "./JourneyLayout";

/** Every journey page's loader says its (translated) title. */
export const journeyMeta: MetaFunction = ({ data }) => [{ title: (data as { title?: string } | undefined)?.title }];

export function LandingView({ page, formError }: { page: LandingData; formError?: "csrf" }) {
  const { t } = useTranslation("journey");
  const keep = usePortalParams();
  const brand = page.brand.name;
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n} keep={keep}>
      <h1>{t("landing.welcome", { brand })}</h1>
      <p>{page.name ? t("landing.greeting", { name: page.name }) : t("landing.greetingNoName")}</p>
      <p>{t("landing.intro", { brand })}</p>
      <p className="hint">{t("landing.expiry", { validUntil: page.validUntil })}</p>
      {formError ? (
        <p className="notice error" role="alert">
          {t("landing.sessionExpired")}
        </p>
      ) : null}
      <Form method="post" className="actions">
        <input type="hidden" name="csrf" value={page.csrf} />
        <button type="submit" className="button">
          {t("landing.action")}
        </button>
      </Form>
    </JourneyLayout>
  );
}

/** The page of /invite/<token> and /invite?login_hint=: the landing page, or where the link ends. */
export function LandingRoute() {
  const page = useLoaderData() as unknown as LandingData | JoinLandingData | TerminalData;
  const result = useActionData() as unknown as TerminalData | { view: "landing-error"; formError: "csrf" } | undefined;
  if (result?.view === "terminal") return <TerminalView page={result} />;
  if (page.view === "terminal") return <TerminalView page={page} />;
  if (page.view === "join-landing") return <JoinLandingView page={page} formError={result?.formError} />;
  return <LandingView page={page} formError={result?.formError} />;
}

export function TerminalView({ page }: { page: TerminalData }) {
  const { t } = useTranslation("journey");
  const { terminal } = page;
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <h1>{t(`terminal.${terminalWords(terminal)}.title`)}</h1>
      {terminal.kind === "expired" ? (
        <>
          <p>{t("terminal.expired.body")}</p>
          {terminal.resent ? (
            <p className="notice success" role="status">
              {t("terminal.expired.resent")}
            </p>
          ) : terminal.csrf ? (
            <Form method="post" className="actions">
              <p>{t("terminal.expired.resendIntro")}</p>
              <input type="hidden" name="csrf" value={terminal.csrf} />
              <input type="hidden" name="intent" value="new-link" />
              <button type="submit" className="button">
                {t("terminal.expired.resend")}
              </button>
            </Form>
          ) : (
            <p>{t("terminal.expired.askAgain")}</p>
          )}
        </>
      ) : null}
      {terminal.kind === "invalid" ? (
        <>
          <p>{t("terminal.invalid.body")}</p>
          <p>{t("terminal.invalid.next")}</p>
        </>
      ) : null}
      {terminal.kind === "used" ? (
        <>
          <p>{t(`terminal.${terminalWords(terminal)}.body`)}</p>
          <p className="actions">
            <a className="button" href={terminal.signInUrl}>
              {t("terminal.used.signIn")}
            </a>
          </p>
        </>
      ) : null}
      {terminal.kind === "tooMany" ? <p>{t("terminal.tooMany.body")}</p> : null}
    </JourneyLayout>
  );
}

/** Sent to the embedding page when the account is activated (docs/journey.md). */
export const ACTIVATED_MESSAGE = "invite-journey:activated";

/**
 * Embedded journeys end here rather than redirecting inside the iframe: the parent is told with a
 * postMessage aimed at each allowed origin (the browser delivers it only to the one that matches
 * the parent), and a Continue link leaves the frame for the authorization endpoint.
 */
export function DoneView({ page }: { page: DoneData }) {
  const { t } = useTranslation("journey");
  useEffect(() => {
    if (window.parent === window) return;
    const message = { type: ACTIVATED_MESSAGE, redirectTo: page.redirectTo, state: page.state };
    for (const origin of page.origins) {
      try {
        window.parent.postMessage(message, origin);
      } catch {
        /* not the parent's origin */
      }
    }
  }, [page]);
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <h1>{page.title}</h1>
      <p>{t("done.body", { brand: page.brand.name })}</p>
      <p className="actions">
        <a className="button" href={page.redirectTo} target="_top">
          {t("done.continue")}
        </a>
      </p>
    </JourneyLayout>
  );
}
