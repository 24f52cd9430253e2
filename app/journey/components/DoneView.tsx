// The "activated" page of an embedded journey, which tells the portal by postMessage.
import { useTranslation } from "react-i18next";
import { ACTIVATED_MESSAGE, DONE_DATA_ID } from "~/journey/enhance/contract";
import type { DoneData } from "~/journey/pages";
import { JourneyLayout } from "./JourneyLayout";
import { PageScript } from "./PageScript";

/**
 * Embedded journeys end here rather than redirecting inside the iframe: the page's script
 * (app/journey/enhance/done.ts) tells the parent with a postMessage aimed at each allowed origin,
 * and a Continue link leaves the frame for the authorization endpoint.
 */
export function DoneView({ page }: { page: DoneData }) {
  const { t } = useTranslation("journey");
  const message = { type: ACTIVATED_MESSAGE, redirectTo: page.redirectTo, state: page.state } as const;
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <h1>{page.title}</h1>
      <p>{t("done.body", { brand: page.brand.name })}</p>
      <p className="actions">
        <a className="button" href={page.redirectTo} target="_top">
          {t("done.continue")}
        </a>
      </p>
      <PageScript name="done" dataId={DONE_DATA_ID} data={{ message, origins: page.origins }} />
    </JourneyLayout>
  );
}
