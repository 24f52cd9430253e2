// The pages that do not hydrate (the journey's, app/page-handle.ts) are served by a Remix handler
// whose build holds only them and the root. Remix matches each document request against every
// route of its build several times (the request handler, the data router, the server render) and
// rebuilds the route tree for React on each one: with the console's routes in the same tree, a
// link's landing page paid for 26 routes instead of 7 (docs/decisions/0007).
//
// Which handler answers is decided by the first segment of the path Remix will match (the URL's,
// dot segments resolved): a segment goes to the lean handler only when every route under it does
// not hydrate, and only when no route at all starts with a parameter, a splat or an optional
// segment (which could take any path). The full handler knows every route, so whatever the rule
// does not claim is answered as before.
import type { ServerBuild } from "@remix-run/node";
import { hydrates } from "../../app/page-handle.js";

type Routes = ServerBuild["routes"];

/** A route's whole path pattern, its parents' included, without the leading slash. */
export function routePath(routes: Routes, id: string): string {
  const parts: string[] = [];
  for (let r = routes[id]; r; r = r.parentId ? routes[r.parentId] : undefined) if (r.path) parts.unshift(r.path);
  return parts.join("/").replace(/^\/+/, "");
}

/** The first segment of a path as Remix matches it: case-insensitively. */
function firstSegment(pathname: string): string {
  return (pathname.split("/")[1] ?? "").toLowerCase();
}

/** `:param`, `*` and optional segments (`lang?`, `:lang?`): a pattern that matches more than its own letters. */
const DYNAMIC = /[:*?]/;

export interface LeanPages {
  build: ServerBuild;
  /** First path segments whose every route is in the lean build. */
  segments: Set<string>;
  /** Whether the lean build answers this request URL exactly as the whole build would. */
  claims(url: string): boolean;
}

/** The build of the pages that do not hydrate, or undefined when no path can be told apart by its first segment. */
export function leanPages(build: ServerBuild): LeanPages | undefined {
  const bySegment = new Map<string, boolean>();
  for (const [id, route] of Object.entries(build.routes)) {
    if (id === "root") continue;
    const segment = routePath(build.routes, id).split("/")[0]!.toLowerCase();
    if (DYNAMIC.test(segment)) return undefined;
    // A pathless layout or the index route: no segment of its own (its children have theirs).
    if (!segment) continue;
    bySegment.set(segment, (bySegment.get(segment) ?? true) && !hydrates(route.module.handle));
  }
  const segments = new Set([...bySegment].filter(([, lean]) => lean).map(([s]) => s));
  if (segments.size === 0) return undefined;

  const keep = new Set(["root"]);
  for (const id of Object.keys(build.routes)) {
    if (!segments.has(routePath(build.routes, id).split("/")[0]!.toLowerCase())) continue;
    for (let r: string | undefined = id; r && !keep.has(r); r = build.routes[r]?.parentId) keep.add(r);
  }
  const pick = <T>(all: Record<string, T>) => Object.fromEntries(Object.entries(all).filter(([id]) => keep.has(id)));
  return {
    build: { ...build, routes: pick(build.routes), assets: { ...build.assets, routes: pick(build.assets.routes) } },
    segments,
    claims: (url) => segments.has(firstSegment(new URL(url).pathname)),
  };
}
