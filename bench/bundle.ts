// A page's JavaScript weight as a browser gets it: the page is fetched from a running server (like
// a browser: cookies kept, the landing form's button pressed to reach /activate and /join), and
// every `<script src>` and `<link rel="modulepreload">` of its HTML is fetched in turn, with the
// modules those import statically, each URL once, compressed with gzip level 9 (as a static
// pre-compression step would). Executable inline scripts count too; JSON data islands
// (`type="application/json"`) do not. kB = 1000 bytes.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { ServerProcess } from "./load.js";
import { PAGE_HEADERS } from "./load.js";

export interface PageTarget {
  maxKB: number;
  moonshotKB?: number;
}

export interface PageWeight {
  page: string;
  path: string;
  status: number;
  htmlBytes: number;
  /** Executable scripts: external files (with the modules they import) and inline ones. */
  scripts: number;
  inlineScripts: number;
  rawKB: number;
  gzipKB: number;
  target?: PageTarget;
  biggest: { file: string; gzipKB: number; rawKB: number }[];
  note?: string;
}

export interface BundleFigures {
  pages: PageWeight[];
  chunkContents: Record<string, string[]>;
}

export const PAGE_TARGETS: Record<string, PageTarget> = {
  landing: { maxKB: 0 },
  activation: { maxKB: 90, moonshotKB: 60 },
};

const kB = (bytes: number) => Math.round(bytes / 100) / 10;

/** The attributes of every tag `name` in the HTML, lower-cased names. */
export function tags(html: string, name: string): { attrs: Record<string, string>; body: string }[] {
  const found: { attrs: Record<string, string>; body: string }[] = [];
  const re = name === "script" ? /<script\b([^>]*)>([\s\S]*?)<\/script>/gi : new RegExp(`<${name}\\b([^>]*)>`, "gi");
  for (const m of html.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g))
      attrs[a[1]!.toLowerCase()] = (a[2] ?? a[3] ?? a[4] ?? "").replace(/&amp;/g, "&");
    found.push({ attrs, body: m[2] ?? "" });
  }
  return found;
}

/** What a page makes the browser load: external script URLs, and the bodies of executable inline scripts. */
export function scriptsOf(html: string): { urls: string[]; inline: string[] } {
  const urls: string[] = [];
  const inline: string[] = [];
  for (const { attrs, body } of tags(html, "script")) {
    const type = (attrs.type ?? "").toLowerCase();
    if (type && type !== "module" && type !== "text/javascript" && type !== "application/javascript") continue;
    if (attrs.src) urls.push(attrs.src);
    else if (body.trim()) inline.push(body);
  }
  for (const { attrs } of tags(html, "link"))
    if ((attrs.rel ?? "").toLowerCase().split(/\s+/).includes("modulepreload") && attrs.href) urls.push(attrs.href);
  return { urls, inline };
}

/** Relative static imports of a (minified) ES module: `from"./x.js"`, `import"./x.js"`. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+|\/[^"']+)["']/g)].map((m) => m[1]!);
}

class Browser {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers({ ...PAGE_HEADERS, ...(init.headers as Record<string, string> | undefined) });
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** The weight of one page already fetched: its scripts fetched, each URL once. */
async function weigh(browser: Browser, page: string, path: string, response: Response): Promise<PageWeight> {
  const html = await response.text();
  const { urls, inline } = scriptsOf(html);
  const sized = new Map<string, { raw: number; gzip: number }>();
  const queue = urls.map((u) => new URL(u, new URL(path, browser.base)).toString());
  while (queue.length) {
    const url = queue.shift()!;
    if (sized.has(url)) continue;
    const r = await browser.fetch(url);
    const bytes = Buffer.from(await r.arrayBuffer());
    if (r.status !== 200) throw new Error(`${url} (from ${path}) answered ${r.status}`);
    sized.set(url, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    for (const i of staticImports(bytes.toString("utf8"))) queue.push(new URL(i, url).toString());
  }
  const files = [...sized].map(([url, s]) => ({ file: new URL(url).pathname, ...s }));
  const inlineSized = inline.map((code) => ({ raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length }));
  const all = [...files, ...inlineSized];
  files.sort((a, b) => b.gzip - a.gzip);
  return {
    page,
    path,
    status: response.status,
    htmlBytes: Buffer.byteLength(html),
    scripts: files.length + inline.length,
    inlineScripts: inline.length,
    rawKB: kB(all.reduce((n, f) => n + f.raw, 0)),
    gzipKB: kB(all.reduce((n, f) => n + f.gzip, 0)),
    ...(PAGE_TARGETS[page] ? { target: PAGE_TARGETS[page] } : {}),
    biggest: files.slice(0, 4).map((f) => ({ file: f.file, gzipKB: kB(f.gzip), rawKB: kB(f.raw) })),
  };
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];

/**
 * From the landing page of `link` on: the page, then its button pressed and the form it leads to
 * (/activate or /join), as one browser.
 */
async function journey(base: string, link: string, names: [string, string]): Promise<PageWeight[]> {
  const browser = new Browser(base);
  const landing = await browser.fetch(link);
  const html = await landing.text();
  const out = [await weigh(browser, names[0], link.replace(/\/(invite|i)\/[^/?]+/, "/$1/<token>"), new Response(html, landing))];
  const csrf = csrfOf(html);
  if (landing.status !== 200 || !csrf) {
    out[0]!.note = `no form on the landing page (${landing.status})`;
    return out;
  }
  const started = await browser.fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf }).toString(),
  });
  const next = started.headers.get("location");
  if (started.status !== 303 || !next) throw new Error(`pressing the landing page's button answered ${started.status}`);
  out.push(await weigh(browser, names[1], next, await browser.fetch(next)));
  return out;
}

/** The journey's pages and a console page, from a server seeded with an invitation (and a join one). */
export async function servedPageWeights(server: Pick<ServerProcess, "url" | "invitePath" | "joinPath">): Promise<BundleFigures> {
  if (!server.invitePath) throw new Error("the server has no invitation to open (BENCH_SEED_INVITE=1)");
  const pages = await journey(server.url, server.invitePath, ["landing", "activation"]);
  if (server.joinPath) {
    const [joinLanding, join] = await journey(server.url, server.joinPath, ["join landing", "join"]);
    pages.push(joinLanding!, ...(join ? [join] : []));
  }
  const consoleBrowser = new Browser(server.url);
  pages.push(await weigh(consoleBrowser, "console (sign-in)", "/admin/sign-in", await consoleBrowser.fetch("/admin/sign-in")));
  const chunkContents: Record<string, string[]> = {};
  for (const p of pages) for (const f of p.biggest.slice(0, 2)) chunkContents[f.file] ??= chunkContentsOf(f.file);
  return { pages, chunkContents };
}

/** A page's verdict against its target: MET / NOT MET (and the moonshot). */
export function verdict(p: PageWeight): string | undefined {
  if (!p.target) return undefined;
  const { maxKB, moonshotKB } = p.target;
  const main =
    maxKB === 0
      ? `target 0 scripts → ${p.scripts === 0 ? "MET" : "NOT MET"}`
      : `target ≤ ${maxKB} kB → ${p.gzipKB <= maxKB ? "MET" : "NOT MET"}`;
  return moonshotKB === undefined ? main : `${main}; moonshot ≤ ${moonshotKB} kB → ${p.gzipKB <= moonshotKB ? "MET" : "NOT MET"}`;
}

/** What the Remix build's esbuild metafile says a chunk is made of: its biggest inputs, grouped by package. */
export function chunkContentsOf(chunk: string, top = 4, metafile = "build/metafile.js.json"): string[] {
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
