// The activation form (docs/journey.md): one zod schema, built by a factory from what the server
// knows (the client's required fields, the store's password policy, whether the identifier is
// locked), validates in the browser and again in the action. One password field, which the invitee
// may show to check what they typed, rather than a second one to type it again; fields the form
// does not have are ignored. Messages are error codes, translated by the page
// (journey:errors.<code>), so client and server say the same words in the invitee's language. The text, email and phone rules are server/lib/validation.ts's,
// the very ones the APIs apply.
//
// Weight: zod/mini through app/forms.ts (see there), and activationConstraint states the native
// attributes that @conform-to/zod's getZodConstraint would have derived.
import * as z from "zod/mini";
import { parseForm } from "../forms";
import type { ProfileFieldName } from "../../server/config/schema";
import { E164, EMAIL_MAX, emailChecks, profileTextChecks, TEXT_MAX } from "../../server/lib/validation";

export type ProfileField = Exclude<ProfileFieldName, "emailAddress">;

interface FieldMeta {
  type: "text" | "tel";
  autoComplete: string;
}

/** Every profile field the form can show, in display order, with its input type and autofill token. */
export const PROFILE_FIELDS: Record<ProfileField, FieldMeta> = {
  firstName: { type: "text", autoComplete: "given-name" },
  lastName: { type: "text", autoComplete: "family-name" },
  companyName: { type: "text", autoComplete: "organization" },
  jobTitle: { type: "text", autoComplete: "organization-title" },
  mobileNumber: { type: "tel", autoComplete: "tel" },
  addressLine1: { type: "text", autoComplete: "address-line1" },
  addressLine2: { type: "text", autoComplete: "address-line2" },
  city: { type: "text", autoComplete: "address-level2" },
  postalCode: { type: "text", autoComplete: "postal-code" },
  region: { type: "text", autoComplete: "address-level1" },
  country: { type: "text", autoComplete: "country-name" },
};

export const isProfileField = (name: string): name is ProfileField => Object.hasOwn(PROFILE_FIELDS, name);

/** What the page needs to build the form and its schema; computed by the server from the invitation. */
export interface ActivationFormConfig {
  fields: { name: ProfileField; required: boolean }[];
  password: { minLength: number; maxLength: number };
  identifier: { kind: "email" | "phone"; value: string; locked: boolean };
}

/** Error codes: keys of journey:errors. */
export type ErrorCode =
  | "required"
  | "tooLong"
  | "characters"
  | "email"
  | "phone"
  | "passwordTooShort"
  | "passwordTooLong"
  // Refused by the server only (server/lib/password-choice.ts), so the list stays off the browser.
  | "passwordBlank"
  | "passwordPersonal"
  | "passwordCommon"
  | "termsRequired"
  | "privacyRequired"
  | "identifierTaken"
  | "csrf";

const err = (code: ErrorCode) => ({ error: code });
const TEXT_MESSAGES: Record<"characters" | "tooLong", ErrorCode> = { characters: "characters", tooLong: "tooLong" };
const EMAIL_MESSAGES: Record<"tooLong" | "invalid", ErrorCode> = { tooLong: "tooLong", invalid: "email" };

function text(required: boolean, ...checks: z.core.$ZodCheck<string>[]) {
  const s = z.string(err("required")).check(...profileTextChecks(TEXT_MESSAGES), ...checks);
  return required ? s.check(z.minLength(1, err("required"))) : z.optional(s);
}

/** The editable email exists only when the identifier is not locked (and it is an email). */
export function editsEmail(cfg: ActivationFormConfig): boolean {
  return cfg.identifier.kind === "email" && !cfg.identifier.locked;
}

export function activationSchema(cfg: ActivationFormConfig) {
  const { minLength, maxLength } = cfg.password;
  const shape: Record<string, z.ZodMiniType> = {};
  if (editsEmail(cfg)) shape.email = z.string(err("required")).check(...emailChecks(EMAIL_MESSAGES));
  for (const { name, required } of cfg.fields)
    shape[name] = name === "mobileNumber" ? text(required, z.regex(E164, err("phone"))) : text(required);
  shape.password = z
    .string(err("required"))
    .check(z.minLength(minLength, err("passwordTooShort")), z.maxLength(maxLength, err("passwordTooLong")));
  shape.acceptTerms = z.literal("on", err("termsRequired"));
  shape.acceptPrivacy = z.literal("on", err("privacyRequired"));
  return z.object(shape);
}

/** The inputs' native attributes (required, lengths), from the same configuration as the schema. */
export function activationConstraint(cfg: ActivationFormConfig) {
  const constraint: Record<string, { required?: boolean; minLength?: number; maxLength?: number }> = {};
  if (editsEmail(cfg)) constraint.email = { required: true, maxLength: EMAIL_MAX };
  for (const { name, required } of cfg.fields) constraint[name] = { required, maxLength: TEXT_MAX };
  constraint.password = { required: true, ...cfg.password };
  for (const name of ["acceptTerms", "acceptPrivacy"]) constraint[name] = { required: true };
  return constraint;
}

/** The form data through the schema, as a conform submission; used by the page and the action. */
export function parseActivation(payload: FormData, schema: ReturnType<typeof activationSchema>) {
  return parseForm(payload, schema);
}

/** The valid form's values, split into what acceptInvitation() takes. */
export function activationInput(cfg: ActivationFormConfig, value: Record<string, unknown>) {
  const profile: Record<string, string> = {};
  for (const { name } of cfg.fields) {
    const v = value[name];
    if (typeof v === "string" && v) profile[name] = v;
  }
  return {
    password: String(value.password),
    profile,
    email: editsEmail(cfg) ? String(value.email) : null,
  };
}
