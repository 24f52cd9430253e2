// Whether a POST comes from one of our own pages: the one check of it, used in front of every
// page action and again by the journey and the console before they change anything.
//
// Browsers say so in Sec-Fetch-Site. Older ones send Origin, which our Referrer-Policy
// (no-referrer) turns into "null" for same-origin form posts, so "null" proves nothing either way
// and the CSRF token alone decides. Requests from non-browsers carry neither header and are left to
// the CSRF token as well. Any other Origin must be ours.

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(n: string): string | null }).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * @param publicUrl the address the product is published at
 * @param requestOrigin the origin this request was addressed to (scheme and Host)
 */
export function isSameOriginPost(headers: HeaderBag, publicUrl: string, requestOrigin: string): boolean {
  const site = header(headers, "sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = header(headers, "origin");
  if (!origin || origin === "null") return true;
  return origin === new URL(publicUrl).origin || origin === requestOrigin;
}
