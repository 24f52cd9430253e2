// The one validation module (server/lib/validation.ts) and every schema that uses it: the profile
// text rule refuses the same characters in the pre-register API, the admin API (single and batch
// rows alike), the console's invite form and the activation form, and each of them stores the
// same NFC text; the email and phone rules answer alike everywhere.
import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { activationSchema, type ActivationFormConfig } from "../../app/journey/activation-form.js";
import { inviteFormSchema } from "../../app/console/invite-schema.js";
import { createInvitationBodySchema, emailSchema, metadataSchema } from "../../server/invitations/invite-body.js";
import { profileFieldsSchema } from "../../server/api/pre-register.js";
import { E164, EMAIL, EMAIL_MAX, hasForbiddenCharacters, TEXT_MAX } from "../../server/lib/validation.js";
import { HOSTILE } from "../support/hostile-text.js";

/** Text people write, which must pass untouched. */
const FRIENDLY = ["José", "Zoë O'Brien-Smith", "محمد", "李雷", "Ærøskøbing", "👩‍💻 Dev", "Nguyễn", "می‌خواهم", "Mary\u00A0Ann"];

const journeyConfig: ActivationFormConfig = {
  fields: [
    { name: "firstName", required: true },
    { name: "companyName", required: false },
    { name: "mobileNumber", required: false },
  ],
  password: { minLength: 12, maxLength: 64 },
  identifier: { kind: "email", value: "ada@example.com", locked: false },
};
const journeyValid = {
  email: "ada@example.com",
  firstName: "Ada",
  password: "correct horse battery",
  acceptTerms: "on",
  acceptPrivacy: "on",
};

/** The activation schema on values (FormData would turn a lone surrogate into U+FFFD before it looks). */
function journey(fields: Record<string, string>) {
  const r = z.safeParse(activationSchema(journeyConfig), { ...journeyValid, ...fields });
  return r.success
    ? { ok: true as const, value: r.data as Record<string, unknown> }
    : { ok: false as const, error: flatten(r.error.issues) };
}

/** Each schema as a way in: what it does with one text field (firstName) holding `text`. */
const WAYS_IN: Record<string, (text: string) => { ok: true; stored: unknown } | { ok: false; errors: Record<string, string[]> }> = {
  "pre-register profile_fields": (text) => {
    const r = profileFieldsSchema.safeParse({ firstName: text, companyName: "Initech" });
    return r.success ? { ok: true, stored: r.data.firstName } : { ok: false, errors: flatten(r.error.issues) };
  },
  "admin API metadata (single and batch rows)": (text) => {
    const r = createInvitationBodySchema.safeParse({ clientId: "shop-web", email: "a@example.com", metadata: { firstName: text } });
    return r.success ? { ok: true, stored: r.data.metadata.firstName } : { ok: false, errors: flatten(r.error.issues) };
  },
  "admin API metadata name givenName": (text) => {
    const r = metadataSchema.safeParse({ givenName: text });
    return r.success ? { ok: true, stored: r.data.givenName } : { ok: false, errors: flatten(r.error.issues) };
  },
  "console invite form": (text) => {
    const r = z.safeParse(inviteFormSchema, { email: "a@example.com", language: "en-US", clientId: "shop-web", firstName: text });
    return r.success ? { ok: true, stored: r.data.firstName } : { ok: false, errors: flatten(r.error.issues) };
  },
  "journey activation form": (text) => {
    const r = journey({ firstName: text });
    return r.ok ? { ok: true, stored: r.value.firstName } : { ok: false, errors: r.error };
  },
};

function flatten(issues: z.core.$ZodIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) (out[issue.path.join(".")] ??= []).push(issue.message);
  return out;
}

/** The refusal each way in gives, with the field it names. */
const REFUSAL: Record<string, [string, string]> = {
  "pre-register profile_fields": ["firstName", "must not contain control characters, line breaks, tabs or bidirectional controls"],
  "admin API metadata (single and batch rows)": [
    "metadata.firstName",
    "must not contain control characters, line breaks, tabs or bidirectional controls",
  ],
  "admin API metadata name givenName": ["givenName", "must not contain control characters, line breaks, tabs or bidirectional controls"],
  "console invite form": ["firstName", "errors.characters"],
  "journey activation form": ["firstName", "characters"],
};

