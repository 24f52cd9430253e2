// The invitation rules sit under the HTTP APIs, never on them: server/invitations/ is what the
// APIs and the pages call, so it may not import anything from server/api/ (the batch API and the
// console's CSV upload share bulk.ts through it, not through each other).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../server/invitations/", import.meta.url));
const IMPORT = /\b(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

/** The modules a file imports or re-exports, statically or dynamically. */
export function specifiersOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

test("the import scan sees static, type-only, re-exported and dynamic imports", () => {
  const source = [
    'import { a } from "../api/x.js";',
    'import type { B } from "../api/y.js";',
    'export { c } from "../api/z.js";',
    'const d = await import("../api/w.js");',
    'import { e } from "./e.js";',
  ].join("\n");
  expect(specifiersOf(source)).toEqual(["../api/x.js", "../api/y.js", "../api/z.js", "../api/w.js", "./e.js"]);
});

test("no module of server/invitations/ imports from server/api/", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(5);
  const offending = files.flatMap((file) =>
    specifiersOf(readFileSync(dir + file, "utf8"))
      .filter((spec) => /(^|\/)api\//.test(spec))
      .map((spec) => `${file} imports ${spec}`),
  );
  expect(offending).toEqual([]);
});
