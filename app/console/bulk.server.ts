// The console's "Invite from a CSV file" (docs/admin-api.md) on the server: the upload read with a size cap
// before anything parses it, the CSV turned into rows (server/invitations/bulk-csv.ts), and the rows
// invited one by one (server/invitations/bulk.ts). What the page shows comes back as admin.json keys.
import type { AppLoadContext } from "@remix-run/node";
import {
  CSV_COLUMNS,
  CSV_MAX_BYTES,
  csvColumnOf,
  decodeCsv,
  parseInviteCsv,
  REQUIRED_CSV_COLUMNS,
  type CsvFileProblem,
} from "../../server/invitations/bulk-csv.js";
import { BULK_MAX_ROWS, inviteInBulk, type BulkOutcome } from "../../server/invitations/bulk.js";
import { csvUploadResults } from "../../server/invitations/bulk-csv.js";
import { CHARACTERS_CODE } from "../../server/lib/validation.js";
import * as z from "zod/mini";
import { runtimeKey } from "~/i18n-keys";
import { chooseLanguage, requireAdminPost } from "./admin.server";

export { BULK_MAX_ROWS, CSV_COLUMNS, CSV_MAX_BYTES, REQUIRED_CSV_COLUMNS };

export type UploadError = "noFile" | "tooLarge" | "encoding" | CsvFileProblem["kind"];

export interface FileErrorView {
  key: UploadError;
  /** Interpolation values for the message: line, columns, rows, max. */
  values: Record<string, string | number>;
}

export interface RowView {
  row: number;
  email: string;
  created: boolean;
  invitationId?: string;
  /** The pending invitation that blocked this row. */
  conflictingId?: string;
  /** admin.json keys with the CSV column each is about ("" for the row as a whole). */
  reasons: { column: string; key: string }[];
}

export interface BulkView {
  rows: RowView[];
  created: number;
  failed: number;
  seconds: number;
}

const fileError = (key: UploadError, values: Record<string, string | number> = {}) => ({ ok: false as const, error: { key, values } });

/**
 * The upload: signed in with write:account, CSRF, at most CSV_MAX_BYTES and BULK_MAX_ROWS; then
 * every row invited. A file that cannot be used as a whole changes nothing.
 */
export async function inviteFromCsvUpload(
  request: Request,
  context: AppLoadContext,
  store: { name: string; defaultLanguage: string },
): Promise<{ ok: true; view: BulkView } | { ok: false; error: FileErrorView }> {
  // The edge kept no more than CSV_UPLOAD_MAX_BYTES of the body (server/http/page-requests.ts).
  if (context.bodyTooLarge) return fileError("tooLarge", { max: "1 MiB" });
  // Signed in, same origin, the session's CSRF token, write:account: or a 403 page.
  const { form, principal } = await requireAdminPost(request, context, "write:account");
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) return fileError(file && typeof file !== "string" ? "empty" : "noFile");
  if (file.size > CSV_MAX_BYTES) return fileError("tooLarge", { max: "1 MiB" });
  const text = decodeCsv(new Uint8Array(await file.arrayBuffer()));
  if (text === undefined) return fileError("encoding");
  const parsed = parseInviteCsv(text, { language: store.defaultLanguage });
  if (!parsed.ok) {
    const p = parsed.problem;
    switch (p.kind) {
      case "unreadable":
        return fileError("unreadable", { line: p.line });
      case "missingColumns":
      case "unknownColumns":
      case "duplicateColumns":
        return fileError(p.kind, { columns: p.columns.join(", ") });
      case "tooManyRows":
        return fileError("tooManyRows", { rows: p.rows, max: BULK_MAX_ROWS });
      default:
        return fileError(p.kind);
    }
  }
  const started = performance.now();
  const outcomes = await inviteInBulk(
    context.services,
    store.name,
    parsed.rows.map((r) => r.parsed),
    { actor: { type: "console", name: principal.name } },
  );
  const rows = parsed.rows.map((r, i) => rowView(r.row, r.email, outcomes[i]!));
  const created = rows.filter((r) => r.created).length;
  return {
    ok: true,
    view: { rows, created, failed: rows.length - created, seconds: Math.round((performance.now() - started) / 100) / 10 },
  };
}

