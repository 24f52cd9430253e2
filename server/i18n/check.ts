// The locale-pack check (docs/translating.md): every pack and brand override against the base pack,
// reporting missing keys, extra keys and broken {{placeholders}}.
import type { TenantConfig } from "../config/schema.js";
import { BASE_LOCALE, type Packs } from "./registry.js";

/** Languages that must be complete; others may be partial and fall back to the base pack. */
export const COMPLETE_LANGUAGES = ["en-US", "fr-FR"];

export interface Finding {
  level: "error" | "warning";
  where: string;
  message: string;
  /** For a brand override: the brand and the language it overrides. */
  brand?: string;
  language?: string;
}

function flatten(obj: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!));
const brokenBraces = (text: string) => text.replace(/\{\{\s*[\w.]+\s*\}\}/g, "").includes("{{") || /\}\}/.test(text.replace(/\{\{\s*[\w.]+\s*\}\}/g, ""));

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
  for (const key of base.keys())
    if (!other.has(key) && complete) findings.push({ level: "error", where, message: `missing key '${key}'` });
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
    const complete = COMPLETE_LANGUAGES.includes(lng);
    for (const ns of new Set([...baseFlat.keys(), ...Object.keys(namespaces)])) {
      const b = baseFlat.get(ns);
      if (!b) {
        findings.push({ level: "error", where: `${lng}/${ns}`, message: `namespace '${ns}' does not exist in ${BASE_LOCALE}` });
        continue;
      }
      const o = namespaces[ns];
      if (!o) {
        if (complete) findings.push({ level: "error", where: `${lng}/${ns}`, message: "namespace missing" });
        continue;
      }
      compare(`${lng}/${ns}`, b, flatten(o), complete, findings);
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
