// The server under test, in its own process so autocannon's CPU does not share its event loop.
// Started by bench/run.ts with an IPC channel (`node --import tsx bench/serve.ts`):
//
//   BENCH_SERVER=app   the real application (APIs + Remix pages) WITHOUT the outbox worker, over
//                      BENCH_DATABASE_URL or a fresh SQLite file, with the demo tenant and shop-web's
//                      rate limit raised. With BENCH_SEED_INVITE=1 it first pre-registers one invitee,
//                      runs the worker against the dev mailbox just long enough to read the link,
//                      and stops it: the landing page needs a valid token, whose clear text is never stored.
//                      With BENCH_WORKER=1 the outbox worker runs, and BENCH_SMTP_URL sends its mail
//                      to a real SMTP listener (the several-instances bench, bench/scale.ts).
//   BENCH_SERVER=bare  a plain node:http server answering every request with the bytes in
//                      BENCH_BARE_FILE ({status, headers, body (base64)}): the floor for the same load.
//   BENCH_SERVER=remix-floor  the product's page build with trivial route modules writing the
//                      page in BENCH_BARE_FILE (bench/floors.ts); BENCH_FLOOR_SPLIT=1 keeps the
//                      routes' handles, so the journey's pages are served from their own build.
//
//                      BENCH_SEED_JOIN=1 also makes a join invitation (an activated account invited
//                      into an organization), for the bundle section.
//
// It answers on IPC: {type:"ready", url, invitePath?, joinPath?}; "stats" → {maxRssMB, rssMB, cpuMicros};
// "profile-start" / "profile-stop" (node:inspector, CPU samples written to msg.file);
// "worker-stop" → "worker-stopped" (this instance sends nothing more); "exit".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "../server/app.js";
import { parseEnv } from "../server/env.js";
import { createServices, type Services } from "../server/services.js";
import { acceptInvitation, tokenHashOf } from "../server/invitations/activate.js";
import { basicAuth, DEMO_ADMIN_TOKEN, tenantWith } from "../test/support/config.js";
import { remixFloorServer } from "./floors.js";
import { BENCH_CLIENT, BENCH_SECRET, PRE_REGISTER_PATH, preRegisterBody, type BareResponse } from "./shared.js";

type Message =
  { type: "stats" } | { type: "profile-start" } | { type: "profile-stop"; file: string } | { type: "worker-stop" } | { type: "exit" };

function send(message: Record<string, unknown>): void {
  process.send?.(message);
}

async function listen(server: Server): Promise<string> {
  server.keepAliveTimeout = 65_000; // as server/index.ts
  await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT ?? 0), "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function startBare(): Promise<{ server: Server; url: string }> {
  const r = JSON.parse(readFileSync(process.env.BENCH_BARE_FILE!, "utf8")) as BareResponse;
  const body = Buffer.from(r.body, "base64");
  const headers = r.headers.flat();
  const server = createServer((req, res) => {
    // Read the request body like the app does, then send the captured bytes.
    req.resume();
    req.on("end", () => {
      res.writeHead(r.status, headers);
      res.end(body);
    });
  });
  return listen(server).then((url) => ({ server, url }));
}

async function startRemixFloor(): Promise<{ server: Server; url: string }> {
  const captured = JSON.parse(readFileSync(process.env.BENCH_BARE_FILE!, "utf8")) as BareResponse;
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const server = remixFloorServer(build, captured, process.env.BENCH_FLOOR_SPLIT === "1");
  return { server, url: await listen(server) };
}

