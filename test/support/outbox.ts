// The outbox is where every email, SMS and webhook starts: a message is written in the same
// transaction as the change that causes it. So "nothing was sent" (or "exactly one was") is read
// from the outbox the moment the request has answered, instead of waiting a while for a message
// that should not come.
import type { Services } from "../../server/services.js";
import { waitUntil } from "./wait.js";

export interface OutboxRow {
  id: string;
  kind: string;
  recipient: string;
  template: string;
  status: string;
  params: Record<string, string>;
}

type HasServices = { services: Services };

/** The outbox rows, oldest first, optionally only those to one recipient (case-insensitive) or of one kind. */
export async function outboxRows(
  server: HasServices,
  o: { recipient?: string; kind?: "email" | "sms" | "webhook" } = {},
): Promise<OutboxRow[]> {
  let q = server.services.db.kysely.selectFrom("outbox").select(["id", "kind", "recipient", "template", "status", "params"]);
  if (o.kind) q = q.where("kind", "=", o.kind);
  const rows = await q.orderBy("created_at").orderBy("id").execute();
  return rows
    .map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string> }))
    .filter((r) => !o.recipient || r.recipient.toLowerCase() === o.recipient.toLowerCase());
}

/**
 * Resolves once no outbox row (to that recipient, if given) is pending any more: the worker has
 * sent all it was given, so no further message can arrive.
 */
export async function outboxDrained(server: HasServices, o: { recipient?: string } = {}, timeoutMs = 15_000): Promise<void> {
  const what = `the outbox${o.recipient ? ` to ${o.recipient}` : ""} to drain`;
  await waitUntil(async () => (await outboxRows(server, o)).every((r) => r.status !== "pending"), what, timeoutMs);
}