function rowView(row: number, email: string, outcome: BulkOutcome): RowView {
  const base = { row, email };
  switch (outcome.kind) {
    case "created":
      return { ...base, created: true, invitationId: outcome.invitation.id, reasons: [] };
    case "invalid": {
      // One message per column: the column's own wording says what it must hold, unless the
      // cell holds a character no text may (profile text rule), which is said as such.
      const columns = [...new Set(outcome.errors.map((e) => csvColumnOf(e.field)))];
      const characters = new Set(outcome.errors.filter((e) => e.code === CHARACTERS_CODE).map((e) => csvColumnOf(e.field)));
      return {
        ...base,
        created: false,
        reasons: columns.map((c) =>
          c === "(row)"
            ? { column: "", key: "bulk.invalid.row" }
            : { column: c, key: characters.has(c) ? "bulk.invalid.characters" : `bulk.invalid.${c}` },
        ),
      };
    }
    case "rules":
      return {
        ...base,
        created: false,
        reasons: outcome.violations.map((v) => ({ column: columnName(v.field), key: `rules.${v.code}` })),
      };
    case "pending-exists":
      return { ...base, created: false, conflictingId: outcome.conflictingId, reasons: [{ column: "email", key: "rules.pendingExists" }] };
    case "account-exists":
      return { ...base, created: false, reasons: [{ column: "email", key: "rules.accountExists" }] };
    case "failed":
      return { ...base, created: false, reasons: [{ column: "", key: "bulk.failedRow" }] };
  }
}

function columnName(field: string): string {
  const c = csvColumnOf(field);
  return c === "(row)" ? "" : c;
}

/**
 * "Download results as CSV": the result page posts its rows back (a hidden field, multipart, with
 * the session's CSRF token) and gets them as a file, so nothing is kept on the server and the file
 * is not uploaded again. The rows are the page's own: reasons are admin.json keys of the CSV and
 * rule sections, translated here, and every cell goes through the CSV writer's formula escaping.
 */
const resultRowsSchema = z
  .array(
    z.object({
      row: z.number().check(z.int(), z.minimum(1)),
      email: z.string().check(z.maxLength(CSV_MAX_BYTES)),
      created: z.boolean(),
      invitationId: z.optional(z.string().check(z.maxLength(64))),
      conflictingId: z.optional(z.string().check(z.maxLength(64))),
      reasons: z
        .array(
          z.object({
            column: z.string().check(z.maxLength(32)),
            key: z.string().check(z.regex(/^(bulk\.(invalid\.[A-Za-z]+|failedRow)|rules\.[A-Za-z]+)$/)),
          }),
        )
        .check(z.maxLength(CSV_COLUMNS.length + 1)),
    }),
  )
  .check(z.maxLength(BULK_MAX_ROWS));

export async function uploadResultsCsv(request: Request, context: AppLoadContext): Promise<string | undefined> {
  const { form } = await requireAdminPost(request, context, "write:account");
  const raw = form.get("results");
  let json: unknown;
  try {
    json = typeof raw === "string" ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
  const parsed = resultRowsSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const t = context.services.i18n.t(await chooseLanguage(context, request), "admin");
  return csvUploadResults(
    parsed.data.map((r) => ({
      ...r,
      reasons: r.reasons.map((reason) => ({ column: reason.column, text: t(runtimeKey("admin", reason.key)) })),
    })),
    {
      header: [t("bulk.row"), t("fields.email"), t("bulk.result"), t("bulk.invitation"), t("bulk.conflicting"), t("bulk.reasons")],
      created: t("bulk.created"),
      refused: t("bulk.notCreated"),
    },
  );
}
