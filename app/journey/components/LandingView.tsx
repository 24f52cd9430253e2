// The email landing page (/invite/<token>, /invite?login_hint=): the brand, a welcome and one
// Activate Account button; a join invitation's landing page, or the page the link ends on.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { JoinLandingData, LandingData, LandingErrorData, TerminalData } from "~/journey/pages";
import { JoinLandingView } from "./JoinViews";
import { JourneyLayout, usePortalParams } from "./JourneyLayout";
import { TerminalView } from "./TerminalView";

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

/** What /invite/<token> and /invite?login_hint= show: the landing page, or where the link ends. */
export function LandingPage({
  page,
  result,
}: {
  page: LandingData | JoinLandingData | TerminalData;
  result?: LandingErrorData | TerminalData;
}) {
  if (result?.view === "terminal") return <TerminalView page={result} />;
  if (page.view === "terminal") return <TerminalView page={page} />;
  const formError = result?.formError;
  if (page.view === "join-landing") return <JoinLandingView page={page} formError={formError} />;
  return <LandingView page={page} formError={formError} />;
}
