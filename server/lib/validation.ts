// The rules for what people type: an email address, a mobile number, and profile text (names,
// company, address lines, the admin API's metadata). Every way in uses them: the pre-register API,
// the admin API and its batch, the console's CSV upload and invite form, and the activation form.
// Each caller brings its own words (English for the APIs, locale-pack keys for the pages); the
// rules themselves live only here.
//
// The browser runs this module too (the activation and invite forms check as the user types), so it
// imports nothing but zod/mini: classic zod or a Node module here would land in every page's bundle.
// Server schemas written in classic zod take these checks with `.check(...)`.
import * as z from "zod/mini";

/** The HTML living standard's email rule: what a browser's type=email accepts. */
export const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
export const EMAIL_MAX = 254;

/** A mobile number in E.164: a plus, then 7 to 15 digits, the first not 0. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * A phone number as people type it ("+33 6 12-34-56-78", "(+1) 555.010.0199", "0033612345678")
 * in E.164, or undefined when it is not one: spaces, dots, dashes and brackets are dropped, a
 * leading 00 is the international prefix. Used where a search box may hold a number.
 */
export function normalizePhone(text: string): string | undefined {
  const compact = text.trim().replace(/[\s.()\-\u00a0]/g, "");
  const e164 = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
  return E164.test(e164) ? e164 : undefined;
}

/** A language as the admin API and console take it: `xx-XX`. */
export const LANGUAGE = /^[a-z]{2}-[A-Z]{2}$/;

/** Characters of profile text, counted after trimming and NFC normalization. */
export const TEXT_MAX = 200;

/**
 * What profile text may not hold anywhere (before trimming): control characters (C0 with tab, CR
 * and LF, DEL, C1 with NEL), the line and paragraph separators, the bidirectional controls
 * (embeddings, overrides, isolates, LRM/RLM/ALM) and surrogate halves without their pair. They add
 * lines to messages, reorder what a reader sees, or break encoders further down.
 */
export const FORBIDDEN_TEXT = /[\p{Cc}\p{Bidi_Control}\p{Cs}\u2028\u2029]/u;

/** The issue `params.code` of a refusal for FORBIDDEN_TEXT, so callers can tell it from other failures. */
export const CHARACTERS_CODE = "characters";

export const hasForbiddenCharacters = (text: string): boolean => FORBIDDEN_TEXT.test(text);

export interface ProfileTextMessages {
  characters: string;
  tooLong: string;
}

/**
 * Profile text: refused if it holds a forbidden character (nothing else is checked then), trimmed,
 * NFC-normalized (so "José" typed with a combining accent is stored as the one-letter é), and at
 * most TEXT_MAX characters. Required or optional is the caller's choice.
 */
export function profileTextChecks(m: ProfileTextMessages): z.core.$ZodCheck<string>[] {
  return [
    z.refine((v: string) => !hasForbiddenCharacters(v), { message: m.characters, abort: true, params: { code: CHARACTERS_CODE } }),
    z.trim(),
    z.normalize("NFC"),
    z.maxLength(TEXT_MAX, m.tooLong),
  ];
}

export interface EmailMessages {
  tooLong: string;
  invalid: string;
}

/** An email address: trimmed, at most EMAIL_MAX characters, and EMAIL. Lower-casing is the caller's. */
export function emailChecks(m: EmailMessages): z.core.$ZodCheck<string>[] {
  return [z.trim(), z.maxLength(EMAIL_MAX, m.tooLong), z.regex(EMAIL, m.invalid)];
}

/** The stable code of an issue raised by these checks (CHARACTERS_CODE), if any. */
export function issueCode(issue: z.core.$ZodIssue): string | undefined {
  const code = issue.code === "custom" ? issue.params?.code : undefined;
  return typeof code === "string" ? code : undefined;
}
