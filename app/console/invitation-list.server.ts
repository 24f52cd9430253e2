// The Invitations tab's filters (docs/admin-api.md, the console), read from the page's query string
// (a GET form, so they work without JavaScript) and shared by the list and its "Download as CSV".
// Only the values the page offers are taken; anything else is no filter.
import type { AppLoadContext } from "@remix-run/node";
import type { IdentityStore } from "../../server/config/schema.js";
import { normalizePhone } from "../../server/lib/validation.js";
import type { InvitationFilter } from "../../server/store/invitation-list.js";
import { CHANNELS, DELIVERIES, SEARCH_MAX, SORTS, STATUSES, type ListParams } from "./invitation-list";

export { PAGE_SIZE, SEARCH_MAX } from "./invitation-list";

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined => list.find((x) => x === value);

/** The clients an invitation of the store can name (the client filter's choices). */
export function storeClients(context: AppLoadContext, store: IdentityStore) {
  return context.services.tenant
    .allClients()
    .filter((c) => c.store.name === store.name)
    .map((c) => ({ id: c.client.clientId, label: `${c.application.name} (${c.client.clientId})` }));
}

export function readListQuery(context: AppLoadContext, store: IdentityStore, url: URL) {
  const get = (name: string) => url.searchParams.get(name);
  const params: ListParams = {
    q: (get("q") ?? "").trim().slice(0, SEARCH_MAX),
    status: oneOf(STATUSES, get("status")) ?? "",
    organization: store.organizations.some((o) => o.id === get("organization")) ? get("organization")! : "",
    clientId: storeClients(context, store).some((c) => c.id === get("clientId")) ? get("clientId")! : "",
    channel: oneOf(CHANNELS, get("channel")) ?? "",
    delivery: oneOf(DELIVERIES, get("delivery")) ?? "",
    sort: oneOf(SORTS, get("sort")) ?? "created",
  };
  const phone = params.q ? normalizePhone(params.q) : undefined;
  const filter: Omit<InvitationFilter, "page" | "size"> = {
    ...(params.status ? { status: params.status } : {}),
    ...(params.organization ? { organization: params.organization } : {}),
    ...(params.clientId ? { clientId: params.clientId } : {}),
    ...(params.channel ? { channel: params.channel } : {}),
    ...(params.delivery ? { delivery: params.delivery } : {}),
    ...(params.q ? { search: { text: params.q, ...(phone ? { phone } : {}) } } : {}),
    sort: { field: params.sort, direction: "desc" },
  };
  const page = Math.max(1, Math.min(10_000, Number.parseInt(get("page") ?? "1", 10) || 1));
  return { params, filter, page };
}
