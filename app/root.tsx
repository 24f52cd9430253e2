import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import i18next from "i18next";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { pickPageI18n, type PageI18n } from "./i18n";
import { chooseLanguage, pageI18n } from "./i18n.server";
import type { BrandView } from "./journey.server";
import stylesheet from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return { i18n: pageI18n(context, await chooseLanguage(context, request), []), nonce: context.cspNonce };
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

/** After a client-side navigation, the new page's words and language. */
function useI18nSync(data: PageI18n | undefined) {
  useEffect(() => {
    if (!data || typeof window === "undefined" || !i18next.isInitialized) return;
    for (const [lng, namespaces] of Object.entries(data.resources))
      for (const [ns, bundle] of Object.entries(namespaces)) i18next.addResourceBundle(lng, ns, bundle, true, true);
    if (i18next.language !== data.lng) void i18next.changeLanguage(data.lng);
  }, [data]);
}

export function Layout({ children }: { children: ReactNode }) {
  const matches = useMatches();
  const i18n = pickPageI18n(matches);
  const root = matches[0]?.data as { nonce?: string } | undefined;
  const nonce = root?.nonce;
  const brand = pickBrand(matches);
  useI18nSync(i18n);
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
        {children}
        {i18n ? <I18nScript data={i18n} nonce={nonce} /> : null}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
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
