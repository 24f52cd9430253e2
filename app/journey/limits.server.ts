// The journey's per-IP limit on token look-ups (links opened, Activate pressed), and the
// Retry-After a limited page carries.
import type { AppLoadContext } from "@remix-run/node";
import { TOKEN_LOOKUPS } from "../../server/http/rate-limits.js";

/** Token look-ups per IP per minute. */
export const TOKEN_LOOKUPS_PER_MINUTE = TOKEN_LOOKUPS.points;

/** Seconds to wait when this IP looked up too many tokens, else undefined. */
export function limitTokenLookups(context: AppLoadContext): Promise<number | undefined> {
  return context.services.rateLimits.consume(TOKEN_LOOKUPS, context.clientIp);
}

/** Every journey route's `headers`: Retry-After (and Set-Cookie, which Remix keeps by itself) on the document response. */
export function journeyHeaders({ loaderHeaders, actionHeaders }: { loaderHeaders: Headers; actionHeaders: Headers }) {
  const headers = new Headers();
  const retry = actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retry) headers.set("Retry-After", retry);
  return headers;
}
