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

/** Resolves once no outbox row is pending any more: the worker has done all it was given. */
export async function outboxDrained(server: HasServices, timeoutMs = 15_000): Promise<void> {
  await waitUntil(async () => (await outboxRows(server)).every((r) => r.status !== "pending"), "the outbox to drain", timeoutMs);
}
