// CSV files the service writes (RFC 4180: comma-separated, CRLF, quoted where needed), for
// spreadsheets: the admin API's invitation export and the console's per-row upload results.
// package.json has csv-parse only (reading); writing is this small.
//
// A cell a spreadsheet would run as a formula (=, @, a tab or CR, or + and - before anything
// that is not a plain number) gets a leading apostrophe: what an invitee typed as their name
// must never run in an administrator's spreadsheet. A phone number like +33612345678 stays as is.

const FORMULA = /^[=@\t\r]|^[+-](?![0-9][0-9 .]*$)/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row and the rows, each row's cells in the header's order. */
export function toCsv(header: readonly string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return [header, ...rows].map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
