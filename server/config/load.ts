// Loads and validates the tenant configuration file, and indexes it for look-ups.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import {
  tenantConfigSchema,
  type AdminToken,
  type Application,
  type Brand,
  type Client,
  type IdentityStore,
  type TenantConfig,
} from "./schema.js";
import { ROOT } from "../paths.js";

export const DEMO_CONFIG_PATH = path.join(ROOT, "config/demo.json");

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid tenant configuration ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** `applications[0].clients[1].redirectUris: must be an http(s) URL` */
export function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
    return `${where || "(root)"}: ${issue.message}`;
  });
}

export function parseTenantConfig(raw: unknown, file = "(inline)"): Tenant {
  const result = tenantConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return new Tenant(result.data);
}

export function loadTenantConfig(file: string = DEMO_CONFIG_PATH): Tenant {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseTenantConfig(raw, file);
}

export interface ClientContext {
  client: Client;
  application: Application;
  store: IdentityStore;
  brand: Brand;
}

/** The validated configuration with the look-ups every part needs. */
export class Tenant {
  private readonly clients = new Map<string, ClientContext>();
  private readonly stores = new Map<string, IdentityStore>();
  private readonly brands = new Map<string, Brand>();

  constructor(readonly config: TenantConfig) {
    for (const s of config.identityStores) this.stores.set(s.name, s);
    for (const b of config.brands) this.brands.set(b.id, b);
    for (const application of config.applications) {
      const store = this.stores.get(application.store)!;
      const brand = this.brands.get(application.brand)!;
      for (const client of application.clients) this.clients.set(client.clientId, { client, application, store, brand });
    }
  }

  get authorizationEndpoint(): string {
    return this.config.authorizationEndpoint;
  }

  client(clientId: string): ClientContext | undefined {
    return this.clients.get(clientId);
  }

  allClients(): ClientContext[] {
    return [...this.clients.values()];
  }

  store(name: string): IdentityStore | undefined {
    return this.stores.get(name);
  }

  brand(id: string): Brand | undefined {
    return this.brands.get(id);
  }

  adminTokens(): AdminToken[] {
    return this.config.adminTokens;
  }
}
