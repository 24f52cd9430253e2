// The invitations list as a CSV file (docs/admin-api.md, "CSV export"): the admin API's
// format=csv and the console's "Download as CSV" write the same columns with this one function.
import { toCsv } from "../lib/csv-write.js";
import type { Invitation } from "../store/invitations.js";

/** The CSV export's largest file: the filtered list, all pages, up to this many rows. */
export const CSV_EXPORT_MAX_ROWS = 10_000;

const CSV_EXPORT_COLUMNS = [
  "id",
  "email",
  "phone",
  "channel",
  "status",
  "clientId",
  "organization",
  "language",
  "created",
  "sent",
  "validUntil",
  "resendCount",
  "remindedAt",
  "invitedByType",
  "invitedByName",
  "kind",
  "accountId",
] as const;

export function invitationsCsv(items: Invitation[]): string {
  return toCsv(
    CSV_EXPORT_COLUMNS,
    items.map((i) => [
      i.id,
      i.email,
      i.phone,
      i.channel,
      i.status,
      i.clientId,
      i.organization,
      i.language,
      i.createdAt,
      i.sent,
      i.validUntil,
      i.resendCount,
      i.remindedAt,
      i.invitedBy?.type,
      i.invitedBy?.name,
      i.kind,
      i.accountId,
    ]),
  );
}
