// The locale-pack check (docs/translating.md): every pack and brand override against the base pack, reporting missing
// keys, extra keys and broken {{placeholders}}.
//
// What an invitee reads (the pages' `common` and `journey`, the messages' `email`) must be complete
// in every language that ships: a page or message is never half one language and half another.
// The operators' namespaces (`admin`, `dev`) may be left out of a language on purpose (the console
// and the dev pages then show the base pack): a warning, except for COMPLETE_LANGUAGES. A namespace
// a language does ship must be complete.
import type { TenantConfig } from "../config/schema.js";
import { BASE_LOCALE, flattenPack as flatten, type Packs } from "./registry.js";

/** Languages that must ship every namespace. */
export const COMPLETE_LANGUAGES = ["en-US", "fr-FR"];
/** Namespaces a language may leave out (a warning); every other one is required. */
export const OPTIONAL_NAMESPACES = ["admin", "dev"];

export interface Finding {
  level: "error" | "warning";
  where: string;
  message: string;
  /** For a brand override: the brand and the language it overrides. */
  brand?: string;
  language?: string;
}

const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!));
const brokenBraces = (text: string) =>
  text.replace(/\{\{\s*[\w.]+\s*\}\}/g, "").includes("{{") || /\}\}/.test(text.replace(/\{\{\s*[\w.]+\s*\}\}/g, ""));

type Flat = Map<string, Map<string, string>>;

function compare(where: string, base: Map<string, string>, other: Map<string, string>, complete: boolean, findings: Finding[]) {
  for (const [key, text] of other) {
    const baseText = base.get(key);
    if (baseText === undefined) {
      findings.push({ level: "error", where, message: `extra key '${key}' (not in ${BASE_LOCALE})` });
      continue;
    }
    if (brokenBraces(text)) findings.push({ level: "error", where, message: `'${key}' has an unbalanced {{ }}` });
    const want = placeholders(baseText);
    const got = placeholders(text);
    for (const p of got) if (!want.has(p)) findings.push({ level: "error", where, message: `'${key}' uses unknown placeholder {{${p}}}` });
    for (const p of want)
      if (!got.has(p)) findings.push({ level: "warning", where, message: `'${key}' does not use placeholder {{${p}}}` });
  }
  for (const key of base.keys()) if (!other.has(key) && complete) findings.push({ level: "error", where, message: `missing key '${key}'` });
}

function flattenBase(packs: Packs): Flat | undefined {
  const base = packs[BASE_LOCALE];
  return base && new Map(Object.entries(base).map(([ns, obj]) => [ns, flatten(obj)]));
}

export function checkPacks(packs: Packs, config?: TenantConfig): Finding[] {
  const findings: Finding[] = [];
  const baseFlat = flattenBase(packs);
  if (!baseFlat) return [{ level: "error", where: BASE_LOCALE, message: "the base pack is missing" }];
  for (const [lng, namespaces] of Object.entries(packs)) {
    if (lng === BASE_LOCALE) {
      for (const [ns, flat] of baseFlat)
        for (const [key, text] of flat)
          if (brokenBraces(text)) findings.push({ level: "error", where: `${lng}/${ns}`, message: `'${key}' has an unbalanced {{ }}` });
      continue;
    }
    const everything = COMPLETE_LANGUAGES.includes(lng);
    for (const ns of new Set([...baseFlat.keys(), ...Object.keys(namespaces)])) {
      const b = baseFlat.get(ns);
      if (!b) {
        findings.push({ level: "error", where: `${lng}/${ns}`, message: `namespace '${ns}' does not exist in ${BASE_LOCALE}` });
        continue;
      }
      const o = namespaces[ns];
      if (!o) {
        const optional = !everything && OPTIONAL_NAMESPACES.includes(ns);
        findings.push({
          level: optional ? "warning" : "error",
          where: `${lng}/${ns}`,
          message: optional ? `namespace missing (shown in ${BASE_LOCALE})` : "namespace missing",
        });
        continue;
      }
      compare(`${lng}/${ns}`, b, flatten(o), true, findings);
    }
  }
  if (config) findings.push(...checkBrandOverrides(packs, config));
  return findings;
}

/**
 * The brands' overrides (brands[].locales) against the base pack: unknown keys and namespaces,
 * unknown {{placeholders}}, unbalanced braces. `npm run locales:check` reports them, and the server
 * checks them at start-up (server/services.ts).
 */
export function checkBrandOverrides(packs: Packs, config: TenantConfig): Finding[] {
  const findings: Finding[] = [];
  const baseFlat = flattenBase(packs);
  if (!baseFlat) return [{ level: "error", where: BASE_LOCALE, message: "the base pack is missing" }];
  for (const brand of config.brands)
    for (const [lng, namespaces] of Object.entries(brand.locales))
      for (const [ns, overrides] of Object.entries(namespaces)) {
        const b = baseFlat.get(ns);
        const where = `brand ${brand.id} ${lng}/${ns}`;
        const found: Finding[] = [];
        if (!b) found.push({ level: "error", where, message: `namespace '${ns}' does not exist in ${BASE_LOCALE}` });
        else compare(where, b, new Map(Object.entries(overrides)), false, found);
        findings.push(...found.map((f) => ({ ...f, brand: brand.id, language: lng })));
      }
  return findings;
}
