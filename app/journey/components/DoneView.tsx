// The "activated" page of an embedded journey, which tells the portal by postMessage.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { DoneData } from "~/journey/pages";
import { JourneyLayout } from "./JourneyLayout";

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
