// The password checker on its own: the common-password list, the trivial patterns, the invitee's
// identifier and the brand's name, whitespace.
import { commonPasswordList, isCommonPassword } from "../../server/lib/common-passwords.js";
import { isMadeOf, passwordRefusal, type PasswordContext } from "../../server/lib/password-choice.js";

const ctx: PasswordContext = { emails: ["jane.doe@example.com"], phone: "+14155550123", brand: "Acme" };

it("loads the list once, lowercased, with at least the 100,000 most common passwords", async () => {
  const list = await commonPasswordList();
  expect(await commonPasswordList()).toBe(list);
  expect(list.size).toBeGreaterThanOrEqual(100_000);
  for (const entry of ["123456", "password", "qwerty", "iloveyou", "trustno1", "monkey123"]) expect(list.has(entry)).toBe(true);
  expect([...list].filter((e) => e !== e.toLowerCase() || e.endsWith("\r") || e === "")).toEqual([]);
});

it("refuses the passwords anyone would guess, whatever their case", async () => {
  for (const p of ["aaaaaaaaaaaa", "passwordpassword", "123456789012", "PassWordPassWord", "Password1234", "iloveyou1234"])
    expect([p, await isCommonPassword(p)]).toEqual([p, true]);
});

it("counts one repeated character, a run and a repeated short or common piece as common", async () => {
  // None of these is in the list: the patterns alone refuse them.
  const patterns = ["§§§§§§§§§§§§", "klmnopqrstuv", "zyxwvutsrqpo", "7890123456789", "poiuytreza", "ab1ab1ab1ab1ab1ab1", "zebrazebrazebra"];
  const list = await commonPasswordList();
  for (const p of patterns) {
    expect([p, list.has(p)]).toEqual([p, false]);
    expect([p, await isCommonPassword(p)]).toEqual([p, true]);
  }
});

it("keeps passwords that are not common", async () => {
  for (const p of ["correct horse battery staple", "x7$Lq!9vR2#m", "1234abcd1234wq", "tr0ub4dor&3 zebra", "Gràce Hoppér 1906"])
    expect([p, await isCommonPassword(p)]).toEqual([p, false]);
});

it("says a password is made of a term when the term with digits or symbols around it, or the bulk of it", () => {
  expect(isMadeOf("Acme2024!!!!", "Acme")).toBe(true);
  expect(isMadeOf("2024-ACME-2024", "Acme")).toBe(true);
  expect(isMadeOf("AcmeAcmeLogin", "Acme")).toBe(true);
  expect(isMadeOf("Jane.Doe@Example.com", "jane.doe@example.com")).toBe(true);
  expect(isMadeOf("janedoe 1990", "jane.doe")).toBe(true);
  expect(isMadeOf("+1 415 555 0123", "+14155550123")).toBe(true);
  expect(isMadeOf("my acme shopping list", "Acme")).toBe(false);
  expect(isMadeOf("correct horse battery staple", "Acme")).toBe(false);
  // Too short to mean anything.
  expect(isMadeOf("hp1234567890", "HP")).toBe(false);
});

it("refuses only whitespace, then the invitee's identifier or the brand, then a common password", async () => {
  expect(await passwordRefusal("            ", ctx)).toBe("passwordBlank");
  expect(await passwordRefusal("\t \u00a0\u2003\n  \u3000    ", ctx)).toBe("passwordBlank");
  expect(await passwordRefusal("jane.doe@example.com", ctx)).toBe("passwordPersonal");
  expect(await passwordRefusal("JaneDoe2024!", ctx)).toBe("passwordPersonal");
  expect(await passwordRefusal("14155550123!", ctx)).toBe("passwordPersonal");
  expect(await passwordRefusal("ACME-ACME-ACME", ctx)).toBe("passwordPersonal");
  expect(await passwordRefusal("grace.hopper@example.com", { emails: [null, "grace.hopper@example.com"], brand: "Acme" })).toBe(
    "passwordPersonal",
  );
  expect(await passwordRefusal("passwordpassword", ctx)).toBe("passwordCommon");
  expect(await passwordRefusal("correct horse battery staple", ctx)).toBeUndefined();
  expect(await passwordRefusal("correct horse battery staple", { emails: [null], phone: null, brand: "Acme" })).toBeUndefined();
});
