// The tenant configuration file (docs/configuration.md): one zod schema is the source of truth for the
// start-up validation, the published JSON Schema (config/tenant.schema.json) and the TypeScript types.
import { z } from "zod";
import { invitationEventTypes } from "../events/types.js";

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-'");
const secretHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be 'sha256:' followed by 64 lowercase hex digits (npm run secret)");
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #0b5fff");
const urlOrPath = z.string().refine((v) => v.startsWith("/") || /^https?:\/\//.test(v), "must be an http(s) URL or a path starting with /");
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const origin = z.string().regex(/^https?:\/\/[^/\s?#]+$/, "must be an origin like https://shop.example (no path)");
export const localeTag = z.string().regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, "must be a language tag like en-US");

export const scopes = ["read:account", "write:account"] as const;
export const scopeSchema = z.enum(scopes);

/** Profile fields an invitation may pre-fill and a client may require (pre-register, the activation form). */
export const profileFieldNames = [
  "firstName",
  "lastName",
  "companyName",
  "jobTitle",
  "mobileNumber",
  "emailAddress",
  "addressLine1",
  "addressLine2",
  "city",
  "postalCode",
  "region",
  "country",
] as const;
export type ProfileFieldName = (typeof profileFieldNames)[number];
export const profileFieldName = z.enum(profileFieldNames);

export const adminTokenSchema = z.strictObject({
  name: id,
  hash: secretHash,
  scopes: z.array(scopeSchema).min(1),
});

export const brandSchema = z.strictObject({
  id,
  name: z.string().min(1).max(100),
  logoUrl: urlOrPath.nullable().default(null),
  primaryColor: color.default("#0b5fff"),
  backgroundColor: color.default("#ffffff"),
  siteTermsUrl: urlOrPath,
  privacyPolicyUrl: urlOrPath,
  supportText: z.string().max(500).default("").meta({
    description:
      'The support line under every journey page and activation email, in every language; translate it per language with locales.<language>.common["brand.supportText"].',
  }),
  /** Locale-pack overrides: language -> namespace -> key -> text (docs/translating.md). */
  locales: z.record(localeTag, z.record(z.string(), z.record(z.string(), z.string()))).default({}),
});

export const organizationSchema = z.strictObject({
  id,
  name: z.string().min(1).max(100),
  roles: z.array(z.strictObject({ id, name: z.string().min(1).max(100) })).default([]),
});

export const identityStoreSchema = z.strictObject({
  name: id,
  identifiers: z.array(z.enum(["EMAIL", "PHONE"])).min(1),
  defaultLocale: localeTag.default("en-US"),
  invitationTtlHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(168)
    .meta({ description: "How long an invitation's link is valid when the invitation does not say (expiresInHours)." }),
  maxInvitationTtlHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(720)
    .meta({ description: "The longest validity an administrator may give one invitation (expiresInHours); at least invitationTtlHours." }),
  reminderHoursBeforeExpiry: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .nullable()
    .default(null)
    .meta({
      description:
        "Off (null) by default. When set, a still-pending invitation gets one reminder, with a new link, this many hours before it expires; less than invitationTtlHours.",
    }),
  passwordPolicy: z
    .strictObject({
      minLength: z.number().int().min(8).max(128).default(12),
      maxLength: z.number().int().min(16).max(1024).default(256),
    })
    .default({ minLength: 12, maxLength: 256 }),
  groups: z.array(z.strictObject({ id, name: z.string().min(1).max(100) })).default([]),
  organizations: z.array(organizationSchema).default([]),
});

export const clientSchema = z.strictObject({
  clientId: id,
  secretHash,
  type: z.enum(["oauth2", "saml2"]),
  enabled: z.boolean().default(true),
  redirectUris: z.array(httpUrl).min(1),
  loginUrl: httpUrl.nullable().default(null),
  defaultLocale: localeTag.nullable().default(null),
  authTypes: z
    .array(z.enum(["email", "sms"]))
    .min(1)
    .default(["email"]),
  requiredProfileFields: z.array(profileFieldName).default([]),
  resendInvite: z.boolean().default(true),
  frameAncestors: z.array(origin).default([]),
  /** Shown as "Forgot your password?" where an existing account confirms with its password (joining). */
  passwordResetUrl: httpUrl.nullable().default(null),
  /** Joining through this client asks to accept the brand's terms and privacy notice again. */
  requireTermsOnJoin: z.boolean().default(false),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(600),
});

export const applicationSchema = z.strictObject({
  id,
  name: z.string().min(1).max(100),
  store: id,
  organizational: z.boolean().default(false),
  groups: z.array(id).default([]),
  brand: id,
  selfServicePolicy: z
    .strictObject({
      inviteMethodReadOnly: z.boolean().default(true),
      allowDifferentEmail: z.boolean().default(false),
    })
    .default({ inviteMethodReadOnly: true, allowDifferentEmail: false }),
  clients: z.array(clientSchema).default([]),
});

/**
 * A webhook endpoint (docs/webhooks.md). The signing secret is not in the file: `secretEnv` names
 * the environment variable that holds it, read at start-up (docs/webhooks.md).
 */
export const webhookSchema = z.strictObject({
  id,
  url: httpUrl,
  events: z
    .array(z.enum(invitationEventTypes))
    .min(1)
    .default([...invitationEventTypes]),
  secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, "must be the name of an environment variable, like ACME_WEBHOOK_SECRET"),
});

const tenantShape = z.strictObject({
  $schema: z.string().optional(),
  // An absolute URL, or a path on this server (the demo points at its own /dev/authorize stand-in).
  authorizationEndpoint: urlOrPath,
  adminTokens: z.array(adminTokenSchema).default([]),
  brands: z.array(brandSchema).min(1),
  identityStores: z.array(identityStoreSchema).min(1),
  applications: z.array(applicationSchema).default([]),
  webhooks: z.array(webhookSchema).default([]),
});

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

/** The file's shape plus the cross-references between its parts. */
export const tenantConfigSchema = tenantShape.superRefine((cfg, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const brandIds = new Set(cfg.brands.map((b) => b.id));
  const stores = new Map(cfg.identityStores.map((s) => [s.name, s]));
  for (const d of duplicates(cfg.brands.map((b) => b.id))) issue(["brands"], `duplicate brand id '${d}'`);
  for (const d of duplicates(cfg.identityStores.map((s) => s.name))) issue(["identityStores"], `duplicate identity store '${d}'`);
  for (const d of duplicates(cfg.applications.map((a) => a.id))) issue(["applications"], `duplicate application id '${d}'`);
  for (const d of duplicates(cfg.applications.flatMap((a) => a.clients.map((c) => c.clientId))))
    issue(["applications"], `duplicate clientId '${d}'`);
  for (const d of duplicates(cfg.adminTokens.map((t) => t.name))) issue(["adminTokens"], `duplicate admin token name '${d}'`);
  for (const d of duplicates(cfg.webhooks.map((w) => w.id))) issue(["webhooks"], `duplicate webhook id '${d}'`);
  cfg.identityStores.forEach((store, i) => {
    if (store.maxInvitationTtlHours < store.invitationTtlHours)
      issue(
        ["identityStores", i, "maxInvitationTtlHours"],
        `must be at least invitationTtlHours (${store.invitationTtlHours}), the validity of an invitation that does not say`,
      );
    if (store.reminderHoursBeforeExpiry !== null && store.reminderHoursBeforeExpiry >= store.invitationTtlHours)
      issue(
        ["identityStores", i, "reminderHoursBeforeExpiry"],
        `must be less than invitationTtlHours (${store.invitationTtlHours}): the reminder would go out with the invitation`,
      );
  });
  cfg.webhooks.forEach((w, i) => {
    for (const d of duplicates(w.events)) issue(["webhooks", i, "events"], `event '${d}' is listed twice`);
  });
  cfg.applications.forEach((app, i) => {
    const store = stores.get(app.store);
    if (!store) issue(["applications", i, "store"], `unknown identity store '${app.store}'`);
    if (!brandIds.has(app.brand)) issue(["applications", i, "brand"], `unknown brand '${app.brand}'`);
    app.groups.forEach((g, j) => {
      if (store && !store.groups.some((sg) => sg.id === g))
        issue(["applications", i, "groups", j], `group '${g}' is not a group of store '${app.store}'`);
    });
    app.clients.forEach((client, j) => {
      if (client.authTypes.includes("sms") && store && !store.identifiers.includes("PHONE"))
        issue(["applications", i, "clients", j, "authTypes"], `'sms' needs the store to support the PHONE identifier`);
      if (client.authTypes.includes("email") && store && !store.identifiers.includes("EMAIL"))
        issue(["applications", i, "clients", j, "authTypes"], `'email' needs the store to support the EMAIL identifier`);
    });
  });
});

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type Brand = TenantConfig["brands"][number];
export type IdentityStore = TenantConfig["identityStores"][number];
export type Organization = IdentityStore["organizations"][number];
export type Application = TenantConfig["applications"][number];
export type Client = Application["clients"][number];
export type AdminToken = TenantConfig["adminTokens"][number];
export type WebhookConfig = TenantConfig["webhooks"][number];
export type Scope = (typeof scopes)[number];
