// Page security headers: a nonce-based Content-Security-Policy and the embedding origins.

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
