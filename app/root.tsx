import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import { useContext, type ReactNode } from "react";
import { I18nContext, I18nextProvider, useTranslation } from "react-i18next";
import { addPageBundles, hasWords, instanceFor, pickPageI18n, type PageI18n } from "./i18n";
import { chooseLanguage, pageLanguage } from "./i18n.server";
import { scriptUrls } from "./journey/enhance/assets.server";
import { hydrates, SERVER_RENDERED } from "./page-handle";
import type { BrandView } from "./journey/pages";
import stylesheet from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// The root alone is the page of an address no route matches: a page that needs no script.
export const handle = SERVER_RENDERED;

/** The language guessed from the request: the fallback of pages that choose none. Pages that hydrate send their own words. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return { i18n: pageLanguage(context, await chooseLanguage(context, request)), nonce: context.cspNonce, scripts: scriptUrls() };
}

/** The page's translations for entry.client, as JSON that cannot close the script element. */
function I18nScript({ data, nonce }: { data: PageI18n; nonce?: string }) {
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: `window.__I18N__=${json}` }} />;
}

/** The deepest route's brand, if any (journey pages), for BrandStyle. */
function pickBrand(matches: { data?: unknown }[]): BrandView | undefined {
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { brand?: BrandView } | undefined;
    if (data?.brand) return data.brand;
  }
  return undefined;
}

/** The brand's colours as CSS custom properties; the config only admits #rrggbb values. */
function BrandStyle({ brand, nonce }: { brand: BrandView; nonce?: string }) {
  const css = `:root{--brand-primary:${brand.primaryColor};--brand-on-primary:${brand.onPrimary};--brand-background:${brand.backgroundColor}}`;
  return <style nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: css }} />;
}

/**
 * The i18next instance for the page about to render: in the browser it first takes the words of
 * every matched route (a page reached by a client-side navigation brings namespaces the first page
 * never loaded), then speaks the page's language. This runs while rendering, before the page's
 * components, so they never show a key in place of its words, not even for one frame.
 */
function usePageInstance(matches: { data?: unknown }[], lng: string | undefined) {
  const { i18n } = useContext(I18nContext);
  addPageBundles(i18n, matches);
  return instanceFor(i18n, lng);
}

export function Layout({ children }: { children: ReactNode }) {
  const matches = useMatches();
  const i18n = pickPageI18n(matches);
  const root = matches[0]?.data as { nonce?: string } | undefined;
  const nonce = root?.nonce;
  const brand = pickBrand(matches);
  const instance = usePageInstance(matches, i18n?.lng);
  // The deepest route decides: a page that does not hydrate ships none of the runtime. A page
  // whose own loader failed has only the root's language, without words for a browser: it is
  // served as it rendered rather than hydrated into keys.
  const hydrate = hydrates(matches.at(-1)?.handle);
  return (
    <html lang={i18n?.lng ?? "en-US"} dir={i18n?.dir ?? "ltr"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {brand ? <BrandStyle brand={brand} nonce={nonce} /> : null}
      </head>
      <body>
        <I18nextProvider i18n={instance}>{children}</I18nextProvider>
        {hydrate && hasWords(i18n) ? (
          <>
            <I18nScript data={i18n} nonce={nonce} />
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation("common");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <main className="page" id="main">
      <div className="card">
        <h1>{t(status === 404 ? "errors.notFoundTitle" : "errors.genericTitle")}</h1>
        <p>{t(status === 404 ? "errors.notFoundBody" : "errors.genericBody")}</p>
      </div>
    </main>
  );
}
