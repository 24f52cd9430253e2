// The Invite customer form's one schema (seed 000), used by the browser as the administrator types
// and by the action again. Messages are admin.json keys; the page translates them. The rules that
// need the configuration (client kinds, roles, groups) are checked by the invitation service and
// come back on the same fields.
import * as z from "zod/mini";
import { parseForm } from "~/forms";

/** The admin API's email rule (server/api/pre-register.ts EMAIL); a test keeps the two equal. */
export const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
export const LANGUAGE = /^[a-z]{2}-[A-Z]{2}$/;

const optionalText = z.optional(z.string({ error: "errors.invalid" }).check(z.trim(), z.maxLength(200, "errors.tooLong")));
const optionalRef = z.optional(z.string({ error: "errors.invalid" }).check(z.maxLength(64, "errors.tooLong")));

export const PERSONAL_FIELDS = ["firstName", "lastName", "companyName", "jobTitle"] as const;

export const inviteFormSchema = z.object({
  email: z
    .string({ error: "errors.emailRequired" })
    .check(z.trim(), z.maxLength(254, "errors.tooLong"), z.regex(EMAIL, "errors.email")),
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
  firstName: optionalText,
  lastName: optionalText,
  companyName: optionalText,
  jobTitle: optionalText,
});
export type InviteForm = z.infer<typeof inviteFormSchema>;

/** The inputs' native attributes (what getZodConstraint derived from the classic schema). */
export const inviteConstraint = {
  email: { required: true, maxLength: 254, pattern: EMAIL.source },
  language: { required: true, pattern: LANGUAGE.source },
  organization: { required: false, maxLength: 64 },
  clientId: { required: true, maxLength: 64 },
  role: { required: false, maxLength: 64 },
  groups: { required: false, multiple: true },
  firstName: { required: false, maxLength: 200 },
  lastName: { required: false, maxLength: 200 },
  companyName: { required: false, maxLength: 200 },
  jobTitle: { required: false, maxLength: 200 },
};

export function parseInviteForm(payload: FormData) {
  return parseForm(payload, inviteFormSchema, { arrays: ["groups"] });
}

/** Where the service's field names land on the form (roles.0.id -> role, groups.1.id -> groups). */
export function formFieldOf(apiField: string): keyof InviteForm | "" {
  if (apiField.startsWith("roles")) return "role";
  if (apiField.startsWith("groups")) return "groups";
  if (apiField === "clientId" || apiField === "organization" || apiField === "email" || apiField === "language") return apiField;
  return "";
}
