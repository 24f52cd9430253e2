// The URLs of the journey pages' scripts, from build/scripts.json (written by `npm run build`,
// scripts/build-scripts.ts): fingerprinted files under /build/journey/, cached for a year.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../../server/paths";

export type ScriptName = "form" | "done";
export type ScriptUrls = Record<ScriptName, string>;

let urls: ScriptUrls | undefined;

export function scriptUrls(): ScriptUrls {
  if (!urls) {
    const file = path.join(ROOT, "build/scripts.json");
    try {
      urls = JSON.parse(readFileSync(file, "utf8")) as ScriptUrls;
    } catch (cause) {
      throw new Error(`${file} is missing: run npm run build`, { cause });
    }
  }
  return urls;
}
