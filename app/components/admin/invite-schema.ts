// The Invite customer form's one schema (seed 000), used by the browser as the administrator types
// and by the action again. Messages are admin.json keys; the page translates them. The rules that
// need the configuration (client kinds, roles, groups) are checked by the invitation service and
// come back on the same fields.
import { z } from "zod";

/** The admin API's email rule (server/api/pre-register.ts EMAIL); a test keeps the two equal. */
export const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
export const LANGUAGE = /^[a-z]{2}-[A-Z]{2}$/;

const optionalText = z.string({ error: "errors.invalid" }).trim().max(200, "errors.tooLong").optional();
const optionalRef = z.string({ error: "errors.invalid" }).max(64, "errors.tooLong").optional();

export const PERSONAL_FIELDS = ["firstName", "lastName", "companyName", "jobTitle"] as const;

export const inviteFormSchema = z.object({
  email: z
    .string({ error: "errors.emailRequired" })
    .trim()
    .max(254, "errors.tooLong")
    .regex(EMAIL, "errors.email"),
  language: z.string({ error: "errors.languageRequired" }).regex(LANGUAGE, "errors.language"),
  /** Empty: "No organization". */
  organization: optionalRef,
  clientId: z.string({ error: "errors.clientRequired" }).max(64, "errors.tooLong"),
  /** Empty: no role. */
  role: optionalRef,
  groups: z
    .array(z.string({ error: "errors.invalid" }).max(64, "errors.tooLong"), { error: "errors.invalid" })
    .max(50, "errors.tooMany")
    .optional(),
  firstName: optionalText,
  lastName: optionalText,
  companyName: optionalText,
  jobTitle: optionalText,
});
export type InviteForm = z.infer<typeof inviteFormSchema>;

/** Where the service's field names land on the form (roles.0.id -> role, groups.1.id -> groups). */
export function formFieldOf(apiField: string): keyof InviteForm | "" {
  if (apiField.startsWith("roles")) return "role";
  if (apiField.startsWith("groups")) return "groups";
  if (apiField === "clientId" || apiField === "organization" || apiField === "email" || apiField === "language") return apiField;
  return "";
}
