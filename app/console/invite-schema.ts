// The Invite customer form's one schema (docs/admin-api.md, the console), used by the browser as the administrator types
// and by the action again. Messages are admin.json keys; the page translates them. The rules that
// need the configuration (client kinds, roles, groups) are checked by the invitation service and
// come back on the same fields. The email, language and profile text rules are
// server/lib/validation.ts's, the admin API's own.
import * as z from "zod/mini";
import { parseForm } from "~/forms";
import { EMAIL, EMAIL_MAX, emailChecks, LANGUAGE, profileTextChecks, TEXT_MAX } from "../../server/lib/validation";

/** For the pages that pick a default language. */
export { LANGUAGE };

const optionalText = z.optional(
  z.string({ error: "errors.invalid" }).check(...profileTextChecks({ characters: "errors.characters", tooLong: "errors.tooLong" })),
);
const optionalRef = z.optional(z.string({ error: "errors.invalid" }).check(z.maxLength(64, "errors.tooLong")));

/** A whole number of hours as a form sends it (1 up to 5 digits; the store's maximum is the service's rule). */
export const EXPIRES_IN_HOURS = /^[1-9][0-9]{0,4}$/;

export const PERSONAL_FIELDS = ["firstName", "lastName", "companyName", "jobTitle"] as const;

export const inviteFormSchema = z.object({
  email: z.string({ error: "errors.emailRequired" }).check(...emailChecks({ tooLong: "errors.tooLong", invalid: "errors.email" })),
  language: z.string({ error: "errors.languageRequired" }).check(z.regex(LANGUAGE, "errors.language")),
  /** Empty: "No organization". */
  organization: optionalRef,
  clientId: z.string({ error: "errors.clientRequired" }).check(z.maxLength(64, "errors.tooLong")),
  /** Empty: no role. */
  role: optionalRef,
  groups: z.optional(
    z
      .array(z.string({ error: "errors.invalid" }).check(z.maxLength(64, "errors.tooLong")), { error: "errors.invalid" })
      .check(z.maxLength(50, "errors.tooMany")),
  ),
  /** Hours, one of the offered choices (the service checks the store's maximum). Empty: the store's default. */
  expiresInHours: z.optional(z.string({ error: "errors.expiresInHours" }).check(z.regex(EXPIRES_IN_HOURS, "errors.expiresInHours"))),
  /** One of the client's registered redirect URIs (checked by the service). Empty: the client's first. */
  redirectUri: z.optional(z.string({ error: "errors.redirectUri" }).check(z.maxLength(2000, "errors.redirectUri"))),
  firstName: optionalText,
  lastName: optionalText,
  companyName: optionalText,
  jobTitle: optionalText,
});
export type InviteForm = z.infer<typeof inviteFormSchema>;

/** The inputs' native attributes (what getZodConstraint derived from the classic schema). */
export const inviteConstraint = {
  email: { required: true, maxLength: EMAIL_MAX, pattern: EMAIL.source },
  language: { required: true, pattern: LANGUAGE.source },
  organization: { required: false, maxLength: 64 },
  clientId: { required: true, maxLength: 64 },
  role: { required: false, maxLength: 64 },
  groups: { required: false, multiple: true },
  expiresInHours: { required: false, pattern: EXPIRES_IN_HOURS.source },
  redirectUri: { required: false, maxLength: 2000 },
  firstName: { required: false, maxLength: TEXT_MAX },
  lastName: { required: false, maxLength: TEXT_MAX },
  companyName: { required: false, maxLength: TEXT_MAX },
  jobTitle: { required: false, maxLength: TEXT_MAX },
};

export function parseInviteForm(payload: FormData) {
  return parseForm(payload, inviteFormSchema, { arrays: ["groups"] });
}

/** Where the service's field names land on the form (roles.0.id -> role, groups.1.id -> groups). */
export function formFieldOf(apiField: string): keyof InviteForm | "" {
  if (apiField.startsWith("roles")) return "role";
  if (apiField.startsWith("groups")) return "groups";
  if (["clientId", "organization", "email", "language", "expiresInHours", "redirectUri"].includes(apiField))
    return apiField as keyof InviteForm;
  return "";
}
