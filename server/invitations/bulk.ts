// Bulk invitations (docs/admin-api.md): many rows, each one an ordinary admin invitation. Every row is
// validated with the very schema of the single create (POST .../invite) and then goes through
// createAdminInvitation on its own, in its own transaction: one row's failure never stops the
// others, and a row that was created stays created whatever happens to the rows after it.
// Used by the batch API (server/api/admin/bulk.ts) and the console's CSV upload (bulk-csv.ts).
import { parseFields, type FieldError } from "../lib/field-errors.js";
import type { Services } from "../services.js";
import { createAdminInvitation, type AdminActor, type AdminInviteInput, type CreateOutcome } from "./admin.js";
import { createInvitationBodySchema, toAdminInviteInput } from "./invite-body.js";

/** Rows one batch call or one CSV file may hold. */
export const BULK_MAX_ROWS = 1000;
/**
 * Rows in flight at once. SQLite serializes the transactions anyway; the overlap hides the
 * per-row awaits (message rendering, sealing), and on PostgreSQL it uses a few pool connections
 * without starving the other requests.
 */
export const BULK_CONCURRENCY = 4;

/** `field` is a dotted path inside the row (`email`, `roles.0.id`, `metadata.firstName`), `(row)` for the row as a whole. */
export type RowFieldError = FieldError;

/** One row after validation: ready for the service, or the fields that are wrong. */
export type BulkRow = { ok: true; input: AdminInviteInput } | { ok: false; errors: RowFieldError[] };

export type BulkOutcome =
  | Exclude<CreateOutcome, { kind: "unknown-store" }>
  | { kind: "invalid"; errors: RowFieldError[] }
  /** An unexpected fault (the database went away): this row only; nothing of it was written. */
  | { kind: "failed" };

/**
 * One row as the single create's body (createInvitationBodySchema). `sendEmail` of the row wins;
 * without one, the batch's applies.
 */
export function parseBulkRow(raw: unknown, defaults: { sendEmail: boolean }): BulkRow {
  const parsed = parseFields(createInvitationBodySchema, raw, "(row)");
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const body = parsed.data;
  const explicitSend = typeof raw === "object" && raw !== null && "sendEmail" in raw;
  return { ok: true, input: { ...toAdminInviteInput(body), sendEmail: explicitSend ? body.sendEmail : defaults.sendEmail } };
}

export interface BulkProgress {
  done: number;
  total: number;
}

/**
 * Creates the valid rows, at most BULK_CONCURRENCY at a time. Rows with the same email run in
 * input order (the later one waits for the earlier), so of two equal rows the first is created and
 * the second is the 409 — the same answer two single calls would get. Results are in input order.
 */
export async function inviteInBulk(
  s: Services,
  storeName: string,
  rows: BulkRow[],
  opts: { concurrency?: number; onProgress?: (p: BulkProgress) => void; actor?: AdminActor } = {},
): Promise<BulkOutcome[]> {
  const results: BulkOutcome[] = new Array(rows.length);
  const lastOfEmail = new Map<string, Promise<unknown>>();
  const total = rows.length;
  let done = 0;
  let next = 0;

  const runRow = async (i: number): Promise<void> => {
    const row = rows[i]!;
    if (!row.ok) {
      results[i] = { kind: "invalid", errors: row.errors };
      return;
    }
    const before = lastOfEmail.get(row.input.email);
    const mine = (async () => {
      if (before) await before;
      try {
        const outcome = await createAdminInvitation(s, storeName, row.input, opts.actor);
        // The store was checked before the batch began; a store that disappears mid-batch (a
        // configuration reload) fails the rest of the rows, not the process.
        results[i] = outcome.kind === "unknown-store" ? { kind: "failed" } : outcome;
      } catch (error) {
        s.log.error("admin.bulk_row_failed", { store: storeName, row: i, error: String(error) });
        results[i] = { kind: "failed" };
      }
    })();
    lastOfEmail.set(row.input.email, mine);
    await mine;
  };

  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      await runRow(i);
      done++;
      opts.onProgress?.({ done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? BULK_CONCURRENCY, total)) }, worker));

  const created = results.filter((r) => r.kind === "created").length;
  s.log.info("admin.bulk_invitations", { store: storeName, rows: total, created, failed: total - created });
  return results;
}
