// What a start says: the summary line tells where messages really go.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "../../server/env.js";
import { createLogger } from "../../server/lib/logger.js";
import { createServices } from "../../server/services.js";
import { logStartup } from "../../server/startup.js";
import { tenantWith } from "../support/config.js";
import { TEST_SESSION_SECRET } from "../support/server.js";

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
  return parseEnv({ NODE_ENV: "production", INVITE_CONFIG: path.join(dir, "tenant.json"), SESSION_SECRET: TEST_SESSION_SECRET, DATA_DIR: dir, ...extra });
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
    expect(warned).toEqual([["warn", "SMTP_URL"], ["warn", "SMS_WEBHOOK_URL"]]);
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
});
