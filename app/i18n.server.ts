// Language choice and page resources on the server (docs/journey.md, "Language").
import type { AppLoadContext } from "@remix-run/node";
import type { Brand } from "../server/config/schema.js";
import { LanguageDetector } from "remix-i18next/server";
import { isRtl } from "../server/i18n/registry.js";
import type { PageI18n, PageLanguage } from "./i18n.js";

/** What a page knows about the request's language, for remix-i18next's "custom" step. */
const knownLanguages = new WeakMap<Request, string[]>();

function detector(
  supportedLanguages: string[],
  order: ("searchParams" | "custom")[],
  find: (request: Request) => string | string[] | null,
) {
  // Empty fallback: nothing matched, and the caller's own fallbacks decide.
  return new LanguageDetector({ supportedLanguages, fallbackLanguage: "", order, findLocale: async (r) => find(r) });
}

/**
 * The page language (docs/journey.md): ?lng= (the switcher), then what the page knows (the journey's
 * remembered choice, the invitation's language), then Accept-Language, each matched against the
 * shipped packs by remix-i18next (exact tag first, then the same language: fr-CA -> fr-FR); then
 * the fallbacks the page passes (the client's default), then en-US.
 */
export async function chooseLanguage(
  context: AppLoadContext,
  request: Request,
  known: (string | null | undefined)[] = [],
  fallbacks: (string | null | undefined)[] = [],
): Promise<string> {
  const { i18n } = context.services;
  knownLanguages.set(
    request,
    known.filter((l): l is string => !!l),
  );
  const fromPage = await detector(i18n.languages, ["searchParams", "custom"], (r) => knownLanguages.get(r) ?? null).detect(request);
  if (fromPage) return fromPage;
  // The whole Accept-Language list by quality: remix-i18next's own "header" step keeps only the
  // first language the runtime knows ("de-DE, fr;q=0.8" would never reach French).
  const fromHeader = await detector(i18n.languages, ["custom"], (r) => r.headers.get("accept-language")).detect(request);
  return fromHeader || i18n.resolve(...fallbacks);
}

/** The language of a page that does not hydrate (the journey's): no words for the browser. */
export function pageLanguage(context: AppLoadContext, lng: string, brand?: Brand): PageLanguage {
  const { i18n } = context.services;
  const language = i18n.resolve(lng);
  return {
    lng: language,
    ...(brand ? { brandId: brand.id } : {}),
    dir: isRtl(language) ? "rtl" : "ltr",
    languages: i18n.languageNames(),
  };
}

/**
 * The language of a page that hydrates, with the words its browser needs: "common" and the
 * namespaces given. Loader data is encoded for the browser on every request, so a page that
 * does not hydrate must not carry them (pageLanguage).
 */
export function pageI18n(context: AppLoadContext, lng: string, namespaces: string[], brand?: Brand): PageI18n {
  const page = pageLanguage(context, lng, brand);
  return { ...page, resources: context.services.i18n.resources(page.lng, brand, ["common", ...namespaces]) };
}
