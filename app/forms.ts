// Form data through a zod/mini schema as a conform submission, in the browser as the user types
// and again in the action. zod/mini and conform's own `parse` instead of @conform-to/zod, whose
// coercion reaches classic zod (about 80 kB gzip in every page that shares the chunk).
import { parse } from "@conform-to/dom";
import * as z from "zod/mini";

export interface ParseOptions {
  /** Fields that are lists: a single value is a list of one. */
  arrays?: string[];
}

export function parseForm<S extends z.ZodMiniType>(payload: FormData, schema: S, options: ParseOptions = {}) {
  return parse<z.output<S>, string[]>(payload, {
    resolve(value) {
      // An empty input is a missing value, as a browser's `required` sees it.
      const present: Record<string, unknown> = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== "" && v !== undefined));
      for (const name of options.arrays ?? []) {
        const v = present[name];
        if (v !== undefined && !Array.isArray(v)) present[name] = [v];
      }
      const result = z.safeParse(schema, present);
      if (result.success) return { value: result.data };
      const error: Record<string, string[]> = {};
      for (const issue of result.error.issues) (error[issue.path.join(".")] ??= []).push(issue.message);
      return { error };
    },
  });
}
