// Language choice and page resources on the server (SPEC section 5, Language).
import type { AppLoadContext } from "@remix-run/node";
import type { Brand } from "../server/config/schema.js";
import { isRtl } from "../server/i18n/registry.js";
import type { PageI18n } from "./i18n.js";

export const LANGUAGE_COOKIE = "lng";

/** Accept-Language as tags, best first. */
export function acceptLanguages(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag!.trim(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((l) => l.tag)
    .slice(0, 10);
}

export function cookieLanguage(request: Request): string | undefined {
  const cookie = request.headers.get("cookie") ?? "";
  return /(?:^|;\s*)lng=([A-Za-z-]{2,20})/.exec(cookie)?.[1];
}

/**
 * The page language: ?lng= (the switcher), then what the page knows (the invitation's language),
 * then Accept-Language, then the fallbacks it passes (client default), then en-US.
 */
export function chooseLanguage(
  context: AppLoadContext,
  request: Request,
  known: (string | null | undefined)[] = [],
  fallbacks: (string | null | undefined)[] = [],
): string {
  const url = new URL(request.url);
  return context.services.i18n.resolve(
    url.searchParams.get("lng"),
    ...known,
    cookieLanguage(request),
    ...acceptLanguages(request.headers.get("accept-language")),
    ...fallbacks,
  );
}

export function pageI18n(context: AppLoadContext, lng: string, namespaces: string[], brand?: Brand): PageI18n {
  const { i18n } = context.services;
  const language = i18n.resolve(lng);
  return {
    lng: language,
    ...(brand ? { brandId: brand.id } : {}),
    dir: isRtl(language) ? "rtl" : "ltr",
    resources: i18n.resources(language, brand, ["common", ...namespaces]),
    languages: i18n.languages.map((code) => ({ code, name: i18n.t(code, "common")("languageName") })),
  };
}
