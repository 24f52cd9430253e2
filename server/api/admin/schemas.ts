// The admin API's shapes (docs/admin-api.md) as zod schemas: request bodies and queries are parsed
// with them, responses are built to them, and the OpenAPI document is generated from them. The
// invitation creation body is the invitation rules' own (server/invitations/invite-body.ts): the batch
// and the console's CSV rows take it too.
import { z } from "zod";
import { emailSchema, ref } from "../../invitations/invite-body.js";

/** The response's metadata: the stored profile names, with givenName/familyName mirrored for clients that use those names. */
export function metadataOut(profile: Record<string, string>): Record<string, string> {
  return {
    ...(profile.firstName ? { givenName: profile.firstName } : {}),
    ...(profile.lastName ? { familyName: profile.lastName } : {}),
    ...profile,
  };
}

export const resendBodySchema = z
  .strictObject({
    sendEmail: z.boolean().default(true).meta({ description: "false: the new link is returned as invitationUrl instead of being sent." }),
  })
  .meta({ title: "Resend options (the body is optional)" });

const iso = z.string().meta({ format: "date-time" });

export const invitationSchema = z
  .object({
    id: z.string().meta({ format: "uuid" }),
    store: z.string(),
    clientId: z.string(),
    email: z.string().nullable(),
    language: z.string(),
    organization: z.string().nullable(),
    roles: z.array(z.object({ id: z.string(), organization: z.string() })),
    groups: z.array(z.object({ id: z.string() })),
    metadata: z.record(z.string(), z.string()),
    sent: iso.nullable().meta({ description: "When the last link was handed to the outbox; null when the brand delivers it." }),
    validUntil: iso,
    kind: z.enum(["activate", "join"]).meta({
      description:
        "join: the email belongs to an active account (accountId), which joins the organization with what the invitation grants, confirming with its current password. activate: the invitee activates an account (a new one, or the pending one pre-registered for the email).",
    }),
    accountId: z
      .string()
      .nullable()
      .meta({ description: "A join invitation's account from the start; otherwise the account it produced, once Done." }),
    status: z.enum(["pending", "done", "expired"]),
    resendCount: z.number().int(),
    invitationUrl: z
      .string()
      .optional()
      .meta({ description: "Only when sendEmail was false: the link to deliver. Shown once, never stored." }),
  })
  .meta({ title: "Invitation" });
export type InvitationOut = z.output<typeof invitationSchema>;

const roleRefSchema = z.object({ id: z.string(), organization: z.string() });

export const membershipSchema = z
  .object({
    organization: z.string(),
    roles: z.array(roleRefSchema).meta({ description: "Roles in this organization." }),
    grantedBy: z
      .object({
        invitationId: z.string().meta({ format: "uuid" }),
        kind: z
          .enum(["activate", "join"])
          .meta({ description: "activate: granted when the account was activated; join: when the active account joined." }),
      })
      .nullable()
      .meta({ description: "The invitation that granted the membership; null when none is on record." }),
    grantedAt: iso,
  })
  .meta({ title: "Membership" });
export type MembershipOut = z.output<typeof membershipSchema>;

export const accountSchema = z
  .object({
    id: z.string().meta({ format: "uuid" }),
    store: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.enum(["pending", "active"]),
    profile: z.record(z.string(), z.string()),
    organization: z.string().nullable().meta({
      description:
        "Kept for clients that know one organization per account: the first (oldest) membership's; null without any. `memberships` holds every one.",
    }),
    roles: z.array(roleRefSchema).meta({ description: "Kept for compatibility: the roles of the first membership (see `organization`)." }),
    memberships: z.array(membershipSchema).meta({ description: "Every organization of the store the account belongs to, oldest first." }),
    groups: z.array(z.object({ id: z.string() })).meta({ description: "Groups are the identity store's, not an organization's." }),
    clients: z.array(z.object({ clientId: z.string() })),
    locale: z.string(),
    createdAt: iso,
  })
  .meta({ title: "Account" });
export type AccountOut = z.output<typeof accountSchema>;

export function pageSchema<T extends z.ZodType>(item: T, title: string) {
  return z
    .object({
      items: z.array(item),
      page: z.number().int().meta({ description: "Zero-based." }),
      size: z.number().int(),
      total: z.number().int(),
    })
    .meta({ title });
}
export const invitationPageSchema = pageSchema(invitationSchema, "Invitation list");
export const accountPageSchema = pageSchema(accountSchema, "Account list");

// Their messages come from the APIs' wording (field-errors.ts): a wording given here would also
// replace the bounds' ("must be at most 100").
const pageParam = z.coerce.number().int().min(0).max(100_000);
const sizeParam = z.coerce.number().int().min(1).max(100);

export const sortFields = ["created", "email", "validUntil", "status"] as const;

export const listInvitationsQuerySchema = z.object({
  status: z.enum(["pending", "done", "expired"]).optional(),
  email: emailSchema.optional().meta({ description: "Exact email address." }),
  organization: ref.optional(),
  page: pageParam.default(0),
  size: sizeParam.default(20),
  sort: z
    .string()
    .regex(
      /^-?(created|email|validUntil|status)(,(asc|desc))?$/,
      "must be one of created, email, validUntil, status, optionally followed by ,asc or ,desc",
    )
    .default("created,desc")
    .meta({ description: "field[,asc|desc]; a leading '-' also means descending." }),
});

export function parseSort(sort: string): { field: (typeof sortFields)[number]; direction: "asc" | "desc" } {
  const desc = sort.startsWith("-");
  const [field, dir] = sort.replace(/^-/, "").split(",");
  return {
    field: field as (typeof sortFields)[number],
    direction: dir === "asc" || dir === "desc" ? dir : desc || field === "created" ? "desc" : "asc",
  };
}

export const listAccountsQuerySchema = z.object({
  email: emailSchema.optional().meta({ description: "Exact email address." }),
  page: pageParam.default(0),
  size: sizeParam.default(20),
});

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string(),
          code: z.string().optional().meta({
            description:
              "A stable code where the rule has one: a configuration rule's, or `characters` for a character profile text may not hold.",
          }),
        }),
      )
      .optional(),
    conflictingId: z.string().optional().meta({ description: "409: the pending invitation that already exists." }),
  })
  .meta({ title: "Problem details (RFC 9457)" });
