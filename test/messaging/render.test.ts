// The activation email's greeting from a stored name. Every way in refuses a name with a line
// break or another forbidden character; one stored before that rule gets the greeting without a
// name, never extra lines in the message.
import { brandSchema } from "../../server/config/schema.js";
import { I18nRegistry } from "../../server/i18n/registry.js";
import { renderActivationEmail } from "../../server/messaging/render.js";
import { HOSTILE } from "../support/hostile-text.js";

const i18n = new I18nRegistry();
const brand = brandSchema.parse({ id: "acme", name: "Acme", siteTermsUrl: "/terms", privacyPolicyUrl: "/privacy" });
const render = (name: string | undefined) =>
  renderActivationEmail(i18n, "en-US", brand, { name, validUntil: "2030-01-01T00:00:00.000Z" }, "https://invite.example/invite/abc");

test("a clean name is greeted by name", () => {
  expect(render("José").text.split("\n")[0]).toBe("Hello José,");
});

test.each(HOSTILE)("a stored name with %s: the greeting without a name, the message's lines unchanged", (_name, c) => {
  const plain = render(undefined);
  const email = render(`Ada${c}Bcc: mallory@evil.example`);
  expect(email.text).toBe(plain.text);
  expect(email.html).toBe(plain.html);
  expect(email.text).not.toContain("mallory");
});
