// POST /admin/api/v1/identityStores/{store}/invite/batch (docs/admin-api.md): up to BULK_MAX_ROWS
// invitations in one call, each one the body of POST .../invite, each created (or refused) on its
// own. 200 with one result per row in input order; the call itself fails only when the request as
// a whole is wrong (auth, body, too many rows).
import { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { BULK_MAX_ROWS, inviteInBulk, parseBulkRow, type BulkOutcome } from "../../invitations/bulk.js";
import type { Services } from "../../services.js";
import { parseFields } from "../../lib/field-errors.js";
import { jsonBody } from "../json-body.js";
import { invalidParameters, methodNotAllowed, problemBody, sendProblem, type Problem } from "../problem.js";
import { requireScope } from "./auth.js";
import { createProblem, invitationOut, tokenActor } from "./invitations.js";
import { invitationSchema, problemSchema } from "./schemas.js";

/** The batch's own body limit: 1,000 full rows fit with room to spare (a row is well under 1 KiB). */
export const BATCH_BODY_LIMIT_BYTES = 1024 * 1024;

export const batchBodySchema = z
  .strictObject({
    invitations: z
      .array(z.unknown().meta({ description: "An invitation, exactly as the body of POST .../invite (InvitationCreate)." }))
      .min(1, "must hold at least one invitation")
      .max(BULK_MAX_ROWS, `must hold at most ${BULK_MAX_ROWS} invitations`),
    sendEmail: z.boolean().default(true).meta({
      description: "For the rows without their own sendEmail. false: nothing is sent and each created row carries invitationUrl.",
    }),
  })
  .meta({ title: "Invitation batch" });

export const batchResultSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int().meta({ description: "Zero-based position of the row in `invitations`." }),
        status: z.number().int().meta({
          description:
            "201 created; 400 a configuration rule is broken; 409 pending invitation or account exists; 422 invalid fields; 500 an unexpected fault (nothing of that row was written).",
        }),
        invitation: invitationSchema.optional().meta({ description: "201 only." }),
        problem: problemSchema.optional().meta({
          description:
            "Every other status: the problem the single create would have answered, with fields as `invitations.<index>.<field>`.",
        }),
      }),
    ),
    created: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ title: "Invitation batch result" });

function prefixed(p: Problem, index: number): Problem {
  return p.errors ? { ...p, errors: p.errors.map((e) => ({ ...e, field: `invitations.${index}.${e.field}` })) } : p;
}

export function rowResult(outcome: BulkOutcome, index: number) {
  switch (outcome.kind) {
    case "created":
      return { index, status: 201, invitation: invitationOut(outcome.invitation, outcome.invitationUrl) };
    case "invalid":
      return { index, status: 422, problem: problemBody(prefixed(invalidParameters(outcome.errors), index)) };
    case "failed":
      return {
        index,
        status: 500,
        problem: problemBody({
          status: 500,
          title: "Internal Server Error",
          detail: "This row could not be processed; nothing of it was written. Send it again.",
        }),
      };
    default: {
      const problem = createProblem(outcome);
      return { index, status: problem.status, problem: problemBody(prefixed(problem, index)) };
    }
  }
}

const tooMany = (n: number): Problem => ({
  status: 413,
  title: "Payload Too Large",
  detail: `A batch holds at most ${BULK_MAX_ROWS} invitations; this one has ${n}. Split it into several calls.`,
});

export function bulkInvitationsRouter(s: Services): Router {
  const router = Router({ mergeParams: true });
  router.post(
    "/",
    requireScope("write:account"),
    ...jsonBody(BATCH_BODY_LIMIT_BYTES),
    // The body reader's 413 names this route's limit, not the 16 KiB of the other calls.
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      if ((err as { type?: string } | null)?.type !== "entity.too.large") return next(err);
      sendProblem(res, {
        status: 413,
        title: "Payload Too Large",
        detail: `A batch body must be at most ${BATCH_BODY_LIMIT_BYTES} bytes (1 MiB) and hold at most ${BULK_MAX_ROWS} invitations. Split it into several calls.`,
      });
    },
    (req: Request, res: Response, next: NextFunction) => {
      const body = req.body as { invitations?: unknown } | null;
      if (body && Array.isArray(body.invitations) && body.invitations.length > BULK_MAX_ROWS)
        return sendProblem(res, tooMany(body.invitations.length));
      const parsed = parseFields(batchBodySchema, req.body);
      if (!parsed.success) return sendProblem(res, invalidParameters(parsed.errors));
      const { invitations, sendEmail } = parsed.data;
      const rows = invitations.map((raw) => parseBulkRow(raw, { sendEmail }));
      inviteInBulk(s, String(req.params.store), rows, { actor: tokenActor(res) }).then((outcomes) => {
        const results = outcomes.map(rowResult);
        const created = results.filter((r) => r.status === 201).length;
        res.status(200).json({ results, created, failed: results.length - created });
      }, next);
    },
  );
  router.all("/", methodNotAllowed("POST"));
  return router;
}
