// A message is written wholly in one language: the invitation's when its email pack is complete
// (the shipped packs, with the brand's overrides), else en-US; subject, body, date and support
// line alike. And the brand's words: the support line per language, the name where no logo is.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brandSchema } from "../../server/config/schema.js";
import { I18nRegistry, LOCALES_DIR } from "../../server/i18n/registry.js";
import { formatExpiry, renderActivationEmail, renderActivationSms } from "../../server/messaging/render.js";

const VALID_UNTIL = "2030-01-15T09:30:00.000Z";
const LINK = "https://invite.example/invite/abc";
const i18n = new I18nRegistry();
const brandOf = (extra: Record<string, unknown> = {}) =>
  brandSchema.parse({ id: `b${Math.random()}`, name: "Acme", siteTermsUrl: "/terms", privacyPolicyUrl: "/privacy", ...extra });
const brand = brandOf({ supportText: "Questions? help@acme.example" });
const email = (lng: string, b = brand, registry = i18n) =>
  renderActivationEmail(registry, lng, b, { name: "Ada", validUntil: VALID_UNTIL }, LINK);
const sms = (lng: string, b = brand, registry = i18n) => renderActivationSms(registry, lng, b, { validUntil: VALID_UNTIL }, LINK);
/** Latin words outside the link, the brand, the name and the (untranslated) support line: English left in a message. */
const latinWords = (text: string) =>
  text
    .replace(LINK, "")
    .replace("Questions? help@acme.example", "")
    .replace(/Acme|Ada|UTC/g, "")
    .match(/[A-Za-z]{2,}/g) ?? [];

describe("an invitation in ar", () => {
  test("gets its email wholly in Arabic, its date in Arabic, right-to-left", () => {
    const m = email("ar");
    expect(m.subject).toBe("فعّل حسابك في Acme");
    expect(m.text.split("\n")[0]).toBe("مرحبًا Ada،");
    expect(m.text).toContain(formatExpiry(VALID_UNTIL, "ar"));
    expect(latinWords(m.text)).toEqual([]);
    expect(m.html).toContain('<html lang="ar" dir="rtl">');
  });

  test("gets its SMS in Arabic", () => {
    const text = sms("ar");
    expect(text.startsWith("Acme: فعّل حسابك عبر")).toBe(true);
    expect(latinWords(text)).toEqual([]);
  });
});

describe("a language whose email pack is incomplete", () => {
  // en-US and a German pack with the pages' namespaces and a partial email pack.
  const dir = mkdtempSync(path.join(tmpdir(), "locales-"));
  cpSync(path.join(LOCALES_DIR, "en-US"), path.join(dir, "en-US"), { recursive: true });
  mkdirSync(path.join(dir, "de-DE"));
  cpSync(path.join(LOCALES_DIR, "en-US", "common.json"), path.join(dir, "de-DE", "common.json"));
  writeFileSync(path.join(dir, "de-DE", "email.json"), JSON.stringify({ activation: { subject: "Aktivieren Sie Ihr {{brand}}-Konto" } }));
  const partial = new I18nRegistry(dir);

  test("gets the whole message in en-US, date and direction included, never half and half", () => {
    expect(partial.resolve("de-DE")).toBe("de-DE");
    const m = email("de-DE", brand, partial);
    expect(m).toEqual(email("en-US", brand, partial));
    expect(m.subject).toBe("Activate your Acme account");
    expect(m.text).toContain(formatExpiry(VALID_UNTIL, "en-US"));
    expect(m.html).toContain('<html lang="en-US" dir="ltr">');
    expect(sms("de-DE", brand, partial)).toBe(sms("en-US", brand, partial));
  });

  test("a brand's overrides that fill the pack's gaps make it whole", () => {
    const english = JSON.parse(JSON.stringify(partial.shippedPacks["en-US"]!.email)) as Record<string, Record<string, string>>;
    const overrides = Object.fromEntries(
      Object.entries(english).flatMap(([section, keys]) => Object.entries(keys).map(([k, v]) => [`${section}.${k}`, `DE ${v}`])),
    );
    delete overrides["activation.subject"];
    const b = brandOf({ locales: { "de-DE": { email: overrides } } });
    const m = email("de-DE", b, partial);
    expect(m.subject).toBe("Aktivieren Sie Ihr Acme-Konto");
    expect(m.text.split("\n")[0]).toBe("DE Hello Ada,");
    expect(m.html).toContain('lang="de-DE"');
  });
});

describe("the brand's support line", () => {
  const translated = brandOf({
    supportText: "Questions? help@acme.example",
    locales: {
      "fr-FR": { common: { "brand.supportText": "Des questions ? help@acme.example" } },
      ar: { common: { "brand.supportText": "هل لديك أسئلة؟ help@acme.example" } },
    },
  });

  test.each([
    ["en-US", "Questions? help@acme.example"],
    ["fr-FR", "Des questions ? help@acme.example"],
    ["ar", "هل لديك أسئلة؟ help@acme.example"],
  ])("%s: the line in that language, in the text and the HTML", (lng, line) => {
    const m = email(lng, translated);
    expect(m.text.split("\n").at(-1)).toBe(line);
    expect(m.html).toContain(`<p style="font-size:13px;color:#555">${line}</p>`);
  });

  test("the configuration's line in every language the brand did not translate", () => {
    expect(email("fr-FR").text.split("\n").at(-1)).toBe("Questions? help@acme.example");
  });

  test("no line when the brand has none", () => {
    const m = email("fr-FR", brandOf());
    expect(m.text.split("\n").at(-1)).toMatch(/^Si vous n’attendiez pas/);
    expect(m.html).not.toContain('color:#555"></p>');
  });
});

test("a brand without a logo: the email shows its name, and no image", () => {
  const m = email("en-US", brandOf({ logoUrl: null }));
  expect(m.html).not.toMatch(/<img/i);
  expect(m.html).toContain('<p style="font-size:18px;font-weight:bold;margin:0 0 16px">Acme</p>');
});
