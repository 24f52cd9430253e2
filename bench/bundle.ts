// A page's JavaScript weight from the Remix build: the entry, every route from root down to the
// page's route, and all their imports, each file counted once, gzip-compressed (zlib level 9, as
// a static pre-compression step would). kB = 1000 bytes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

interface ManifestRoute {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
}

interface Manifest {
  entry: { module: string; imports?: string[] };
  routes: Record<string, ManifestRoute>;
  url: string;
}

export interface BundleFigures {
  route: string;
  /** Set when the wanted route is not in the build and another one was measured. */
  note?: string;
  files: number;
  rawKB: number;
  gzipKB: number;
  targetGzipKB: number;
  biggest: { file: string; gzipKB: number; rawKB: number }[];
}

const kB = (bytes: number) => Math.round(bytes / 100) / 10;

/** The manifest of the latest build (remix build leaves older fingerprinted files behind). */
export function readManifest(publicDir = "public"): Manifest {
  const dir = path.join(publicDir, "build");
  const candidates = readdirSync(dir)
    .filter((f) => /^manifest-[A-Z0-9]+\.js$/.test(f))
    .map((f) => ({ f, mtime: statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (!candidates.length) throw new Error(`no manifest-*.js in ${dir}: run remix build first`);
  const text = readFileSync(path.join(dir, candidates[0]!.f), "utf8");
  const json = text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  return JSON.parse(json) as Manifest;
}

export function pageWeight(wanted: string, fallback: string, targetGzipKB: number, publicDir = "public"): BundleFigures {
  const manifest = readManifest(publicDir);
  const route = manifest.routes[wanted] ? wanted : fallback;
  if (!manifest.routes[route]) throw new Error(`neither ${wanted} nor ${fallback} is in the build manifest`);

  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (let r: ManifestRoute | undefined = manifest.routes[route]; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
    files.add(r.module);
    for (const i of r.imports ?? []) files.add(i);
  }

  const sized = [...files].map((url) => {
    const bytes = readFileSync(path.join(publicDir, url));
    return { file: url, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  sized.sort((a, b) => b.gzip - a.gzip);
  return {
    route,
    ...(route !== wanted ? { note: `${wanted} is not in the build yet; measured ${route} instead` } : {}),
    files: sized.length,
    rawKB: kB(sized.reduce((a, f) => a + f.raw, 0)),
    gzipKB: kB(sized.reduce((a, f) => a + f.gzip, 0)),
    targetGzipKB,
    biggest: sized.slice(0, 5).map((f) => ({ file: f.file, gzipKB: kB(f.gzip), rawKB: kB(f.raw) })),
  };
}

/** What an esbuild metafile says a chunk is made of: its biggest inputs, grouped by package. */
export function chunkContents(chunk: string, top = 4, metafile = "build/metafile.js.json"): string[] {
  try {
    const meta = JSON.parse(readFileSync(metafile, "utf8")) as {
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    };
    const key = Object.keys(meta.outputs).find((k) => k.endsWith(chunk.replace(/^\/build/, "")));
    if (!key) return [];
    const byPackage = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[key]!.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = m ? m[1]! : input.replace(/^.*?(app\/)/, "$1");
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
    return [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => `${name} ${kB(bytes)} kB raw`);
  } catch {
    return [];
  }
}
