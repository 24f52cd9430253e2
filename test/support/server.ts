// Starts the real application (APIs, pages, outbox worker) on a free loopback port, over a fresh
// SQLite file unless a DATABASE_URL is given. Integration and browser tests talk to it over HTTP.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "../../server/app.js";
import type { Tenant } from "../../server/config/load.js";
import { parseEnv, type Env } from "../../server/env.js";
import type { Clock } from "../../server/lib/clock.js";
import { createLogger, type Logger } from "../../server/lib/logger.js";
import { createServices, type ServiceOverrides, type Services } from "../../server/services.js";
import { tenantWith } from "./config.js";

export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdefghij";

export interface TestServerOptions {
  tenant?: Tenant;
  databaseUrl?: string;
  smtpUrl?: string;
  smsWebhookUrl?: string;
  clock?: Clock;
  /** Extra environment variables (strings, as in process.env). */
  env?: Record<string, string>;
  log?: Logger;
  workerOptions?: ServiceOverrides["workerOptions"];
  passwords?: ServiceOverrides["passwords"];
}

export interface TestServer {
  url: string;
  services: Services;
  env: Env;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let build: ServerBuild | undefined;
async function remixBuild(): Promise<ServerBuild> {
  build ??= (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  return build;
}

export async function startTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "invite-test-"));
  const port = await freePort();
  const env = parseEnv({
    NODE_ENV: "test",
    PORT: String(port),
    DATABASE_URL: o.databaseUrl ?? `file:${path.join(dir, "test.db")}`,
    SESSION_SECRET: TEST_SESSION_SECRET,
    DATA_DIR: dir,
    ...(o.smtpUrl ? { SMTP_URL: o.smtpUrl } : {}),
    ...(o.smsWebhookUrl ? { SMS_WEBHOOK_URL: o.smsWebhookUrl } : {}),
    ...o.env,
  });
  const services = await createServices(env, {
    tenant: o.tenant ?? tenantWith(),
    clock: o.clock,
    log: o.log ?? createLogger(() => {}, true),
    workerOptions: { baseBackoffMs: 200, maxBackoffMs: 1000, idleMs: 100, ...o.workerOptions },
    passwords: o.passwords,
  });
  const app = createApp(services, { build: await remixBuild(), mode: "production" });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s));
  });
  services.worker.start();
  return {
    url: `http://localhost:${port}`,
    services,
    env,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock tests can move forward (expiry, backoff). */
export class TestClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceHours(hours: number): void {
    this.current = new Date(this.current.getTime() + hours * 3_600_000);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}
