// CSV files the service writes (the admin API's invitation export and the console's per-row upload
// results), through csv-stringify, the writing half of csv-parse: RFC 4180, CRLF, quoted where needed.
//
// A cell a spreadsheet would run as a formula (=, @, a tab or CR, or + and - before anything
// that is not a plain number) gets a leading apostrophe: what an invitee typed as their name
// must never run in an administrator's spreadsheet. A phone number like +33612345678 stays as is.
import { stringify } from "csv-stringify/sync";

type Cell = string | number | boolean | null | undefined;

const FORMULA = /^[=@\t\r]|^[+-](?![0-9][0-9 .]*$)/;

/** A cell's text, defused if a spreadsheet would run it. */
export function safeCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return FORMULA.test(text) ? `'${text}` : text;
}

/** A header row and the rows, each row's cells in the header's order. */
export function toCsv(header: readonly string[], rows: Cell[][]): string {
  return stringify([[...header], ...rows.map((cells) => cells.map(safeCell))], { record_delimiter: "\r\n", quoted_match: /^\s|\s$/ });
}
