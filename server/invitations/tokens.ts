// Link tokens (docs/operations.md): 160 random bits, only the hash is stored, a new one kills the old.
import { randomBytes } from "node:crypto";
import { sha256Hex } from "../lib/crypto.js";

export const TOKEN_BYTES = 20;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{27}$/;

export interface LinkToken {
  token: string;
  hash: string;
}

export function newLinkToken(): LinkToken {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return sha256Hex(token);
}

/** Rejects obviously malformed tokens before any database look-up. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
