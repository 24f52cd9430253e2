// What a start says and refuses: the summary line tells where messages really go, a port in use
// is one plain line, and brand locale overrides are checked as `npm run locales:check` checks them.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError } from "../../server/config/load.js";
import { parseEnv } from "../../server/env.js";
import { createLogger } from "../../server/lib/logger.js";
import { createServices } from "../../server/services.js";
import { logStartup } from "../../server/startup.js";
import { tenantWith, type RawConfig } from "../support/config.js";
import { startTestServer, TEST_SESSION_SECRET } from "../support/server.js";

type LogEntry = { level: string; event: string } & Record<string, unknown>;

function capture() {
  const entries: LogEntry[] = [];
  return { entries, log: createLogger((line) => entries.push(JSON.parse(line) as LogEntry)) };
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "startup-"));
}

/** The environment of a real tenant in production (INVITE_CONFIG set) over a fresh SQLite file. */
function productionEnv(extra: Record<string, string> = {}) {
  const dir = tempDir();
  return parseEnv({
    NODE_ENV: "production",
    INVITE_CONFIG: path.join(dir, "tenant.json"),
    SESSION_SECRET: TEST_SESSION_SECRET,
    DATA_DIR: dir,
    ...extra,
  });
}

describe("the start-up summary", () => {
  async function summary(env: ReturnType<typeof parseEnv>) {
    const { entries, log } = capture();
    const services = await createServices(env, { tenant: tenantWith(), log });
    try {
      logStartup(services);
    } finally {
      await services.close();
    }
    return { entries, listening: entries.find((e) => e.event === "server.listening")! };
  }

  test("a real tenant in production without SMTP_URL or SMS_WEBHOOK_URL: messages are held in the outbox, and it says so", async () => {
    const { entries, listening } = await summary(productionEnv());
    expect(listening).toMatchObject({ level: "info", mail: "held-in-outbox", sms: "held-in-outbox", demo: false, trustProxy: "loopback" });
    const warned = entries.filter((e) => e.event === "transport.unconfigured").map((e) => [e.level, e.variable]);
    expect(warned).toEqual([
      ["warn", "SMTP_URL"],
      ["warn", "SMS_WEBHOOK_URL"],
    ]);
    expect(entries.some((e) => e.event === "dev_mailbox.enabled")).toBe(false);
  });

  test("configured transports are named; the demo uses the dev mailbox", async () => {
    const configured = await summary(productionEnv({ SMTP_URL: "smtp://127.0.0.1:2525", SMS_WEBHOOK_URL: "https://sms.example/send" }));
    expect(configured.listening).toMatchObject({ mail: "smtp", sms: "webhook" });
    expect(configured.entries.some((e) => e.event === "transport.unconfigured")).toBe(false);
    const dir = tempDir();
    const demo = await summary(parseEnv({ NODE_ENV: "production", DATA_DIR: dir, SMTP_URL: "smtp://127.0.0.1:2525" }));
    expect(demo.listening).toMatchObject({ mail: "smtp", sms: "dev-mailbox", demo: true });
    expect(demo.entries.some((e) => e.event === "dev_mailbox.enabled")).toBe(true);
  });

  test("it says who sends the outbox: this process, or npm run worker when OUTBOX_WORKER=off; any other value is refused", async () => {
    expect((await summary(productionEnv())).listening).toMatchObject({ outboxWorker: "in this process" });
    expect((await summary(productionEnv({ OUTBOX_WORKER: "off" }))).listening).toMatchObject({ outboxWorker: "npm run worker" });
    expect(() => productionEnv({ OUTBOX_WORKER: "no" })).toThrow(/OUTBOX_WORKER/);
  });
});

describe("a port already in use", () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    port = (holder.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  test("stops the server with one plain line and a non-zero exit", async () => {
    const dir = tempDir();
    const child = spawn("npx", ["tsx", "server/index.ts"], {
      env: { ...process.env, NODE_ENV: "test", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dir, SESSION_SECRET: TEST_SESSION_SECRET },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe(`Port ${port} on 127.0.0.1 is already in use; set PORT to another port.`);
  }, 60_000);
});

describe("brand locale overrides", () => {
  const broken = (c: RawConfig) => {
    c.brands[0].locales = {
      "fr-FR": {
        journey: { "landing.greeting": "Bonjour {{firstname}}", "landing.nope": "x", "landing.intro": "{{brand}} vous attend {{" },
      },
    };
  };
  const problems = [
    "brand acme fr-FR/journey: 'landing.greeting' uses unknown placeholder {{firstname}}",
    "brand acme fr-FR/journey: extra key 'landing.nope' (not in en-US)",
    "brand acme fr-FR/journey: 'landing.intro' has an unbalanced {{ }}",
  ];

  test("broken ones stop a production start with a ConfigError naming brand, language, key and problem", async () => {
    const env = productionEnv();
    const start = createServices(env, { tenant: tenantWith(broken), log: createLogger(() => {}, true) });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    const error = (await start.catch((e: unknown) => e)) as ConfigError;
    expect(error.problems.sort()).toEqual([...problems].sort());
    expect(error.message).toContain(env.configPath);
  });

  test("in development and tests they are warned about, one log entry per problem, and the server starts", async () => {
    const { entries, log } = capture();
    const server = await startTestServer({ tenant: tenantWith(broken), log });
    try {
      const warned = entries.filter((e) => e.event === "i18n.brand_override_invalid");
      expect(warned.every((e) => e.level === "warn" && e.brand === "acme" && e.language === "fr-FR")).toBe(true);
      expect(warned.map((e) => `${String(e.where)}: ${String(e.problem)}`).sort()).toEqual([...problems].sort());
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test("sound overrides start quietly", async () => {
    const env = productionEnv();
    const { entries, log } = capture();
    const services = await createServices(env, {
      tenant: tenantWith((c) => (c.brands[0].locales = { "en-US": { journey: { "landing.greeting": "Hi {{name}}!" } } })),
      log,
    });
    await services.close();
    expect(entries.some((e) => e.event === "i18n.brand_override_invalid")).toBe(false);
  });
});
