// Page security headers (SPEC section 6 and issue 3): nonce-based CSP and frame-ancestors.

export function contentSecurityPolicy(nonce: string, frameAncestors: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' https: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self' https: http:",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(" ") : "'none'"}`,
  ].join("; ");
}

/**
 * Whether a POST comes from one of our own pages. Browsers say so in Sec-Fetch-Site; older ones
 * send Origin, which our Referrer-Policy (no-referrer) turns into "null" for same-origin form posts,
 * so "null" proves nothing either way and the CSRF token alone decides. Requests from non-browsers
 * carry neither header and are left to the CSRF token as well.
 */
export function isSameOriginPost(request: Request, publicUrl: string): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return true;
  return origin === new URL(publicUrl).origin || origin === new URL(request.url).origin;
}
