// What a bench run records (bench/results.json) and is judged against: the targets, the sections,
// and the figures of each scenario. Written by bench/run.ts, printed by bench/report.ts.
import type { BundleFigures } from "./bundle.js";
import type { Figures } from "./load.js";
import type { ProfileSummary } from "./profile.js";
import type { RealisticResults } from "./realistic.js";
import type { ScaleResults } from "./scale.js";
import type { ResponseCheck } from "./shared.js";

export const TARGETS = {
  preRegisterSqliteRps: 1500,
  preRegisterSqliteP99Ms: 50,
  /** app / bare node:http in the same run. */
  preRegisterSqliteRatio: 0.1,
  preRegisterPostgresRatio: 0.06,
  activationJsGzipKB: 90,
  activationJsGzipMoonshotKB: 60,
  /** The landing page loads no script at all. */
  landingScripts: 0,
  /** landing page, app / bare node:http in the same run. */
  landingRatio: 0.067,
  landingPeakRssMB: 250,
};

export interface Scenario {
  app?: Figures;
  bare?: Figures;
  /** What the stack costs before the product's own work (bench/floors.ts). */
  floors?: { remixSplit?: Figures; remixWhole?: Figures; sqliteTransactionMicros?: number; skipped?: string };
  /** app requests/s over bare requests/s. */
  ratio?: number;
  profile?: ProfileSummary & { groups: Record<string, number> };
  skipped?: string;
  note?: string;
}

export interface Results {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; loadAverage: number[] };
  settings: { connections: number; durationS: number; warmupS: number; profileS: number };
  targets: typeof TARGETS;
  preRegister: { sqlite: Scenario; postgres: Scenario; bare?: Figures };
  landing: Scenario & { path?: string; route?: string; htmlBytes?: number };
  bundle?: BundleFigures;
  adminInvitations: Record<string, number | string>;
  commonPasswords: Record<string, number | string>;
  scale: ScaleResults;
  realistic: RealisticResults;
  /** What each measured URL answered (one request before its load): a faster page that broke shows here. */
  checks: ResponseCheck[];
  sections: Section[];
  totalSeconds?: number;
}

/** The parts of the report; `npm run bench -- pre-register landing` runs only those. */
export const SECTIONS = ["bundle", "pre-register", "landing", "realistic", "scale", "admin", "passwords"] as const;
export type Section = (typeof SECTIONS)[number];
