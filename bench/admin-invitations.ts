// Admin invitations at volume (`npm run bench`, called by bench/run.ts): 10,000 invitations created
// through POST /admin/api/v1/identityStores/customers/invite by concurrent HTTP clients, against the
// real application (APIs, outbox worker, SMTP transport) in its own process, over a fresh SQLite
// file, with a real smtp-server listener here receiving every message. Reports the creation rate
// and the time until every message was handed to SMTP.
//
// Then one batch call (POST .../invite/batch, bulk invitations) of BENCH_BULK_ROWS (1,000) rows, every row
// sending its email: the rows per minute of the call, and the time until its messages reached SMTP.
//
// The module is also the server process: run with ADMIN_BENCH_ROLE=server it starts the app the
// way test/support/server.ts does (createServices + createApp, worker started) and reports its URL
// over IPC, so the load generator and the SMTP listener do not share the server's event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

const SELF = fileURLToPath(import.meta.url);
const TOTAL = Number(process.env.BENCH_ADMIN_INVITATIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_ADMIN_CONCURRENCY ?? 16);
const BULK_ROWS = Number(process.env.BENCH_BULK_ROWS ?? 1000);
const TIMEOUT_MS = 100_000;
const ADMIN_TOKEN = "demo-admin-token";

/** A counting SMTP listener: accepts and drains each message without parsing it. */
async function startCountingSmtp(): Promise<{ url: string; count: () => number; firstAt: () => number; stop: () => Promise<void> }> {
  let received = 0;
  let first = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    maxClients: 64,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        if (!first) first = performance.now();
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    firstAt: () => first,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function startServerProcess(smtpUrl: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_ADMIN_PROFILE_DIR=<dir> writes a V8 CPU profile of the server process there.
  const profile = process.env.BENCH_ADMIN_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_ADMIN_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", SELF], {
    env: { ...process.env, ADMIN_BENCH_ROLE: "server", ADMIN_BENCH_SMTP_URL: smtpUrl },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the admin bench server did not start in 30 s")), 30_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the admin bench server exited (${code})`)));
    child.on("message", (m: { type: string; url?: string }) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        resolve({ child, url: m.url! });
      }
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchAdminInvitations(): Promise<Record<string, number | string>> {
  const smtp = await startCountingSmtp();
  const { child, url } = await startServerProcess(smtp.url);
  const endpoint = `${url}/admin/api/v1/identityStores/customers/invite`;
  const run = Date.now().toString(36);
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  let next = 0;
  try {
    // Warm-up outside the measurement (JIT, prepared statements), on other addresses.
    for (let i = 0; i < 50; i++) await create(endpoint, `warmup-${run}-${i}@bench.example`);
    const warmupMails = 50;
    await waitUntil(() => smtp.count() >= warmupMails, 30_000, "warm-up messages");

    const start = performance.now();
    const deadline = Date.now() + TIMEOUT_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < TOTAL; i = next++) {
          if (Date.now() > deadline) throw new Error(`creating ${TOTAL} invitations took over ${TIMEOUT_MS / 1000} s`);
          const t0 = performance.now();
          const status = await create(endpoint, `bench-${run}-${i}@bench.example`);
          latencies.push(performance.now() - t0);
          if (status !== 201) failures.set(status, (failures.get(status) ?? 0) + 1);
        }
      }),
    );
    const created = performance.now();
    const expected = warmupMails + TOTAL - [...failures.values()].reduce((a, b) => a + b, 0);
    await waitUntil(() => smtp.count() >= expected, Math.max(1000, deadline - Date.now()), `${expected} messages at the SMTP listener`);
    const delivered = performance.now();

    const bulk = await bulkBatch(`${endpoint}/batch`, run, () => smtp.count(), expected);

    latencies.sort((a, b) => a - b);
    const createS = (created - start) / 1000;
    const allS = (delivered - start) / 1000;
    return {
      invitations: TOTAL,
      concurrency: CONCURRENCY,
      database: "sqlite",
      createSeconds: round(createS, 2),
      invitationsPerSecond: Math.round(TOTAL / createS),
      latencyP50Ms: round(percentile(latencies, 50)),
      latencyP99Ms: round(percentile(latencies, 99)),
      allHandedToSmtpSeconds: round(allS, 2),
      messagesPerSecond: Math.round(TOTAL / allS),
      smtpBacklogAfterCreateSeconds: round((delivered - created) / 1000, 2),
      failures: failures.size ? [...failures].map(([s, n]) => `${n}x${s}`).join(", ") : "none",
      ...bulk,
    };
  } finally {
    child.send({ type: "exit" });
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(undefined);
      }, 5000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    await smtp.stop();
  }
}

/** One batch call of BULK_ROWS rows (each with its email sent), timed; then its messages at SMTP. */
async function bulkBatch(
  endpoint: string,
  run: string,
  smtpCount: () => number,
  mailsBefore: number,
): Promise<Record<string, number | string>> {
  const invitations = Array.from({ length: BULK_ROWS }, (_, i) => inviteBody(`bulk-${run}-${i}@bench.example`));
  const start = performance.now();
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ invitations }),
  });
  const body = (await res.json()) as { created?: number; failed?: number; detail?: string };
  const answered = performance.now();
  if (res.status !== 200) throw new Error(`the batch call answered ${res.status}: ${body.detail ?? ""}`);
  const created = body.created ?? 0;
  await waitUntil(() => smtpCount() >= mailsBefore + created, 60_000, `${created} batch messages at the SMTP listener`);
  const delivered = performance.now();
  const seconds = (answered - start) / 1000;
  return {
    bulkRows: BULK_ROWS,
    bulkCreated: created,
    bulkFailed: body.failed ?? 0,
    bulkCallSeconds: round(seconds, 2),
    bulkRowsPerMinute: Math.round((BULK_ROWS / seconds) * 60),
    bulkAllHandedToSmtpSeconds: round((delivered - start) / 1000, 2),
  };
}

function inviteBody(email: string) {
  return {
    clientId: "partner-portal",
    email,
    language: "en-US",
    organization: "northwind",
    roles: [{ id: "buyer", organization: "northwind" }],
    groups: [{ id: "newsletter" }],
    metadata: { givenName: "Bench", familyName: "Mark", companyName: "Northwind" },
  };
}

async function create(endpoint: string, email: string): Promise<number> {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(inviteBody(email)),
  });
  await res.arrayBuffer();
  return res.status;
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The server process: the application as test/support/server.ts starts it, over a fresh SQLite file. */
async function serve(): Promise<void> {
  const [{ createApp }, { parseEnv }, { createServices }, { createLogger }, { tenantWith }] = await Promise.all([
    import("../server/app.js"),
    import("../server/env.js"),
    import("../server/services.js"),
    import("../server/lib/logger.js"),
    import("../test/support/config.js"),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), "invite-admin-bench-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const env = parseEnv({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
    SESSION_SECRET: "bench-session-secret-0123456789abcdefghij",
    SMTP_URL: process.env.ADMIN_BENCH_SMTP_URL!,
    DATA_DIR: dir,
  });
  const services = await createServices(env, { tenant: tenantWith(), log: createLogger(() => {}, true) });
  const app = createApp(services);
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  services.worker.start();
  process.on("message", (m: { type: string }) => {
    if (m.type !== "exit") return;
    server.closeAllConnections();
    server.close();
    void services.close().finally(() => process.exit(0));
  });
  process.send?.({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

if (process.env.ADMIN_BENCH_ROLE === "server") {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  // `npx tsx bench/admin-invitations.ts`: this bench alone.
  benchAdminInvitations().then(
    (figures) => console.log(figures),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
