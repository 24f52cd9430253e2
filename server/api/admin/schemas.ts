// The admin API's shapes (docs/admin-api.md) as zod schemas: request bodies and queries are parsed
// with them, responses are built to them, and the OpenAPI document is generated from them. The
// invitation creation body is the invitation rules' own (server/invitations/invite-body.ts): the batch
// and the console's CSV rows take it too.
import { z } from "zod";
import { emailSchema, expiresInHoursSchema, languageSchema, ref } from "../../invitations/invite-body.js";
import { deliveryErrorClasses } from "../../messaging/delivery-errors.js";

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
    language: languageSchema
      .optional()
      .meta({ description: "The new message's language; the invitation keeps it (its later messages and its journey use it)." }),
    expiresInHours: expiresInHoursSchema.optional(),
  })
  .meta({ title: "Resend options (the body is optional)" });

const iso = z.string().meta({ format: "date-time" });

export const invitedBySchema = z
  .object({
    type: z.enum(["token", "console", "client"]),
    name: z.string().meta({ description: "The admin token's or console administrator's configured name; the client id for `client`." }),
  })
  .nullable()
  .meta({
    title: "Invited by",
    description:
      "Who sent the invitation: an admin API token, a console administrator, or (pre-register) the client. null: an admin invitation made before this was recorded.",
  });

export const deliverySchema = z
  .object({
    id: z.string().meta({ format: "uuid" }),
    channel: z.enum(["email", "sms"]),
    status: z.enum(["queued", "sent", "retrying", "abandoned"]).meta({
      description: "queued: not tried yet; retrying: failed at least once, tried again later; abandoned: given up on (docs/operations.md).",
    }),
    attempts: z.number().int().meta({ description: "Failed attempts before it was sent, or all of them." }),
    lastAttemptAt: iso.nullable(),
    sentAt: iso.nullable(),
    error: z
      .string()
      .nullable()
      .meta({
        description: `The last failure's class, one of: ${deliveryErrorClasses.join(", ")}. Never an address or the mail server's own words; null once sent or before any failure.`,
      }),
  })
  .meta({ title: "Delivery" });

export const invitationSchema = z
  .object({
    id: z.string().meta({ format: "uuid" }),
    store: z.string(),
    clientId: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable().meta({ description: "E.164; pre-registered SMS invitations only." }),
    channel: z.enum(["email", "sms"]),
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
    redirectUri: z
      .string()
      .nullable()
      .meta({ description: "The return address given at creation; null: the client's first redirect URI." }),
    invitedBy: invitedBySchema,
    remindedAt: iso.nullable().meta({ description: "When its one reminder before expiry went out (reminderHoursBeforeExpiry)." }),
    remindersSent: z
      .number()
      .int()
      .meta({ description: "Reminders sent for the current link: 0 or 1 (a resend starts the count again), beside resendCount." }),
    deliveries: z
      .array(deliverySchema)
      .optional()
      .meta({ description: "GET .../invite/{id} only: every email or SMS of the invitation, oldest first." }),
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

export const sortFields = ["created", "email", "validUntil", "status", "sent"] as const;

export const listInvitationsQuerySchema = z.object({
  status: z.enum(["pending", "done", "expired"]).optional(),
  email: emailSchema.optional().meta({ description: "Exact email address." }),
  q: z.string().trim().min(1).max(254).optional().meta({
    description:
      "Search: part of the email address (case-insensitive), or a phone number in any usual spelling (+33 6 12 34 56 78, 0033612345678), matched in E.164.",
  }),
  organization: ref.optional(),
  clientId: ref.optional(),
  channel: z.enum(["email", "sms"]).optional(),
  delivery: z
    .enum(["queued", "sent", "retrying", "abandoned"])
    .optional()
    .meta({ description: "The status of the invitation's latest email or SMS (see `deliveries`)." }),
  page: pageParam.default(0).meta({ description: "Zero-based. A page past the end answers an empty list with the total." }),
  size: sizeParam.default(20),
  sort: z
    .string()
    .regex(
      /^-?(created|email|validUntil|status|sent)(,(asc|desc))?$/,
      "must be one of created, email, validUntil, status, sent, optionally followed by ,asc or ,desc",
    )
    .default("created,desc")
    .meta({
      description: "field[,asc|desc]; a leading '-' also means descending. `sent`: the last time a link was sent (never sent: last).",
    }),
  format: z.enum(["json", "csv"]).optional().meta({
    description: "csv (or Accept: text/csv): every invitation matching the filters, all pages, as a CSV file (at most 10,000 rows).",
  }),
});

export function parseSort(sort: string): { field: (typeof sortFields)[number]; direction: "asc" | "desc" } {
  const desc = sort.startsWith("-");
  const [field, dir] = sort.replace(/^-/, "").split(",");
  return {
    field: field as (typeof sortFields)[number],
    direction: dir === "asc" || dir === "desc" ? dir : desc || field === "created" || field === "sent" ? "desc" : "asc",
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
