// Whether a chosen password may be kept, beyond its length (which the activation form's schema
// checks): not only whitespace, not made of the invitee's identifier or the brand's name, not a
// common password. Server only; the answer is an error code of the activation form.
import type { ErrorCode } from "../../app/journey/activation-form.js";
import { isCommonPassword } from "./common-passwords.js";

export type PasswordRefusal = Extract<ErrorCode, "passwordBlank" | "passwordPersonal" | "passwordCommon">;

/** What the password must not be made of: the invitee's email and phone number, the brand's name. */
export interface PasswordContext {
  emails: (string | null | undefined)[];
  phone?: string | null;
  brand: string;
}

/** Shorter words (a brand "HP", a local part "jo") would match too much to mean anything. */
const MIN_TERM = 3;

/** Letters and digits only, lowercased: "Jane.Doe@Example.com" and "jane doe example com" compare equal. */
const letterAndDigits = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

function terms(ctx: PasswordContext): string[] {
  const words = [ctx.brand, ctx.phone ?? ""];
  for (const email of ctx.emails) if (email) words.push(email, email.slice(0, email.lastIndexOf("@")));
  return [...new Set(words.map(letterAndDigits))].filter((t) => t.length >= MIN_TERM);
}

/**
 * Made of a term: comparing letters and digits only, without regard to case, the password contains
 * the term and either what is left once every occurrence is taken out has no letter (the term with
 * digits, symbols or spaces around it: "Acme2024!", "jane.doe@example.com") or the occurrences are
 * at least half of it ("AcmeAcmeLogin").
 */
export function isMadeOf(password: string, term: string): boolean {
  const p = letterAndDigits(password);
  const t = letterAndDigits(term);
  if (t.length < MIN_TERM || !p.includes(t)) return false;
  const rest = p.split(t).join("");
  return !/\p{L}/u.test(rest) || p.length - rest.length >= rest.length;
}

/** Why the password is refused, or undefined when it may be kept. */
export async function passwordRefusal(password: string, ctx: PasswordContext): Promise<PasswordRefusal | undefined> {
  if (!password.trim()) return "passwordBlank";
  if (terms(ctx).some((term) => isMadeOf(password, term))) return "passwordPersonal";
  if (await isCommonPassword(password)) return "passwordCommon";
  return undefined;
}
