// What a journey page costs a phone on a slow network: the pages are the server's HTML. The landing
// page loads no script at all (its one button and the language switch are plain forms); the
// activation form loads its own small script, fingerprinted and cached for a year, and no React,
// Remix runtime or i18next; the console still runs as a React application.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { get as httpGet } from "node:http";
import { hydrates } from "../../app/page-handle.js";
import { leanPages, routePath } from "../../server/http/lean-pages.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";
import { dom, invitedByEmail, openActivation, pathOf } from "./support.js";

const env = useTestEnv();

const scriptsOf = (html: string) =>
  [...dom(html).querySelectorAll("script")].map((s) => s.getAttribute("src") ?? `inline ${s.getAttribute("type") ?? "classic"}`);

it("the landing page ships no script, and its language switch is a plain form", async () => {
  const { mail } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const landing = await client.get(pathOf(mail.link!));
  expect(landing.status).toBe(200);
  expect(scriptsOf(landing.html)).toEqual([]);
  const switcher = dom(landing.html).querySelector("form.language-switcher")!;
  expect([switcher.getAttribute("method"), switcher.querySelector("select")?.getAttribute("name")]).toEqual(["get", "lng"]);
  expect(landing.html).not.toContain("__remixContext");
});

it("the activation page loads only its form script, immutable, with the page's words as data", async () => {
  const { mail } = await invitedByEmail(env, { locale: "fr-FR" });
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, mail.link!);
  expect(form.status).toBe(200);
  const scripts = scriptsOf(form.html);
  expect(scripts).toHaveLength(2);
  expect(scripts[0]).toBe("inline application/json");
  expect(scripts[1]).toMatch(/^\/build\/journey\/form-[A-Z0-9]+\.js$/);
  const data = JSON.parse(dom(form.html).getElementById("form-enhance")!.textContent!);
  expect(data.summary.title).toBe("Il y a un problème");
  expect(data.words.passwordTooShort).toContain("{{min}}");

  const script = await fetch(`${env.server.url}${scripts[1]}`);
  expect(script.status).toBe(200);
  expect(script.headers.get("content-type")).toMatch(/javascript/);
  expect(script.headers.get("cache-control")).toContain("immutable");
  const code = await script.text();
  expect(code).not.toMatch(/react-dom|__remixContext|i18next/);
});

it("the console still hydrates", async () => {
  const signIn = await new HttpClient(env.server.url).get("/admin/sign-in");
  expect(signIn.status).toBe(200);
  expect(signIn.html).toContain("__remixContext");
});

describe("the pages that do not hydrate are served from a build of their own", () => {
  let build: ServerBuild;
  beforeAll(async () => {
    build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  });
  /** An address a route answers: its pattern with every parameter filled in. */
  const sample = (b: ServerBuild, id: string) => `http://localhost/${routePath(b.routes, id).replace(/:[^/]+/g, "x")}`;

  it("claims every address of a journey page and none of a page that hydrates", () => {
    const lean = leanPages(build)!;
    expect([...lean.segments].sort()).toEqual(["activate", "i", "invite", "join"]);
    for (const id of Object.keys(build.routes)) {
      if (id === "root") continue;
      const claimed = lean.claims(sample(build, id));
      if (hydrates(build.routes[id]!.module.handle)) expect({ id, claimed }).toEqual({ id, claimed: false });
      // Claimed: answered by the small build, which holds the route itself.
      if (claimed) expect({ id, held: id in lean.build.routes }).toEqual({ id, held: true });
      if (/^(invite|activate|join|i)\b/.test(routePath(build.routes, id))) expect({ id, claimed }).toEqual({ id, claimed: true });
    }
    expect(Object.keys(lean.build.routes).filter((id) => hydrates(build.routes[id]!.module.handle))).toEqual([]);
    expect(Object.keys(lean.build.assets.routes).sort()).toEqual(Object.keys(lean.build.routes).sort());
  });

  it("decides on the path Remix matches: dot segments resolved, any case", () => {
    const lean = leanPages(build)!;
    expect(lean.claims("http://localhost/INVITE/abc")).toBe(true);
    expect(lean.claims("http://localhost/invite/%2e%2e/admin/sign-in")).toBe(false);
    expect(lean.claims("http://localhost/invite/../admin")).toBe(false);
    expect(lean.claims("http://localhost/invite/%2E%2E/")).toBe(false);
    expect(lean.claims("http://localhost//invite/abc")).toBe(false);
  });

  const route = (id: string, path: string | undefined, hydrate: boolean, parentId = "root") => ({
    id,
    path,
    parentId,
    module: { default: () => null, handle: hydrate ? undefined : { hydrate: false } },
  });
  const synthetic = (...routes: ReturnType<typeof route>[]) =>
    ({
      ...build,
      routes: Object.fromEntries(
        [route("root", "", true, ""), ...routes].map((r) => [r.id, r.id === "root" ? { ...r, parentId: undefined } : r]),
      ),
      assets: { ...build.assets, routes: {} },
    }) as unknown as ServerBuild;

  it("splits nothing when any route could take any first segment, and keeps shared segments whole", () => {
    // Remix's compiler writes ($lang) as ":lang?", (lang) as "lang?", $ as "*".
    for (const other of [":store/admin", "*", "lang?/admin", ":lang?/admin"]) {
      expect(leanPages(synthetic(route("a", "invite/:t", false), route("b", other, true))), other).toBeUndefined();
      expect(leanPages(synthetic(route("a", "invite/:t", false), route("b", other, false))), other).toBeUndefined();
    }
    const shared = leanPages(synthetic(route("a", "invite/:t", false), route("b", "invite/manage", true), route("c", "join", false)))!;
    expect([...shared.segments]).toEqual(["join"]);
    // A layout's children count under the layout's path.
    const nested = leanPages(synthetic(route("l", "invite", false), route("c", "manage", true, "l"), route("j", "join", false)))!;
    expect([...nested.segments]).toEqual(["join"]);
  });

  it("answers every address as the whole build would: an unknown one under a journey segment, another case, a dot segment", async () => {
    const client = new HttpClient(env.server.url);
    const unknown = await client.get("/invite/a/b/c");
    expect(unknown.status).toBe(404);
    expect(dom(unknown.html).querySelector("h1")?.textContent).toBe("Page not found");
    const { mail } = await invitedByEmail(env);
    const upper = await client.get(pathOf(mail.link!).replace("/invite/", "/INVITE/"));
    expect(upper.status).toBe(200);
    expect(dom(upper.html).querySelector("form[method=post] button")).not.toBeNull();
    // Sent as written (fetch would resolve the dot segments itself): Remix sees /admin/sign-in.
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { port } = new URL(env.server.url);
      httpGet({ host: "127.0.0.1", port, path: "/invite/%2e%2e/admin/sign-in" }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      }).on("error", reject);
    });
    const direct = await client.get("/admin/sign-in");
    expect(raw.status).toBe(direct.status);
    expect(dom(raw.body).querySelector("h1")?.textContent).toBe(dom(direct.html).querySelector("h1")?.textContent);
  });

  it("the home page and the not-found page load no script", async () => {
    const client = new HttpClient(env.server.url);
    for (const page of ["/", "/no-such-page"]) {
      const res = await client.get(page);
      expect(scriptsOf(res.html), page).toEqual([]);
    }
  });
});
