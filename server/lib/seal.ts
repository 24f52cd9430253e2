// Short sealed hand-offs (iron-session's sealData): the link kept in the outbox until delivery.
import { sealData, unsealData } from "iron-session";

/** SESSION_SECRET lists keys newest first; iron seals with the highest id and opens with any. */
export function passwordMap(secrets: string[]): Record<number, string> {
  const map: Record<number, string> = {};
  secrets.forEach((secret, i) => (map[secrets.length - i] = secret));
  return map;
}

export interface Sealer {
  seal(data: Record<string, unknown>, ttlSeconds?: number): Promise<string>;
  unseal<T extends Record<string, unknown>>(sealed: string, ttlSeconds?: number): Promise<T | undefined>;
}

export function createSealer(secrets: string[]): Sealer {
  const password = passwordMap(secrets);
  return {
    seal: (data, ttl = 0) => sealData(data, { password, ttl }),
    async unseal<T extends Record<string, unknown>>(sealed: string, ttl = 0) {
      const data = await unsealData<T>(sealed, { password, ttl });
      return Object.keys(data).length ? data : undefined;
    },
  };
}
