// What the APIs say about a body, query or batch row that fails its schema: `{field, message}` per
// bad field, each message an English phrase a person can act on ("is required", "must be a
// string", "must be one of email, sms"), completing the field it sits beside. A schema's own
// wording wins; every other kind of issue gets its phrase here, so no validator text ever reaches
// a client. Every API parses through `parseFields`, and so do the invitation rules that take rows
// (server/invitations/bulk.ts).
import type { z } from "zod";
import { issueCode } from "./validation.js";

/** One bad field of a body, query or batch row, as every API error names it. */
export interface FieldError {
  field: string;
  message: string;
  /** A stable code where the rule has one (`characters`: a forbidden character in profile text). */
  code?: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
  tuple: "a list",
  null: "null",
};

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
const plural = (n: number | bigint, one: string, many: string) => `${n} ${n === 1 || n === 1n ? one : many}`;

function unit(origin: string, n: number | bigint): string {
  if (origin === "string") return plural(n, "character", "characters");
  if (origin === "array" || origin === "set") return plural(n, "item", "items");
  return String(n);
}

/** The human phrase of an issue without a wording of its own. */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small": {
      const n = issue.minimum;
      if (issue.origin === "string" && Number(n) === 1) return "must not be empty";
      if (issue.origin === "array" && Number(n) === 1) return "must hold at least one item";
      const bound = issue.exact ? "exactly" : issue.inclusive === false ? "more than" : "at least";
      return `must ${issue.origin === "array" || issue.origin === "set" ? "hold" : "be"} ${bound} ${unit(issue.origin, n)}`;
    }
    case "too_big": {
      const bound = issue.exact ? "exactly" : issue.inclusive === false ? "less than" : "at most";
      return `must ${issue.origin === "array" || issue.origin === "set" ? "hold" : "be"} ${bound} ${unit(issue.origin, issue.maximum)}`;
    }
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of ${list(issue.values)}`;
    case "invalid_format":
      return issue.format === "email" ? "must be an email address" : `is not a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return "is not a known field";
    case "invalid_union":
      return "is not one of the accepted forms";
    case "invalid_key":
      return "has a key that is not allowed";
    case "invalid_element":
      return "holds a value that is not allowed";
    default:
      return "is not valid";
  }
};

/**
 * zod issues as `{field, message}` with dotted paths (and the rule's `code` where it has one);
 * unknown keys get one entry each; an issue about the whole value is named `whole`.
 */
export function fieldErrors(issues: z.core.$ZodIssue[], whole = "(body)"): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ field: base ? `${base}.${key}` : key, message: "is not a known field" });
    } else {
      const code = issueCode(issue);
      out.push({ field: base || whole, message: issue.message, ...(code ? { code } : {}) });
    }
  }
  return out;
}

export type Parsed<T> = { success: true; data: T } | { success: false; errors: FieldError[] };

/** `schema` applied to `input` with the APIs' wording; the errors name fields as fieldErrors does. */
export function parseFields<S extends z.ZodType>(schema: S, input: unknown, whole?: string): Parsed<z.output<S>> {
  const parsed = schema.safeParse(input, { error: issueMessage });
  return parsed.success ? { success: true, data: parsed.data } : { success: false, errors: fieldErrors(parsed.error.issues, whole) };
}
