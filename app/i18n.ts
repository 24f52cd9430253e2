// The language a page renders in, handed from its loader to the root, entry.server and entry.client;
// and, in the browser, the translations of every page one navigates to.
import type { i18n as I18n, Resource, ResourceKey } from "i18next";

/**
 * The language a page renders in. Enough for a page that does not hydrate (app/page-handle.ts):
 * the server's instances hold every pack, and such a page sends no words to a browser.
 */
export interface PageLanguage {
  lng: string;
  /** Brand whose locale-pack overrides apply. */
  brandId?: string;
  dir: "ltr" | "rtl";
  languages: { code: string; name: string }[];
  resources?: Resource;
}

/** A page that hydrates also hands the browser its words. */
export interface PageI18n extends PageLanguage {
  /** Only the namespaces the page uses, with brand overrides applied. */
  resources: Resource;
}

/** Whether the page brought its words for a browser (only a page that hydrates does). */
export function hasWords(page: PageLanguage | undefined): page is PageI18n {
  return !!page?.resources;
}

type Matches = { data?: unknown }[];

const i18nOf = (match: { data?: unknown } | undefined) => (match?.data as { i18n?: PageLanguage } | undefined)?.i18n;

/** The deepest route that chose a language wins; the root's guess is the fallback. */
export function pickPageI18n(matches: Matches): PageLanguage | undefined {
  for (let i = matches.length - 1; i >= 0; i--) {
    const found = i18nOf(matches[i]);
    if (found) return found;
  }
  return undefined;
}

export interface PageBundle {
  lng: string;
  ns: string;
  /** The brand whose overrides the bundle holds ("" for none). */
  brand: string;
  bundle: ResourceKey;
}

/**
 * Every bundle the matched routes' loaders sent (each route says which namespaces it uses); where
 * two routes sent the same language and namespace, the deeper route's (its brand's words) wins.
 */
export function pageBundles(matches: Matches): PageBundle[] {
  const out = new Map<string, PageBundle>();
  for (let i = matches.length - 1; i >= 0; i--) {
    const page = i18nOf(matches[i]);
    if (!page) continue;
    for (const [lng, namespaces] of Object.entries(page.resources ?? {}))
      for (const [ns, bundle] of Object.entries(namespaces)) {
        const key = `${lng}|${ns}`;
        if (!out.has(key)) out.set(key, { lng, ns, brand: page.brandId ?? "", bundle });
      }
  }
  return [...out.values()];
}

/**
 * The browser's instance, and for each language and namespace it holds, the brand those words are
 * for. Only instances registered here take bundles: the server's instances are shared between
 * requests, built with every namespace, and never change.
 */
const clientBundles = new WeakMap<I18n, Map<string, string>>();

export function registerClientI18n(instance: I18n, page: PageI18n | undefined) {
  const held = new Map<string, string>();
  for (const { lng, ns, brand } of pageBundles([{ data: { i18n: page } }])) held.set(`${lng}|${ns}`, brand);
  clientBundles.set(instance, held);
}

/**
 * Gives the browser's instance the bundles of the page about to render that it lacks (a namespace
 * no page loaded before, or another brand's words). Called while rendering, before the page's
 * components, so their first render already has the words: adding a bundle notifies no component.
 */
export function addPageBundles(instance: I18n, matches: Matches) {
  const held = clientBundles.get(instance);
  if (!held) return;
  for (const { lng, ns, brand, bundle } of pageBundles(matches)) {
    const key = `${lng}|${ns}`;
    if (held.get(key) === brand && instance.hasResourceBundle(lng, ns)) continue;
    instance.addResourceBundle(lng, ns, bundle, true, true);
    held.set(key, brand);
  }
}

const clones = new WeakMap<I18n, Map<string, I18n>>();

/**
 * The instance to render a page in `lng`: the instance itself when it speaks that language,
 * otherwise a clone sharing its bundles (one per language, kept). Changing the language of the
 * instance instead would re-render the page being left, in the middle of rendering the next one.
 */
export function instanceFor(instance: I18n, lng: string | undefined): I18n {
  if (!lng || instance.language === lng) return instance;
  let byLanguage = clones.get(instance);
  if (!byLanguage) clones.set(instance, (byLanguage = new Map()));
  let clone = byLanguage.get(lng);
  if (!clone) byLanguage.set(lng, (clone = instance.cloneInstance({ lng })));
  return clone;
}
