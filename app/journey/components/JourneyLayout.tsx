// The frame of every journey page: skip link, the brand's header (its logo, or its name alone when it
// has none) with the language switcher, the page's card, and a footer with the brand's support text
// (common:brand.supportText, in the page's language) and its terms and privacy links. The brand's
// colours are set by the root as CSS custom properties (see root.tsx, BrandStyle).
import { useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { PageLanguage } from "~/i18n";
import type { BrandView } from "~/journey/pages";

/** The query parameters a portal may put on a journey URL, kept across the language switcher. */
export function usePortalParams() {
  const [params] = useSearchParams();
  return {
    login_hint: params.get("login_hint") ?? undefined,
    state: params.get("state") ?? undefined,
    embed: params.get("embed") ?? undefined,
  };
}

export function BrandHeader({ brand, children }: { brand?: BrandView; children?: ReactNode }) {
  const { t } = useTranslation("common");
  return (
    <header className="brand-header">
      {brand?.logoUrl ? (
        <img src={brand.logoUrl} alt={brand.name} className="brand-logo" />
      ) : (
        <span className="brand-name">{brand?.name ?? t("productName")}</span>
      )}
      {children}
    </header>
  );
}

/**
 * A GET form, so it works without JavaScript: the page reloads in the chosen language. `keep` are
 * the query parameters the page must not lose (state, login_hint, embed).
 */
export function LanguageSwitcher({ i18n, keep = {} }: { i18n: PageLanguage; keep?: Record<string, string | undefined> }) {
  const { t } = useTranslation("common");
  if (i18n.languages.length < 2) return null;
  return (
    <form method="get" className="language-switcher">
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <label htmlFor="language-switcher">{t("languageSwitcher")}</label>
      <select id="language-switcher" name="lng" defaultValue={i18n.lng}>
        {i18n.languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button secondary small">
        {t("changeLanguage")}
      </button>
    </form>
  );
}

export function JourneyLayout({
  brand,
  i18n,
  keep,
  children,
}: {
  brand?: BrandView;
  i18n: PageLanguage;
  keep?: Record<string, string | undefined>;
  children: ReactNode;
}) {
  const { t } = useTranslation(["common", "journey"]);
  return (
    <>
      <a href="#main" className="skip-link">
        {t("common:skipToContent")}
      </a>
      <div className="page">
        <BrandHeader brand={brand}>
          <LanguageSwitcher i18n={i18n} keep={keep} />
        </BrandHeader>
        <main id="main" className="card" tabIndex={-1}>
          {children}
        </main>
        {brand ? (
          <footer className="footer">
            {t("common:brand.supportText") ? <p>{t("common:brand.supportText")}</p> : null}
            <p className="footer-links">
              <a href={brand.siteTermsUrl}>{t("journey:footer.terms")}</a>
              <a href={brand.privacyPolicyUrl}>{t("journey:footer.privacy")}</a>
            </p>
          </footer>
        ) : null}
      </div>
    </>
  );
}
