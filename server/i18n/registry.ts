// The locale packs (locales/<lng>/<ns>.json) as i18next instances: one per language and brand,
// built once and reused, because one instance per request costs a tenth of the throughput.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import i18next, { type i18n as I18n, type Namespace, type Resource, type TFunction } from "i18next";
import type { Brand } from "../config/schema.js";
import { ROOT } from "../paths.js";

export const BASE_LOCALE = "en-US";
export const LOCALES_DIR = path.join(ROOT, "locales");
const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb"]);

export type Packs = Record<string, Record<string, Record<string, unknown>>>;

export function readPacks(dir: string = LOCALES_DIR): Packs {
  const packs: Packs = {};
  for (const lng of readdirSync(dir).sort()) {
    const folder = path.join(dir, lng);
    if (!existsSync(folder) || !/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/.test(lng)) continue;
    packs[lng] = {};
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".json")))
      packs[lng]![file.slice(0, -5)] = JSON.parse(readFileSync(path.join(folder, file), "utf8")) as Record<string, unknown>;
  }
  return packs;
}

/** A pack's texts by dotted key ("activation.subject"). */
export function flattenPack(obj: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") for (const [kk, vv] of flattenPack(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

/**
 * The brand's own words that the packs hold as brand-overridable keys: the configuration gives the
 * default for every language, and the brand's `locales` may translate it per language. The packs
 * ship the key empty (no brand, no text).
 */
function brandDefaults(brand: Brand | undefined, ns: string): Record<string, unknown> {
  return brand && ns === "common" ? { brand: { supportText: brand.supportText } } : {};
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      value && typeof value === "object" && prev && typeof prev === "object"
        ? deepMerge(prev as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Brand overrides use dotted keys ("activation.subject"); turn them into nested objects. */
function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [dotted, value] of Object.entries(flat)) {
    const parts = dotted.split(".");
    let node = out;
    parts.slice(0, -1).forEach((p) => (node = (node[p] ??= {}) as Record<string, unknown>));
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

export function isRtl(lng: string): boolean {
  return RTL_LANGUAGES.has(lng.split("-")[0]!.toLowerCase());
}

export class I18nRegistry {
  private packs: Packs;
  private readonly instances = new Map<string, I18n>();
  /** Merged packs per language, brand and namespaces: built once, read by every page request. */
  private readonly merged = new Map<string, Resource>();
  private names: { code: string; name: string }[] | undefined;
  private readonly completeness = new Map<string, boolean>();

  constructor(private readonly dir: string = LOCALES_DIR) {
    this.packs = readPacks(dir);
    if (!this.packs[BASE_LOCALE]) throw new Error(`The base locale pack ${BASE_LOCALE} is missing from ${dir}`);
  }

  /** Re-reads the packs (development hot reload). */
  reload(): void {
    this.packs = readPacks(this.dir);
    this.instances.clear();
    this.merged.clear();
    this.completeness.clear();
    this.names = undefined;
  }

  /** The packs as read from disk (shared: do not mutate). */
  get shippedPacks(): Packs {
    return this.packs;
  }

  get languages(): string[] {
    return Object.keys(this.packs);
  }

  /** The closest shipped language: exact, then the same language in another region, then none. */
  match(tag: string | null | undefined): string | undefined {
    if (!tag) return undefined;
    const lower = tag.toLowerCase();
    const exact = this.languages.find((l) => l.toLowerCase() === lower);
    if (exact) return exact;
    const base = lower.split("-")[0];
    return this.languages.find((l) => l.split("-")[0]!.toLowerCase() === base);
  }

  /** The first of the candidates that a pack exists for, else the base locale. */
  resolve(...candidates: (string | null | undefined)[]): string {
    for (const c of candidates) {
      const m = this.match(c);
      if (m) return m;
    }
    return BASE_LOCALE;
  }

  /** The packs of a language (and the base pack to fall back on) with the brand's overrides applied. Shared: do not mutate. */
  resources(lng: string, brand?: Brand, namespaces?: string[]): Resource {
    const key = `${brand?.id ?? ""}|${lng}|${namespaces?.join(",") ?? "*"}`;
    let cached = this.merged.get(key);
    if (!cached) {
      cached = this.mergeResources(lng, brand, namespaces);
      this.merged.set(key, cached);
    }
    return cached;
  }

  /**
   * Whether `lng` has every key of the base pack's namespace `ns`, counting the brand's overrides:
   * what a text must have to be written wholly in that language.
   */
  isComplete(lng: string, ns: string, brand?: Brand): boolean {
    const key = `${brand?.id ?? ""}|${lng}|${ns}`;
    let complete = this.completeness.get(key);
    if (complete === undefined) {
      const own = flattenPack((this.resources(lng, brand, [ns])[lng]?.[ns] ?? {}) as Record<string, unknown>);
      complete = [...flattenPack(this.packs[BASE_LOCALE]?.[ns] ?? {}).keys()].every((k) => own.has(k));
      this.completeness.set(key, complete);
    }
    return complete;
  }

  /**
   * The language a whole text of namespace `ns` is written in (a message: subject, body and dates
   * alike): the closest shipped language when its pack is complete, else the base locale. Never
   * half one language and half another.
   */
  wholeLanguage(lng: string | null | undefined, ns: string, brand?: Brand): string {
    const language = this.resolve(lng);
    return this.isComplete(language, ns, brand) ? language : BASE_LOCALE;
  }

  /** Every shipped language with its own name for itself, for language switchers. */
  languageNames(): { code: string; name: string }[] {
    this.names ??= this.languages.map((code) => ({ code, name: this.t(code, "common")("languageName") }));
    return this.names;
  }

  private mergeResources(lng: string, brand?: Brand, namespaces?: string[]): Resource {
    const merge = (l: string) => {
      const base = this.packs[l] ?? {};
      const overrides = brand?.locales[l] ?? {};
      const out: Record<string, Record<string, unknown>> = {};
      for (const ns of namespaces ?? Object.keys(base))
        out[ns] = deepMerge(deepMerge(base[ns] ?? {}, brandDefaults(brand, ns)), unflatten(overrides[ns] ?? {}));
      return out;
    };
    const resource: Resource = { [lng]: merge(lng) };
    if (lng !== BASE_LOCALE) resource[BASE_LOCALE] = merge(BASE_LOCALE);
    return resource;
  }

  instance(lng: string, brand?: Brand): I18n {
    const language = this.resolve(lng);
    const key = `${brand?.id ?? ""}|${language}`;
    let inst = this.instances.get(key);
    if (!inst) {
      inst = i18next.createInstance();
      void inst.init({
        lng: language,
        fallbackLng: BASE_LOCALE,
        // The instance holds its language and the base one, nothing between: no "fr" to try
        // between "fr-FR" and "en-US" on every t() call.
        load: "currentOnly",
        resources: this.resources(language, brand),
        ns: Object.keys(this.packs[BASE_LOCALE] ?? {}),
        defaultNS: "common",
        initImmediate: false,
        interpolation: { escapeValue: false },
        returnNull: false,
      });
      this.instances.set(key, inst);
    }
    return inst;
  }

  /** The words of one namespace in one language (and brand); its keys are typed from the en-US pack. */
  t<N extends Namespace>(lng: string, ns: N, brand?: Brand): TFunction<N> {
    return this.instance(lng, brand).getFixedT(this.resolve(lng), ns);
  }
}
