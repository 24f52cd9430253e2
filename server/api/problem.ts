// RFC 9457 problem details, the error shape of every API response (docs/pre-register.md, docs/admin-api.md).
import type { RequestHandler, Response } from "express";
import type { FieldError } from "../lib/field-errors.js";

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** A problem as its JSON body: the one builder, for responses and for a batch's per-row results. */
export function problemBody(p: Problem): Record<string, unknown> {
  const { status, title, detail, errors, ...extra } = p;
  return { type: `/problems/${slug(title)}`, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}), ...extra };
}

export function sendProblem(res: Response, p: Problem): void {
  res
    .status(p.status)
    .type("application/problem+json")
    .send(JSON.stringify(problemBody(p)));
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

export const forbidden = (): Problem => ({ status: 403, title: "Forbidden", detail: "The request is not allowed." });

export const invalidParameters = (errors: FieldError[]): Problem => ({
  status: 422,
  title: "Invalid parameters",
  detail: "One or more fields are missing or invalid.",
  errors,
});

/** The answer to a method a route does not take: 405 with the methods it does take in `Allow`. */
export function methodNotAllowed(allow: string, detail = `Use ${allow}.`): RequestHandler {
  return (_req, res) => {
    res.set("Allow", allow);
    sendProblem(res, { status: 405, title: "Method Not Allowed", detail });
  };
}
