// The language a page renders in, handed from its loader to the root, entry.server and entry.client.
import type { Resource } from "i18next";

export interface PageI18n {
  lng: string;
  /** Brand whose locale-pack overrides apply. */
  brandId?: string;
  dir: "ltr" | "rtl";
  /** Only the namespaces the page uses, with brand overrides applied. */
  resources: Resource;
  languages: { code: string; name: string }[];
}

/** The deepest route that chose a language wins; the root's guess is the fallback. */
export function pickPageI18n(matches: { data?: unknown }[]): PageI18n | undefined {
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { i18n?: PageI18n } | undefined;
    if (data?.i18n) return data.i18n;
  }
  return undefined;
}
