// What a journey page costs a phone on a slow network: the pages are the server's HTML. The landing
// page loads no script at all (its one button and the language switch are plain forms); the
// activation form loads its own small script, fingerprinted and cached for a year, and no React,
// Remix runtime or i18next; the console still runs as a React application.
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
