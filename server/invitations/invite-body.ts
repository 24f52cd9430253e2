// An admin invitation's body (docs/admin-api.md) as zod: POST .../invite takes it, and so does
// every row of a batch or of the console's CSV file (bulk.ts). The admin API's OpenAPI document is
// generated from it (server/api/admin/schemas.ts, server/api/openapi.ts).
import { z } from "zod";
import { profileFieldNames } from "../config/schema.js";
import { API_MESSAGES, PROFILE_TEXT_DESCRIPTION, profileTextSchema } from "../lib/api-fields.js";
import { E164, emailChecks, LANGUAGE } from "../lib/validation.js";
import type { AdminInviteInput } from "./admin.js";

/** 1 and up; the identity store's maxInvitationTtlHours is the upper bound (a 400 rule, it is configuration). */
export const expiresInHoursSchema = z.number().int().min(1).meta({
  description:
    "The link's validity in hours, from 1 to the identity store's maxInvitationTtlHours (720 by default; above it: 400). Absent: the store's invitationTtlHours.",
});

/** An id of the configuration (client, organization, role, group). */
export const ref = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-'");

/** `xx-XX`, the admin API's language format. */
export const languageSchema = z.string().regex(LANGUAGE, "must be a language tag like en-US (xx-XX)");

export const emailSchema = z
  .string()
  .check(...emailChecks(API_MESSAGES.email))
  .toLowerCase();

/** Profile fields an administrator may pre-fill; the invitee's identifier is `email`, not a profile field. */
export const metadataFieldNames = profileFieldNames.filter((n) => n !== "emailAddress");

/**
 * `metadata`: the admin API's `givenName` / `familyName` and the profile field names of the journey
 * (`firstName`, `lastName`, `companyName`, ...) are both accepted; givenName is stored as firstName
 * and familyName as lastName.
 */
export const metadataSchema = z
  .strictObject({
    givenName: profileTextSchema.optional().meta({ description: "Same as firstName." }),
    familyName: profileTextSchema.optional().meta({ description: "Same as lastName." }),
    ...(Object.fromEntries(metadataFieldNames.map((n) => [n, profileTextSchema.optional()])) as Record<
      (typeof metadataFieldNames)[number],
      z.ZodOptional<typeof profileTextSchema>
    >),
  })
  .meta({ description: PROFILE_TEXT_DESCRIPTION })
  .superRefine((m, ctx) => {
    if (m.givenName && m.firstName && m.givenName !== m.firstName)
      ctx.addIssue({ code: "custom", path: ["givenName"], message: "differs from firstName (they are the same field)" });
    if (m.familyName && m.lastName && m.familyName !== m.lastName)
      ctx.addIssue({ code: "custom", path: ["familyName"], message: "differs from lastName (they are the same field)" });
    if (m.mobileNumber && !E164.test(m.mobileNumber)) ctx.addIssue({ code: "custom", path: ["mobileNumber"], message: API_MESSAGES.phone });
  });

/** The stored pre-fill: profile field names only. */
export function profileFromMetadata(m: z.output<typeof metadataSchema>): Record<string, string> {
  const { givenName, familyName, ...rest } = m;
  const profile: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...rest, firstName: rest.firstName ?? givenName, lastName: rest.lastName ?? familyName }))
    if (typeof v === "string") profile[k] = v;
  return profile;
}

export const roleRefInputSchema = z.strictObject({
  id: ref,
  organization: ref.optional().meta({ description: "Defaults to the invitation's organization; must equal it." }),
});
export const groupRefSchema = z.strictObject({ id: ref });

export const createInvitationBodySchema = z
  .strictObject({
    clientId: ref.meta({ description: "An OAuth2/OIDC client of this identity store." }),
    email: emailSchema,
    language: languageSchema.default("en-US"),
    organization: ref.nullable().optional().meta({ description: "Absent or null: a non-organizational invitation." }),
    roles: z.array(roleRefInputSchema).max(50).default([]),
    groups: z.array(groupRefSchema).max(50).default([]),
    metadata: metadataSchema.default({}),
    sendEmail: z.boolean().default(true).meta({ description: "false: nothing is sent and the response carries invitationUrl." }),
    expiresInHours: expiresInHoursSchema.optional(),
    redirectUri: z.string().min(1).max(2000).optional().meta({
      description:
        "Where the journey hands the invitee back: one of the client's registered redirectUris (400 otherwise). Checked again at hand-off: one removed from the configuration since is refused with a page, not redirected to. Absent: the client's first redirect URI.",
    }),
  })
  .meta({ title: "Invitation creation" });
export type CreateInvitationBody = z.output<typeof createInvitationBodySchema>;

/** A parsed create body as the invitation rules take it (one row of a batch alike). */
export function toAdminInviteInput(body: CreateInvitationBody): AdminInviteInput {
  return {
    clientId: body.clientId,
    email: body.email,
    language: body.language,
    organization: body.organization ?? null,
    roles: body.roles,
    groups: body.groups,
    metadata: profileFromMetadata(body.metadata),
    sendEmail: body.sendEmail,
    ...(body.expiresInHours !== undefined ? { expiresInHours: body.expiresInHours } : {}),
    ...(body.redirectUri !== undefined ? { redirectUri: body.redirectUri } : {}),
  };
}
