// Small cryptographic helpers: secret hashes from the configuration and constant-time comparison.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** `sha256:<hex>`, the form the tenant configuration stores secrets in. */
export function secretHash(secret: string): string {
  return `sha256:${sha256Hex(secret)}`;
}

/** Compares two strings without leaking where they differ (lengths are hashed away first). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb);
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
