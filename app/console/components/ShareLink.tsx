// "Get a link to share" on an invitation's detail view: the warning is said before the button, and
// the new link is shown once, in the answer to that POST, in a read-only field (selectable without
// JavaScript) with a Copy button when JavaScript runs.
import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/hooks/use-hydrated";
import { CsrfField } from "./ui";

export function ShareLinkForm() {
  const { t } = useTranslation("admin");
  return (
    <Form method="post" className="admin-share">
      <CsrfField />
      <input type="hidden" name="intent" value="share" />
      <h3 id="share-heading">{t("detail.share.title")}</h3>
      <p>{t("detail.share.intro")}</p>
      <p className="hint" id="share-warning">
        {t("detail.share.warning")}
      </p>
      <button type="submit" className="button secondary" aria-describedby="share-warning">
        {t("detail.share.button")}
      </button>
    </Form>
  );
}

export function SharedLink({ url, validUntil }: { url: string; validUntil: string }) {
  const { t } = useTranslation("admin");
  const hydrated = useHydrated();
  const [copied, setCopied] = useState(false);
  return (
    <section className="notice success admin-notice" aria-labelledby="shared-heading">
      <h3 id="shared-heading">{t("detail.share.resultTitle")}</h3>
      <div className="field">
        <label htmlFor="shared-link">{t("detail.share.label")}</label>
        <p className="hint" id="shared-link-hint">
          {t("detail.share.resultHint", { validUntil })}
        </p>
        <input
          id="shared-link"
          type="text"
          readOnly
          value={url}
          aria-describedby="shared-link-hint"
          onFocus={(e) => e.currentTarget.select()}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      {hydrated ? (
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          {t("detail.share.copy")}
        </button>
      ) : null}
      <p role="status" className="hint">
        {copied ? t("detail.share.copied") : null}
      </p>
    </section>
  );
}
