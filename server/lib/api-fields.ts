// The validation rules (validation.ts) as both APIs state them: classic zod, with the APIs' English
// (the pages use locale-pack keys instead). The pre-register API, the admin API and the bulk rows
// all take profile text through profileTextSchema.
import { z } from "zod";
import { EMAIL_MAX, profileTextChecks, TEXT_MAX } from "./validation.js";

/** The APIs' English for these rules (the pages use locale-pack keys instead); the admin API says the same. */
export const API_MESSAGES = {
  text: {
    characters: "must not contain control characters, line breaks, tabs or bidirectional controls",
    tooLong: `must be at most ${TEXT_MAX} characters`,
  },
  email: { tooLong: `must be at most ${EMAIL_MAX} characters`, invalid: "must be an email address" },
  phone: "must be an E.164 number such as +14155550123",
} as const;

/** Profile text as both APIs take it (the admin API's metadata too). */
export const profileTextSchema = z.string().check(...profileTextChecks(API_MESSAGES.text), z.minLength(1, "must not be empty"));
export const PROFILE_TEXT_DESCRIPTION =
  "Every value is trimmed and stored NFC-normalized; control characters (tab, CR and LF included), line and paragraph separators, bidirectional controls and lone surrogates are refused (code `characters`).";