test("the module imports nothing but zod/mini, so the browser bundle can take it", () => {
  const source = readFileSync(new URL("../../server/lib/validation.ts", import.meta.url), "utf8");
  const imports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/gm)].map((m) => m[1]);
  expect(imports).toEqual(["zod/mini"]);
  expect(source).not.toMatch(/\bimport\(/);
});

describe.each(Object.keys(WAYS_IN))("%s", (way) => {
  const run = WAYS_IN[way]!;
  const [field, message] = REFUSAL[way]!;

  test.each(HOSTILE)("refuses %s, wherever it sits, naming the field and nothing else", (_name, c) => {
    for (const text of [`Ja${c}ne`, `${c}Jane`, `Jane${c}`]) {
      const r = run(text);
      expect(r.ok, JSON.stringify(text)).toBe(false);
      // Only the character rule speaks: no "too long" or "required" on top of it.
      if (!r.ok) expect(r.errors[field], JSON.stringify(text)).toEqual([message]);
    }
  });

  test("accepts what people write, trimmed and NFC-normalized", () => {
    for (const text of FRIENDLY) expect(run(`  ${text} `)).toEqual({ ok: true, stored: text.normalize("NFC") });
    expect(run("Jose\u0301")).toEqual({ ok: true, stored: "José" });
    // The length limit applies to what is stored.
    expect(run("é".repeat(TEXT_MAX)).ok).toBe(true);
    expect(run("e\u0301".repeat(TEXT_MAX)).ok).toBe(true);
    expect(run("x".repeat(TEXT_MAX + 1)).ok).toBe(false);
  });
});

test("every profile text field follows the rule, not only firstName", () => {
  const rlo = "Evil\u202Egnp.exe";
  const pre = profileFieldsSchema.safeParse({ lastName: rlo, companyName: rlo, jobTitle: rlo, addressLine1: rlo, city: rlo, country: rlo });
  expect(flatten(pre.error!.issues)).toEqual(
    Object.fromEntries(
      ["lastName", "companyName", "jobTitle", "addressLine1", "city", "country"].map((f) => [
        f,
        [REFUSAL["pre-register profile_fields"]![1]],
      ]),
    ),
  );
  const meta = metadataSchema.safeParse({ familyName: rlo, region: rlo, postalCode: rlo });
  expect(Object.keys(flatten(meta.error!.issues)).sort()).toEqual(["familyName", "postalCode", "region"]);
  const console_ = z.safeParse(inviteFormSchema, {
    email: "a@example.com",
    language: "en-US",
    clientId: "shop-web",
    lastName: rlo,
    companyName: rlo,
    jobTitle: rlo,
  });
  expect(flatten(console_.error!.issues)).toEqual({
    lastName: ["errors.characters"],
    companyName: ["errors.characters"],
    jobTitle: ["errors.characters"],
  });
  expect(journey({ companyName: rlo })).toEqual({ ok: false, error: { companyName: ["characters"] } });
});

test("one email rule and one phone rule everywhere", () => {
  const addresses = [
    "ann@example.com",
    "a.b+c@sub.example.org",
    "x@localhost",
    "not an email",
    "a@b",
    "a@-b.com",
    "ann@exa mple.com",
    `${"a".repeat(250)}@b.co`,
    "ann@example.com\n",
  ];
  for (const address of addresses) {
    const expected = EMAIL.test(address.trim()) && address.trim().length <= EMAIL_MAX;
    expect(emailSchema.safeParse(address).success, address).toBe(expected);
    expect(z.safeParse(inviteFormSchema, { email: address, language: "en-US", clientId: "shop-web" }).success, address).toBe(expected);
    expect(journey({ email: address }).ok, address).toBe(expected);
  }
  for (const phone of ["+14155550123", "+33612345678", "0612345678", "+0123456789", "+1 415 555 0123", "+1415555\u00000123"]) {
    const expected = E164.test(phone);
    expect(metadataSchema.safeParse({ mobileNumber: phone }).success, phone).toBe(expected);
    expect(journey({ mobileNumber: phone }).ok, phone).toBe(expected);
  }
});

test("hasForbiddenCharacters tells the class from its neighbours", () => {
  for (const [name, c] of HOSTILE) expect(hasForbiddenCharacters(`a${c}b`), name).toBe(true);
  // A surrogate pair is one character (an emoji), zero-width joiners and non-joiners shape scripts.
  for (const ok of ["😀", "👩‍💻", "می‌خواهم", "\u00A0", "\uFFFD", " "]) expect(hasForbiddenCharacters(ok), JSON.stringify(ok)).toBe(false);
});
