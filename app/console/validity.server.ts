// The "Valid for" choices of Invite customer and Resend (docs/admin-api.md, the console): a few
// usual durations, the store's default (invitationTtlHours) and its maximum
// (maxInvitationTtlHours), none longer than that maximum. The service checks the maximum again.
import type { TFunction } from "i18next";
import type { IdentityStore } from "../../server/config/schema.js";

const USUAL_HOURS = [24, 72, 168, 336, 720, 1440, 2160];

export interface ValidityChoice {
  hours: number;
  label: string;
}

/** "7 days", "36 hours": whole days as days. */
export function durationLabel(hours: number, t: TFunction<"admin">): string {
  return hours % 24 === 0 ? t("duration.days", { count: hours / 24 }) : t("duration.hours", { count: hours });
}

export function validityChoices(
  store: IdentityStore,
  t: TFunction<"admin">,
): { choices: ValidityChoice[]; defaultHours: number; max: string } {
  const hours = [...new Set([...USUAL_HOURS, store.invitationTtlHours, store.maxInvitationTtlHours])]
    .filter((h) => h <= store.maxInvitationTtlHours)
    .sort((a, b) => a - b);
  return {
    choices: hours.map((h) => ({ hours: h, label: durationLabel(h, t) })),
    defaultHours: store.invitationTtlHours,
    max: durationLabel(store.maxInvitationTtlHours, t),
  };
}
