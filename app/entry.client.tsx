// Hydration with the translations the server rendered with (never a language guess of its own).
import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { registerClientI18n, type PageI18n } from "./i18n";

declare global {
  interface Window {
    __I18N__?: PageI18n;
  }
}

async function hydrate() {
  const data = window.__I18N__;
  await i18next.use(initReactI18next).init({
    lng: data?.lng ?? document.documentElement.lang,
    fallbackLng: "en-US",
    resources: data?.resources ?? {},
    defaultNS: "common",
    interpolation: { escapeValue: false },
    initImmediate: false,
  });
  // The pages one navigates to bring their own words (root.tsx adds them as they render).
  registerClientI18n(i18next, data);
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
