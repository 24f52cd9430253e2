// The join confirmation form: the account's current password, and the brand's terms when the
// client asks for them again. One zod/mini schema, built from what the server knows, validates in
// the browser and again in the action; messages are error codes of journey:errors.
import * as z from "zod/mini";
import { parseForm } from "../forms";

export interface JoinFormConfig {
  /** The store's password policy maximum: no password of the account is longer. */
  passwordMax: number;
  /** The client's requireTermsOnJoin. */
  requireTerms: boolean;
}

/** Error codes: keys of journey:errors. */
export type JoinErrorCode = "required" | "passwordTooLong" | "passwordWrong" | "termsRequired" | "privacyRequired" | "csrf";

const err = (code: JoinErrorCode) => ({ error: code });

export function joinSchema(cfg: JoinFormConfig) {
  const shape: Record<string, z.ZodMiniType> = {
    password: z.string(err("required")).check(z.minLength(1, err("required")), z.maxLength(cfg.passwordMax, err("passwordTooLong"))),
  };
  if (cfg.requireTerms) {
    shape.acceptTerms = z.literal("on", err("termsRequired"));
    shape.acceptPrivacy = z.literal("on", err("privacyRequired"));
  }
  return z.object(shape);
}

/** The inputs' native attributes, from the same configuration as the schema. */
export function joinConstraint(cfg: JoinFormConfig) {
  const constraint: Record<string, { required: boolean; maxLength?: number }> = {
    password: { required: true, maxLength: cfg.passwordMax },
  };
  if (cfg.requireTerms) constraint.acceptTerms = constraint.acceptPrivacy = { required: true };
  return constraint;
}

export function parseJoin(payload: FormData, schema: ReturnType<typeof joinSchema>) {
  return parseForm(payload, schema);
}
