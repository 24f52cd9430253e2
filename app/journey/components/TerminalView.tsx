// The pages a journey ends on when its link cannot be used: expired (with "Send me a new link"
// where the client allows it), no longer valid, replaced by a reminder's newer link, already used,
// too many attempts; and the return address no longer accepted after acceptance.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { TerminalData } from "~/journey/pages";
import { terminalWords } from "~/journey/words";
import { JourneyLayout } from "./JourneyLayout";

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
      {terminal.kind === "superseded" || terminal.kind === "returnUnavailable" ? (
        <>
          <p>{t(`terminal.${terminal.kind}.body`)}</p>
          <p>{t(`terminal.${terminal.kind}.next`)}</p>
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
