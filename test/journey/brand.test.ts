// The brand's words and marks as an invitee sees them: the support line in the journey's language
// on the pages and in the email (the demo brand translates it for French and Arabic), and a brand
// without a logo shown by its name alone.
import { tenantWith } from "../support/config.js";
import { dom, invitedByEmail, pathOf, textOf } from "./support.js";
import { HttpClient } from "../support/http.js";
import { startTestEnv, useTestEnv } from "../support/env.js";

describe("the support line", () => {
  const env = useTestEnv();

  test.each([
    ["en-US", "Questions? help@acme.example"],
    ["fr-FR", "Des questions ? help@acme.example"],
    ["ar", "هل لديك أسئلة؟ help@acme.example"],
  ])("%s: the email and the journey's pages carry it in that language", async (locale, line) => {
    const { link, mail } = await invitedByEmail(env, { locale });
    expect(mail.text.split("\n").at(-1)).toBe(line);
    expect(mail.html).toContain(line);

    const client = new HttpClient(env.server.url);
    const landing = dom((await client.get(pathOf(link))).html);
    expect(landing.documentElement.lang).toBe(locale);
    expect(textOf(landing, "footer p")).toBe(line);
    // A page reached by switching language follows the switch.
    const switched = dom((await client.get(`${pathOf(link)}?lng=${locale === "fr-FR" ? "ar" : "fr-FR"}`)).html);
    expect(textOf(switched, "footer p")).not.toBe(line);
  });
});

describe("a brand without a logo", () => {
  const env = useTestEnv({ tenant: tenantWith((c) => delete c.brands[0].logoUrl) });

  test("is its name alone: no image on the pages or in the email", async () => {
    const { link, mail } = await invitedByEmail(env);
    const landing = dom((await new HttpClient(env.server.url).get(pathOf(link))).html);
    expect(landing.querySelectorAll("img")).toHaveLength(0);
    expect(textOf(landing, "header.brand-header .brand-name")).toBe("Acme");
    expect(mail.html).not.toMatch(/<img/i);
    expect(textOf(dom(mail.html), "p")).toBe("Acme");
  });

  test("the demo brand, which has one, shows it named after the brand", async () => {
    const local = await startTestEnv();
    try {
      const { link } = await invitedByEmail(local);
      const landing = dom((await new HttpClient(local.server.url).get(pathOf(link))).html);
      const logo = landing.querySelector<HTMLImageElement>("header.brand-header img");
      expect([logo?.getAttribute("src"), logo?.getAttribute("alt")]).toEqual(["/brand/acme.svg", "Acme"]);
      expect(landing.querySelector("header.brand-header .brand-name")).toBeNull();
    } finally {
      await local.close();
    }
  });
});
