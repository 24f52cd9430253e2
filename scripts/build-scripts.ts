// Bundles the journey pages' scripts (app/journey/enhance/) for the browser, fingerprinted like
// Remix's own bundles under public/build/, and writes build/scripts.json, which maps each script to
// its URL for the pages that load it. The journey pages do not hydrate (docs/decisions), so this
// is all the JavaScript they ship.
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../server/paths.js";

const ENTRIES = { form: "app/journey/enhance/form.ts", done: "app/journey/enhance/done.ts" };

const OUT = path.join(ROOT, "public/build/journey");
rmSync(OUT, { recursive: true, force: true });

const result = await build({
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(ROOT, file)])),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  platform: "browser",
  entryNames: "[name]-[hash]",
  outdir: OUT,
  metafile: true,
  sourcemap: "linked",
  logLevel: "warning",
});

const urls: Record<string, string> = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!output.entryPoint || !file.endsWith(".js")) continue;
  const name = Object.entries(ENTRIES).find(([, entry]) => path.resolve(ROOT, entry) === path.resolve(ROOT, output.entryPoint!))?.[0];
  if (name) urls[name] = `/build/journey/${path.basename(file)}`;
}
mkdirSync(path.join(ROOT, "build"), { recursive: true });
writeFileSync(path.join(ROOT, "build/scripts.json"), `${JSON.stringify(urls, null, 2)}\n`);
