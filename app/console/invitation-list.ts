// The Invitations tab's filter choices and their query string, shared by the page (browser too) and
// its server side (invitation-list.server.ts).
import type { DeliveryStatus } from "../../server/store/outbox.js";

export const PAGE_SIZE = 20;
export const STATUSES = ["pending", "done", "expired"] as const;
export const CHANNELS = ["email", "sms"] as const;
export const DELIVERIES = ["queued", "retrying", "sent", "abandoned"] as const satisfies readonly DeliveryStatus[];
export const SORTS = ["created", "sent"] as const;
/** The longest search text: an email address. */
export const SEARCH_MAX = 254;

export interface ListParams {
  q: string;
  status: (typeof STATUSES)[number] | "";
  organization: string;
  clientId: string;
  channel: (typeof CHANNELS)[number] | "";
  delivery: (typeof DELIVERIES)[number] | "";
  sort: (typeof SORTS)[number];
}

/** The query string of the filters in use (no empty ones, no page): for the pager and the CSV link. */
export function listQueryString(params: ListParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v && !(k === "sort" && v === "created")) query[k] = v;
  return query;
}
