// The terms and privacy checkboxes every journey form that creates or extends an account ends
// with, each linking to the brand's document in a new tab.
import { Trans, useTranslation } from "react-i18next";
import type { BrandView } from "~/journey/pages";
import { CheckboxField, NewTabLink, type FieldProps } from "~/components/forms";

type Checkbox = Pick<FieldProps, "inputProps" | "errors">;

export function AgreementFields({ brand, terms, privacy }: { brand: BrandView; terms: Checkbox; privacy: Checkbox }) {
  const { t } = useTranslation("journey");
  const note = t("activate.opensInNewTab");
  return (
    <>
      <h2>{t("activate.agreementSection")}</h2>
      <CheckboxField
        label={<Trans t={t} i18nKey="activate.acceptTerms" components={{ doc: <NewTabLink href={brand.siteTermsUrl} note={note} /> }} />}
        {...terms}
      />
      <CheckboxField
        label={
          <Trans t={t} i18nKey="activate.acceptPrivacy" components={{ doc: <NewTabLink href={brand.privacyPolicyUrl} note={note} /> }} />
        }
        {...privacy}
      />
    </>
  );
}
