// The journey's language (docs/journey.md): ?lng= or the switcher (remembered), the invitation's
// language, Accept-Language, the client's default, en-US; the language the invitee finished in is
// the account's locale and ui_locales; a right-to-left pack renders right-to-left.
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { dom, filledForm, invitedByEmail, openActivation, pathOf, textOf } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

const env = useTestEnv();

const db = () => env.server.services.db.kysely;
const summaryOf = (html: string) => [...dom(html).querySelectorAll("#error-summary li")].map((li) => li.textContent);

it("speaks the invitation's language from the email to the authorization endpoint", async () => {
  const { email, link, mail } = await invitedByEmail(env, { locale: "fr-FR" });
  expect(mail.subject).toBe("Activez votre compte Acme");
  const client = new HttpClient(env.server.url);
  // The invitation's language beats the browser's.
  const landing = await client.get(pathOf(link), { "Accept-Language": "en-US,en;q=0.9" });
  const page = dom(landing.html);
  expect([page.documentElement.lang, page.documentElement.dir]).toEqual(["fr-FR", "ltr"]);
  expect(page.title).toBe("Activez votre compte Acme");
  expect(textOf(page, "main button")).toBe("Activer le compte");

  const form = await openActivation(client, link);
  expect(textOf(dom(form.html), "label[for=activate-password] + .hint")).toMatch(/^Au moins 12 caractères\./);
  const bad = await client.post("/activate", { ...filledForm(form.csrf!, { password: "court" }), acceptTerms: "" });
  expect(summaryOf(bad.html)).toEqual([
    "Mot de passe : Au moins 12 caractères.",
    "Conditions générales : Acceptez les conditions générales pour continuer.",
  ]);
  const done = await client.post("/activate", filledForm(form.csrf!));
  expect(new URL(done.location!).searchParams.get("ui_locales")).toBe("fr-FR");
  expect((await findAccountByIdentifier(db(), "customers", { email }))?.locale).toBe("fr-FR");
});

it("lets ?lng= and the switcher override the invitation's language for the rest of the journey", async () => {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const landing = await client.get(`${pathOf(link)}?lng=fr-FR&state=s1`);
  const page = dom(landing.html);
  expect(page.documentElement.lang).toBe("fr-FR");
  // The switcher is a GET form that keeps the portal's parameters.
  const switcher = page.querySelector("form.language-switcher")!;
  expect(switcher.getAttribute("method")).toBe("get");
  expect(switcher.querySelector<HTMLSelectElement>("select[name=lng]")!.value).toBe("fr-FR");
  expect(switcher.querySelector<HTMLInputElement>("input[name=state]")!.value).toBe("s1");
  expect(textOf(page, "label[for=language-switcher]")).toBe("Langue");

  const started = await client.post(`${pathOf(link)}?lng=fr-FR&state=s1`, { csrf: landing.csrf! });
  const form = await client.get(started.location!);
  expect(dom(form.html).documentElement.lang).toBe("fr-FR");
  // Switch back to English on the form; it stays English without the parameter.
  expect(dom((await client.get("/activate?lng=en-US")).html).documentElement.lang).toBe("en-US");
  const again = await client.get("/activate");
  expect(dom(again.html).documentElement.lang).toBe("en-US");
  await client.get("/activate?lng=fr-FR");
  const done = await client.post("/activate", filledForm(again.csrf!));
  const to = new URL(done.location!);
  expect([to.searchParams.get("ui_locales"), to.searchParams.get("state")]).toEqual(["fr-FR", "s1"]);
  expect((await findAccountByIdentifier(db(), "customers", { email }))?.locale).toBe("fr-FR");
});

it("renders a right-to-left pack right-to-left, every word of it in that language", async () => {
  const { link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const landing = dom((await client.get(`${pathOf(link)}?lng=ar`)).html);
  expect([landing.documentElement.lang, landing.documentElement.dir]).toEqual(["ar", "rtl"]);
  expect(textOf(landing, "main button")).toBe("تفعيل الحساب");
  expect(textOf(landing, "main p.hint")).toMatch(/^هذه الدعوة صالحة حتى/);
  const invalid = dom((await client.get("/invite/unknown?lng=ar")).html);
  expect(textOf(invalid, "h1")).toBe("هذا الرابط لم يعد صالحًا");
  expect([...invalid.querySelectorAll("main p")].map((p) => p.textContent)).toEqual([
    "ربما استُبدل برابط أحدث أو سُحب أو نُسخ بشكل ناقص.",
    "افتح أحدث رسالة أرسلناها إليك، أو اطلب دعوة جديدة.",
  ]);
});

it("sends an invitation in ar an Arabic email, its date in Arabic, right-to-left", async () => {
  const { mail } = await invitedByEmail(env, { locale: "ar" });
  expect(mail.subject).toBe("فعّل حسابك في Acme");
  expect(mail.text.split("\n")[0]).toBe("مرحبًا Ada،");
  const expiry = mail.text.split("\n").find((line) => line.startsWith("يعمل هذا الرابط حتى"));
  // Arabic month names, not English ones.
  expect(expiry).toMatch(/يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر/);
  expect(mail.html).toContain('<html lang="ar" dir="rtl">');
});

it("falls back to Accept-Language where there is no invitation, then to en-US", async () => {
  const french = dom((await new HttpClient(env.server.url).get("/invite/unknown", { "Accept-Language": "de-DE, fr;q=0.8" })).html);
  expect(french.documentElement.lang).toBe("fr-FR");
  expect(textOf(french, "h1")).toBe("Ce lien n’est plus valide");
  const english = dom((await new HttpClient(env.server.url).get("/invite/unknown", { "Accept-Language": "de-DE" })).html);
  expect(english.documentElement.lang).toBe("en-US");
});

it("uses the client's default language when the invitation's has no pack", async () => {
  const { link } = await invitedByEmail(env, { clientId: "partner-portal", locale: "de-DE", profile: partnerProfile() });
  const page = dom((await new HttpClient(env.server.url).get(pathOf(link), { "Accept-Language": "es-ES" })).html);
  expect(page.documentElement.lang).toBe("fr-FR");
});

function partnerProfile() {
  return { companyName: "Northwind", addressLine1: "1 Main St", city: "Lyon", postalCode: "69001", country: "France" };
}
