// Reads a V8 CPU profile of the server process and says where its time went: the share of
// wall time the process was busy, and per component (an npm package, a project file, Node's own
// internals, garbage collection) the share of busy time spent in it ("self") and inside it,
// callees included ("total", each component counted once per sample).
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyPercent: number;
  components: { name: string; selfPercent: number; totalPercent: number }[];
  functions: { name: string; selfPercent: number }[];
}

const ROOT = process.cwd();

/** The component a frame belongs to. */
export function componentOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "(gc)";
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)") return functionName;
    return "(native)";
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[url.startsWith("node:internal/") ? 1 : 0]}`;
  const local = url
    .replace(/^file:\/\//, "")
    .replace(`${ROOT}/`, "")
    .replace(/\?.*$/, "");
  if (local === "build/index.js") return "app/ (Remix server build)";
  return local;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const fnSelf = new Map<string, number>();
  let idle = 0;
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const leaf = byId.get(id)!;
    const leafComponent = componentOf(leaf.callFrame.url, leaf.callFrame.functionName);
    if (leafComponent === "(idle)") {
      idle += dt;
      return;
    }
    self.set(leafComponent, (self.get(leafComponent) ?? 0) + dt);
    const fn = `${leaf.callFrame.functionName || "(anonymous)"} ${leafComponent}${leaf.callFrame.url ? `:${leaf.callFrame.lineNumber + 1}` : ""}`;
    fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      seen.add(componentOf(f.url, f.functionName));
    }
    for (const c of seen) total.set(c, (total.get(c) ?? 0) + dt);
  });

  const busy = all - idle || 1;
  const pct = (t: number) => Math.round((1000 * t) / busy) / 10;
  const skip = new Set(["(root)"]);
  const components = [...new Set([...self.keys(), ...total.keys()])]
    .filter((c) => !skip.has(c))
    .map((name) => ({ name, selfPercent: pct(self.get(name) ?? 0), totalPercent: pct(total.get(name) ?? 0) }))
    .sort((a, b) => b.selfPercent - a.selfPercent)
    .slice(0, top);
  const functions = [...fnSelf]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, t]) => ({ name, selfPercent: pct(t) }));
  return { busyPercent: Math.round((1000 * (all - idle)) / (all || 1)) / 10, components, functions };
}

export interface Group {
  name: string;
  match: (component: string) => boolean;
}

/**
 * Busy time split between named groups of components: each sample goes to the innermost frame of
 * its stack that belongs to a group (so zod called from an Express handler counts as zod), else
 * to "other". The shares add up to 100.
 */
export function attribute(file: string, groups: Group[]): Record<string, number> {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === "(idle)") return;
    busy += dt;
    let group = "other";
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      const hit = groups.find((g) => g.match(componentOf(f.url, f.functionName)));
      if (hit) {
        group = hit.name;
        break;
      }
    }
    time.set(group, (time.get(group) ?? 0) + dt);
  });
  return Object.fromEntries([...time].sort((a, b) => b[1] - a[1]).map(([name, t]) => [name, Math.round((1000 * t) / (busy || 1)) / 10]));
}

/** Where a profile's busy time goes, innermost named group first (see attribute above). */
export const GROUPS: Group[] = [
  { name: "GC", match: (c) => c === "(gc)" },
  { name: "native, unattributed", match: (c) => c === "(program)" },
  { name: "sealing (iron-session)", match: (c) => /iron/.test(c) || c === "uncrypto" },
  { name: "zod", match: (c) => c === "zod" },
  { name: "logging (server/lib/logger.ts)", match: (c) => c === "server/lib/logger.ts" },
  { name: "rate limit", match: (c) => c === "rate-limiter-flexible" },
  {
    name: "database (kysely, driver, server/store)",
    match: (c) => /^(kysely|better-sqlite3|pg|pg-.*|postgres-.*)$/.test(c) || c.startsWith("server/store/"),
  },
  { name: "i18next", match: (c) => /i18next/.test(c) || c.startsWith("server/i18n/") },
  { name: "React SSR (react-dom)", match: (c) => c === "react-dom" || c === "react" },
  {
    name: "Remix runtime",
    match: (c) => c.startsWith("@remix-run/") || c === "react-router" || c === "react-router-dom" || c === "cookie-signature",
  },
  { name: "app/ routes, loaders, entry", match: (c) => c.startsWith("app/") },
  {
    name: "Express, body parsing, headers",
    match: (c) =>
      /^(express|body-parser|raw-body|iconv-lite|type-is|content-type|media-typer|mime-types|finalhandler|send|serve-static|router|path-to-regexp|etag|fresh|parseurl|qs|proxy-addr|forwarded|ipaddr\.js|on-finished|accepts|negotiator|cookie|vary|statuses|http-errors|depd|encodeurl|escape-html|mime|setprototypeof|utils-merge|merge-descriptors|content-disposition|range-parser|safe-buffer|destroy|unpipe|bytes|debug|ms)$/.test(
        c,
      ),
  },
  { name: "other server/ code", match: (c) => c.startsWith("server/") },
  { name: "tsx loader", match: (c) => c === "tsx" },
];
