// The configuration rules of an admin invitation (docs/admin-api.md): which clients may be
// used, how organizational and non-organizational invitations are kept apart, and where roles and
// groups must come from. Pure functions over the tenant configuration, shared by the admin API and
// the console, so both refuse exactly the same things.
import type { ClientContext, Tenant } from "../config/load.js";
import type { IdentityStore, Organization } from "../config/schema.js";
import type { RoleRef } from "../store/accounts.js";

/**
 * One broken rule. `code` is stable (the console translates it: admin.json `rules.<code>`),
 * `field` names the offending part of the request body, `message` is the API's English wording.
 */
export interface RuleViolation {
  field: string;
  code: RuleCode;
  message: string;
}

export type RuleCode =
  | "unknownClient"
  | "clientOfOtherStore"
  | "clientNotOAuth2"
  | "clientDisabled"
  | "unknownOrganization"
  | "clientNotOrganizational"
  | "clientOrganizational"
  | "roleWithoutOrganization"
  | "roleOfOtherOrganization"
  | "unknownRole"
  | "unknownGroup"
  | "emailNotSupported"
  | "expiryTooLong"
  | "unknownRedirectUri";

export interface InviteTarget {
  clientId: string;
  organization: string | null;
  /** `organization` of a role may be left out: it then means the invitation's organization. */
  roles: { id: string; organization?: string | null }[];
  groups: { id: string }[];
  /** The invitation's own validity, in hours (1 up to the store's maxInvitationTtlHours). */
  expiresInHours?: number;
  /** Where the journey hands the invitee back: one of the client's registered redirect URIs. */
  redirectUri?: string | null;
}

export interface CheckedTarget {
  ctx: ClientContext;
  organization: Organization | null;
  roles: RoleRef[];
  groups: { id: string }[];
}

/** Clients an administrator may pick for an invitation: OAuth2, enabled, of this store, and of the right kind. */
export function invitableClients(tenant: Tenant, store: string, organizational: boolean): ClientContext[] {
  return tenant
    .allClients()
    .filter(
      (c) => c.store.name === store && c.client.type === "oauth2" && c.client.enabled && c.application.organizational === organizational,
    );
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** An invitation's own validity against the store's longest (create and resend alike). */
export function checkExpiry(store: IdentityStore, hours: number | undefined): RuleViolation | undefined {
  if (hours === undefined || hours <= store.maxInvitationTtlHours) return undefined;
  return {
    field: "expiresInHours",
    code: "expiryTooLong",
    message: `must be at most ${store.maxInvitationTtlHours} (maxInvitationTtlHours of identity store '${store.name}')`,
  };
}

/** Checks the invitation's target against the configuration; `violations` is empty when it is fine. */
export function checkInviteTarget(
  tenant: Tenant,
  store: IdentityStore,
  t: InviteTarget,
): { violations: RuleViolation[]; checked?: CheckedTarget } {
  const violations: RuleViolation[] = [];
  const v = (field: string, code: RuleCode, message: string) => violations.push({ field, code, message });

  if (!store.identifiers.includes("EMAIL")) v("email", "emailNotSupported", "this identity store does not support the EMAIL identifier");

  const organization = t.organization ? (store.organizations.find((o) => o.id === t.organization) ?? null) : null;
  if (t.organization && !organization)
    v("organization", "unknownOrganization", `organization '${t.organization}' does not exist in identity store '${store.name}'`);

  const ctx = tenant.client(t.clientId);
  if (!ctx) v("clientId", "unknownClient", `client '${t.clientId}' does not exist`);
  else if (ctx.store.name !== store.name) v("clientId", "clientOfOtherStore", `client '${t.clientId}' belongs to another identity store`);
  else if (ctx.client.type !== "oauth2")
    v("clientId", "clientNotOAuth2", "only OAuth2/OIDC clients can be used for invitations; SAML2 clients cannot");
  else if (!ctx.client.enabled) v("clientId", "clientDisabled", `client '${t.clientId}' is disabled`);
  else if (t.organization && !ctx.application.organizational)
    v("clientId", "clientNotOrganizational", "an invitation to an organization needs a client of an organizational application");
  else if (!t.organization && ctx.application.organizational)
    v("clientId", "clientOrganizational", "an invitation without an organization needs a client of a non-organizational application");
  if (ctx && t.redirectUri && !ctx.client.redirectUris.includes(t.redirectUri))
    v("redirectUri", "unknownRedirectUri", `is not a registered redirect URI of client '${t.clientId}'`);
  const expiry = checkExpiry(store, t.expiresInHours);
  if (expiry) violations.push(expiry);

  const roles: RoleRef[] = [];
  t.roles.forEach((role, i) => {
    const roleOrg = role.organization ?? t.organization;
    if (!t.organization) {
      v(`roles.${i}.organization`, "roleWithoutOrganization", "roles can only be assigned with an organization");
    } else if (roleOrg !== t.organization) {
      v(`roles.${i}.organization`, "roleOfOtherOrganization", `must be the invitation's organization '${t.organization}'`);
    } else if (organization && !organization.roles.some((r) => r.id === role.id)) {
      v(`roles.${i}.id`, "unknownRole", `role '${role.id}' does not exist in organization '${t.organization}'`);
    } else if (organization) {
      roles.push({ id: role.id, organization: organization.id });
    }
  });

  t.groups.forEach((group, i) => {
    if (!store.groups.some((g) => g.id === group.id))
      v(`groups.${i}.id`, "unknownGroup", `group '${group.id}' does not exist in identity store '${store.name}'`);
  });

  if (violations.length || !ctx) return { violations };
  return {
    violations,
    checked: {
      ctx,
      organization,
      roles: uniqueBy(roles, (r) => `${r.organization}/${r.id}`),
      groups: uniqueBy(t.groups, (g) => g.id).map((g) => ({ id: g.id })),
    },
  };
}
