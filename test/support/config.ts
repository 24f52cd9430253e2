// Test tenant configurations: the demo file, or a copy changed by the test, with known secrets.
import { readFileSync } from "node:fs";
import { DEMO_CONFIG_PATH, parseTenantConfig, type Tenant } from "../../server/config/load.js";
import { secretHash } from "../../server/lib/crypto.js";

export const DEMO_SECRETS = {
  "shop-web": "demo-shop-secret",
  "partner-portal": "demo-partner-secret",
  "shop-saml": "demo-saml-secret",
} as const;
export const DEMO_ADMIN_TOKEN = "demo-admin-token";
export const DEMO_READONLY_TOKEN = "demo-readonly-token";

export type RawConfig = Record<string, any>;

export function demoConfig(): RawConfig {
  return JSON.parse(readFileSync(DEMO_CONFIG_PATH, "utf8")) as RawConfig;
}

/** The demo configuration after `edit` changed a copy of it. */
export function tenantWith(edit: (c: RawConfig) => void = () => {}): Tenant {
  const raw = demoConfig();
  edit(raw);
  return parseTenantConfig(raw, "test");
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
}

export { secretHash };