async function seedInvitation(s: Services, url: string): Promise<string> {
  const response = await fetch(`${url}${PRE_REGISTER_PATH}`, {
    method: "POST",
    headers: { authorization: basicAuth(BENCH_CLIENT, BENCH_SECRET), "content-type": "application/json" },
    body: preRegisterBody("landing.page@bench.example"),
  });
  if (response.status !== 201) throw new Error(`seeding the invitation: pre-register answered ${response.status}`);
  if (!s.mailbox) throw new Error("seeding the invitation needs the dev mailbox (no SMTP_URL)");
  s.worker.start();
  const deadline = Date.now() + 10_000;
  let link: string | undefined;
  while (!link && Date.now() < deadline) {
    link = s.mailbox.list().find((m) => m.link)?.link;
    if (!link) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await s.worker.stop();
  if (!link) throw new Error("seeding the invitation: no activation link reached the dev mailbox in 10 s");
  return new URL(link).pathname;
}

/**
 * A join invitation's link (BENCH_SEED_JOIN=1): an account activated first, then invited into
 * Northwind through partner-portal with the admin API, nothing sent.
 */
async function seedJoinInvitation(s: Services, url: string): Promise<string> {
  const invite = async (body: Record<string, unknown>) => {
    const response = await fetch(`${url}/admin/api/v1/identityStores/customers/invite`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ sendEmail: false, language: "en-US", ...body }),
    });
    if (response.status !== 201) throw new Error(`seeding the join invitation: invite answered ${response.status}`);
    return ((await response.json()) as { invitationUrl: string }).invitationUrl;
  };
  const email = "join.page@bench.example";
  const first = await invite({ clientId: "shop-web", email });
  const result = await acceptInvitation(s, {
    tokenHash: tokenHashOf(first.split("/").pop() ?? "")!,
    password: "Bench-Mark-Passw0rd-Long",
    profile: { firstName: "Bench", lastName: "Mark" },
    locale: "en-US",
  });
  if (result.kind !== "activated") throw new Error(`seeding the join invitation: activation answered ${result.kind}`);
  const link = await invite({
    clientId: "partner-portal",
    email,
    organization: "northwind",
    roles: [{ id: "approver" }],
    metadata: { givenName: "Bench", familyName: "Mark", companyName: "Northwind Traders" },
  });
  return new URL(link).pathname;
}

async function startApp(): Promise<{
  server: Server;
  url: string;
  services: Services;
  invitePath?: string;
  joinPath?: string;
  seedError?: string;
}> {
  const dir = mkdtempSync(path.join(tmpdir(), "invite-bench-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const env = parseEnv({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: process.env.BENCH_PORT ?? "0",
    DATABASE_URL: process.env.BENCH_DATABASE_URL || `file:${path.join(dir, "bench.db")}`,
    SESSION_SECRET: "bench-session-secret-0123456789abcdefghij",
    DATA_DIR: dir,
    ...(process.env.BENCH_SMTP_URL ? { SMTP_URL: process.env.BENCH_SMTP_URL } : {}),
  });
  // The real logger on stdout (the parent points stdout at a file): logging is part of the cost.
  const services = await createServices(env, {
    tenant: tenantWith((c) => (c.applications[0].clients[0].rateLimitPerMinute = 1_000_000)),
  });
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const app = createApp(services, { build, mode: "production" });
  const server = createServer(app);
  const url = await listen(server);
  // The outbox worker is off for the throughput measurements (email delivery is not on their
  // path), on for the time from commit to SMTP.
  let invitePath: string | undefined;
  let seedError: string | undefined;
  if (process.env.BENCH_SEED_INVITE === "1") {
    try {
      invitePath = await seedInvitation(services, url);
    } catch (error) {
      seedError = String(error);
    }
  }
  let joinPath: string | undefined;
  if (process.env.BENCH_SEED_JOIN === "1") {
    try {
      joinPath = await seedJoinInvitation(services, url);
    } catch (error) {
      seedError = `${seedError ? `${seedError}; ` : ""}${String(error)}`;
    }
  }
  if (process.env.BENCH_WORKER === "1") services.worker.start();
  return { server, url, services, invitePath, joinPath, seedError };
}

async function main(): Promise<void> {
  const kind = process.env.BENCH_SERVER ?? "app";
  const started: { server: Server; url: string; services?: Services; invitePath?: string; joinPath?: string; seedError?: string } =
    kind === "bare" ? await startBare() : kind === "remix-floor" ? await startRemixFloor() : await startApp();
  let session: Session | undefined;

  process.on("message", (m: Message) => {
    void (async () => {
      if (m.type === "stats") {
        const usage = process.resourceUsage();
        send({
          type: "stats",
          maxRssMB: Math.round(usage.maxRSS / 1024),
          rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
          cpuMicros: usage.userCPUTime + usage.systemCPUTime,
        });
      } else if (m.type === "profile-start") {
        session = new Session();
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 500 });
        await session.post("Profiler.start");
        send({ type: "profile-started" });
      } else if (m.type === "profile-stop") {
        const { profile } = await session!.post("Profiler.stop");
        writeFileSync(m.file, JSON.stringify(profile));
        session!.disconnect();
        send({ type: "profile-stopped", file: m.file });
      } else if (m.type === "worker-stop") {
        await started.services?.worker.stop();
        send({ type: "worker-stopped" });
      } else if (m.type === "exit") {
        started.server.closeAllConnections();
        started.server.close();
        await started.services?.close();
        process.exit(0);
      }
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", url: started.url, invitePath: started.invitePath, joinPath: started.joinPath, seedError: started.seedError });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
