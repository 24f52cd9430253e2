// The CSV files the service writes open safely in a spreadsheet: RFC 4180 quoting, and no cell that
// a spreadsheet would run as a formula, whatever an invitee typed as their name.
import { parse } from "csv-parse/sync";
import { toCsv } from "../../server/lib/csv-write.js";

it("defuses formulas, keeps numbers and phone numbers, and quotes what needs it", () => {
  const rows = [
    ['=HYPERLINK("http://x")', "+33612345678"],
    ["@SUM(A1)", "-5"],
    ["+cmd|' /C calc'!A0", "-x"],
    ["\tTAB", "x,y"],
    ['q"q', null],
    [" padded ", 3],
  ];
  const csv = toCsv(["a", "b"], rows);
  expect(csv.endsWith("\r\n")).toBe(true);
  expect(parse(csv, { relax_column_count: true })).toEqual([
    ["a", "b"],
    ['\'=HYPERLINK("http://x")', "+33612345678"],
    ["'@SUM(A1)", "-5"],
    ["'+cmd|' /C calc'!A0", "'-x"],
    ["'\tTAB", "x,y"],
    ['q"q', ""],
    [" padded ", "3"],
  ]);
});
