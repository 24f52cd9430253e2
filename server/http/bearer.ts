// The token of an `Authorization: Bearer <token>` header (RFC 6750), for the admin API and /metrics.

/** The token, or undefined when the header is missing or not a bearer token. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer[ ]+([\x21-\x7e]+)$/i.exec((header ?? "").trim())?.[1];
}
