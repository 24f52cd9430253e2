// Password hashing with argon2id (memory-hard, docs/operations.md), through @node-rs/argon2.
import { hash, verify } from "@node-rs/argon2";

// Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
export const argon2id: PasswordHasher = {
  hash: (password) => hash(password, { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
  verify: (h, password) => verify(h, password),
};
