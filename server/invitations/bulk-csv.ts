// The console's CSV of invitees (docs/admin-api.md): one header row naming the columns, then one invitee
// per row. Each row becomes the body of POST .../invite and is validated with its schema
// (parseBulkRow), so a CSV row and an API row are refused for exactly the same reasons.
// Server-only: csv-parse never reaches a browser bundle.
import { CsvError, parse } from "csv-parse/sync";
import { toCsv } from "../lib/csv-write.js";
import { BULK_MAX_ROWS, parseBulkRow, type BulkRow } from "./bulk.js";

/** The columns, in the order of the example file. `groups` holds group ids separated by `;`. */
export const CSV_COLUMNS = [
  "email",
  "language",
  "organization",
  "clientId",
  "role",
  "groups",
  "firstName",
  "lastName",
  "companyName",
  "jobTitle",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ["email", "clientId"];
const PERSONAL: readonly CsvColumn[] = ["firstName", "lastName", "companyName", "jobTitle"];

/** The largest file the console accepts. */
export const CSV_MAX_BYTES = 1024 * 1024;
/** The largest upload: the file plus its multipart envelope (boundaries, part headers, the CSRF field). */
export const CSV_UPLOAD_MAX_BYTES = CSV_MAX_BYTES + 16 * 1024;

export type CsvFileProblem =
  | { kind: "empty" }
  | { kind: "encoding" }
  | { kind: "unreadable"; line: number }
  | { kind: "delimiter" }
  | { kind: "missingColumns"; columns: string[] }
  | { kind: "unknownColumns"; columns: string[] }
  | { kind: "duplicateColumns"; columns: string[] }
  | { kind: "noRows" }
  | { kind: "tooManyRows"; rows: number };

export interface CsvRow {
  /** The line of the file where the row starts (the header is line 1): a spreadsheet's row number. */
  row: number;
  /** The email cell as written, for the results table. */
  email: string;
  parsed: BulkRow;
}

/** Where a field of the API body comes from in the CSV. */
export function csvColumnOf(field: string): CsvColumn | "(row)" {
  const head = field.split(".")[0]!;
  if (head === "roles") return "role";
  if (head === "groups") return "groups";
  if (head === "metadata") {
    const name = field.split(".")[1] ?? "";
    return (PERSONAL as readonly string[]).includes(name) ? (name as CsvColumn) : "(row)";
  }
  return (CSV_COLUMNS as readonly string[]).includes(head) ? (head as CsvColumn) : "(row)";
}

/** Bytes to text: UTF-8 (a byte-order mark is fine); anything else is refused rather than garbled. */
export function decodeCsv(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function parseInviteCsv(
  text: string,
  defaults: { language: string },
): { ok: true; rows: CsvRow[] } | { ok: false; problem: CsvFileProblem } {
  if (!text.trim()) return { ok: false, problem: { kind: "empty" } };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = error instanceof CsvError ? Number((error as CsvError & { lines?: number }).lines ?? 0) : 0;
    return { ok: false, problem: { kind: "unreadable", line } };
  }
  const [first, ...data] = records;
  if (!first) return { ok: false, problem: { kind: "empty" } };
  const header = first.record;

  const canonical = new Map(CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  if (header.length === 1 && /[;\t]/.test(header[0]!)) return { ok: false, problem: { kind: "delimiter" } };
  const unknown = header.filter((h) => !canonical.has(h.toLowerCase()));
  if (unknown.length) return { ok: false, problem: { kind: "unknownColumns", columns: unknown.map((h) => h || '""') } };
  const columns = header.map((h) => canonical.get(h.toLowerCase())!);
  const duplicates = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (duplicates.length) return { ok: false, problem: { kind: "duplicateColumns", columns: [...new Set(duplicates)] } };
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) return { ok: false, problem: { kind: "missingColumns", columns: [...missing] } };

  // Rows of only empty cells (a spreadsheet's trailing ",,,,") are not invitees.
  // csv-parse counts the line where a record ends; a quoted cell may span lines. Inside quotes it
  // counts CR and LF apart, so a CRLF there is two of its lines and one of the file's, for this
  // record and every one after it.
  const count = (cells: string[], pattern: RegExp) => cells.reduce((n, c) => n + (c.match(pattern)?.length ?? 0), 0);
  let overcount = count(header, /\r\n/g);
  const rows = data
    .map(({ record, info }) => {
      overcount += count(record, /\r\n/g);
      return { cells: record, row: info.lines - overcount - count(record, /\r\n|\n|\r/g) };
    })
    .filter(({ cells }) => cells.some((c) => c !== ""));
  if (!rows.length) return { ok: false, problem: { kind: "noRows" } };
  if (rows.length > BULK_MAX_ROWS) return { ok: false, problem: { kind: "tooManyRows", rows: rows.length } };

  return {
    ok: true,
    rows: rows.map(({ cells, row }) => {
      const cell: Partial<Record<CsvColumn, string>> = {};
      columns.forEach((c, i) => {
        const v = cells[i] ?? "";
        if (v !== "") cell[c] = v;
      });
      const email = cell.email ?? "";
      if (cells.length > columns.length && cells.slice(columns.length).some((c) => c !== ""))
        return { row, email, parsed: { ok: false, errors: [{ field: "(row)", message: "has more cells than the header has columns" }] } };
      const metadata: Record<string, string> = {};
      for (const name of PERSONAL) if (cell[name] !== undefined) metadata[name] = cell[name]!;
      const body = {
        clientId: cell.clientId,
        email: cell.email,
        language: cell.language ?? defaults.language,
        ...(cell.organization ? { organization: cell.organization } : {}),
        roles: cell.role ? [{ id: cell.role }] : [],
        groups: (cell.groups ?? "")
          .split(";")
          .map((g) => g.trim())
          .filter(Boolean)
          .map((id) => ({ id })),
        metadata,
      };
      return { row, email, parsed: parseBulkRow(body, { sendEmail: true }) };
    }),
  };
}

/** One row of an upload's results as the console shows it (reasons already in the admin's language). */
export interface CsvResultRow {
  row: number;
  email: string;
  created: boolean;
  invitationId?: string;
  conflictingId?: string;
  reasons: { column: string; text: string }[];
}

/**
 * An upload's per-row results as a CSV download: the file's row number, the email as written, the
 * result, the invitation made (or the pending one in the way), and the reasons, one "column: text"
 * per reason separated by " | ". `words` are the header and result words in the admin's language.
 */
export function csvUploadResults(
  rows: CsvResultRow[],
  words: { header: [string, string, string, string, string, string]; created: string; refused: string },
): string {
  return toCsv(
    words.header,
    rows.map((r) => [
      r.row,
      r.email,
      r.created ? words.created : words.refused,
      r.invitationId ?? "",
      r.conflictingId ?? "",
      r.reasons.map((reason) => (reason.column ? `${reason.column}: ${reason.text}` : reason.text)).join(" | "),
    ]),
  );
}
