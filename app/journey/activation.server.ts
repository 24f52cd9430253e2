// The activation form of an invitation, as /activate's loader shows it and its action checks it
// (docs/journey.md).
import { identifierLocked, type LinkState } from "../../server/invitations/activate.js";
import { editsEmail, isProfileField, PROFILE_FIELDS, type ActivationFormConfig, type ProfileField } from "./activation-form";

/** Names the admin API's metadata uses for fields the form calls otherwise (docs/admin-api.md). */
const METADATA_ALIASES: Record<string, ProfileField> = { givenName: "firstName", familyName: "lastName" };

/**
 * The activation form of an invitation: the fields the client requires plus those the invitation
 * pre-fills, the store's password policy, and the identifier, locked unless the application lets
 * the invitee register with another email (a phone number is always locked).
 */
export function activationForm(link: Extract<LinkState, { kind: "valid" }>): {
  config: ActivationFormConfig;
  defaults: Record<string, string>;
} {
  const { invitation, ctx, account } = link;
  const prefill: Record<string, string> = {};
  const known = { ...account?.profile, ...invitation.metadata };
  for (const [key, value] of Object.entries(known)) {
    const name = METADATA_ALIASES[key];
    if (name && typeof value === "string" && !known[name]) prefill[name] = value;
  }
  for (const [key, value] of Object.entries(known)) if (isProfileField(key) && typeof value === "string") prefill[key] = value;

  const kind = invitation.email ? "email" : "phone";
  const required = new Set<string>(ctx.client.requiredProfileFields);
  const fields = (Object.keys(PROFILE_FIELDS) as ProfileField[])
    .filter((name) => (required.has(name) || prefill[name]) && !(name === "mobileNumber" && kind === "phone"))
    .map((name) => ({ name, required: required.has(name) }));
  const config: ActivationFormConfig = {
    fields,
    password: { minLength: ctx.store.passwordPolicy.minLength, maxLength: ctx.store.passwordPolicy.maxLength },
    identifier: {
      kind,
      value: (kind === "email" ? invitation.email : invitation.phone) ?? "",
      locked: kind === "phone" || identifierLocked(ctx),
    },
  };
  const defaults: Record<string, string> = {};
  for (const { name } of fields) if (prefill[name]) defaults[name] = prefill[name];
  if (editsEmail(config)) defaults.email = config.identifier.value;
  return { config, defaults };
}
