// The pages that do not hydrate (the journey's, app/page-handle.ts) are served by a Remix handler
// whose build holds only them and the root. Remix matches each document request against every
// route of its build several times (the request handler, the data router, the server render) and
// rebuilds the route tree for React on each one: with the console's routes in the same tree, a
// link's landing page paid for 26 routes instead of 8 (docs/benchmarks.md).
//
// Which handler answers is decided by the path's first segment: a segment goes to the lean
// handler only when every route under it does not hydrate, and only when no hydrating route
// could match a path by a parameter or splat in first place. The full handler knows every route,
// so whatever the rule does not send to the lean one is answered as before.
import type { ServerBuild } from "@remix-run/node";

type Routes = ServerBuild["routes"];

function hydrates(route: Routes[string]): boolean {
  return (route.module.handle as { hydrate?: boolean } | undefined)?.hydrate !== false;
}

function fullPath(routes: Routes, id: string): string {
  const parts: string[] = [];
  for (let r = routes[id]; r; r = r.parentId ? routes[r.parentId] : undefined) if (r.path) parts.unshift(r.path);
  return parts.join("/").replace(/^\/+/, "");
}

/** The first segment of a path as Remix matches it: case-insensitively. */
export function firstSegment(pathname: string): string {
  return (pathname.split("/")[1] ?? "").toLowerCase();
}

export interface LeanPages {
  build: ServerBuild;
  /** First path segments whose every route is in the lean build. */
  segments: Set<string>;
}

/** The build of the pages that do not hydrate, or undefined when no path can be told apart by its first segment. */
export function leanPages(build: ServerBuild): LeanPages | undefined {
  const bySegment = new Map<string, boolean>();
  for (const [id, route] of Object.entries(build.routes)) {
    if (id === "root") continue;
    const segment = firstSegment(`/${fullPath(build.routes, id)}`);
    // A parameter, splat or optional first segment could match anything (a pathless layout's
    // own "" is no page of its own and matches nothing by itself).
    if (/[:*(]/.test(segment) && hydrates(route)) return undefined;
    if (!segment || /[:*(]/.test(segment)) continue;
    bySegment.set(segment, (bySegment.get(segment) ?? true) && !hydrates(route));
  }
  const segments = new Set([...bySegment].filter(([, lean]) => lean).map(([s]) => s));
  if (segments.size === 0) return undefined;

  const keep = new Set(["root"]);
  for (const id of Object.keys(build.routes)) {
    if (!segments.has(firstSegment(`/${fullPath(build.routes, id)}`))) continue;
    for (let r: string | undefined = id; r && !keep.has(r); r = build.routes[r]?.parentId) keep.add(r);
  }
  const pick = <T>(all: Record<string, T>) => Object.fromEntries(Object.entries(all).filter(([id]) => keep.has(id)));
  return {
    build: { ...build, routes: pick(build.routes), assets: { ...build.assets, routes: pick(build.assets.routes) } },
    segments,
  };
}
