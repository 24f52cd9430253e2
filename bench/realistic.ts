// The realistic run (`npm run bench -- realistic`): the product as shipped — `node build/server.js`
// as `npm start` runs it (NODE_ENV=production, source maps on), its outbox worker on, delivering to
// a real SMTP listener, its JSON log written to a file — under the same loads as the isolated runs:
// the landing page first, then pre-register (whose thousands of messages the worker then sends
// while the load goes on). The only change to the shipped set-up: a tenant file (INVITE_CONFIG)
// that is the demo tenant with shop-web's rate limit raised, so the load is not answered 429.
// Then the pre-register load once more, the way docs/operations.md advises under sustained API
// load: the web process with OUTBOX_WORKER=off and `node build/worker.js` (npm run worker) beside
// it, on the same database, so the report shows what each set-up sends while the load lasts.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import SQLite from "better-sqlite3";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { demoConfig } from "../test/support/config.js";
import { measure, PAGE_HEADERS, pageLoad, preRegisterLoad, probe, withTimeout, type Figures } from "./load.js";
import { preRegisterBody, responseCheck, type ResponseCheck } from "./shared.js";

const DRAIN_S = Number(process.env.BENCH_REALISTIC_DRAIN ?? 10);

export interface RealisticResults {
  landing?: Figures;
  preRegister?: Figures;
  /** Mails the SMTP listener accepted while the pre-register load ran, and by the time the server stopped. */
  mailsDuringLoad?: number;
  /** Messages waiting in the outbox when the load stopped, and how many of them went in how long after. */
  drain?: { waitingAtEnd: number; sent: number; seconds: number };
  mailsAtStop?: number;
  logBytes?: number;
  /** Error-level lines and anything not a JSON log line in the server's output. */
  problems?: string[];
  skipped?: string;
  note?: string;
  /** The pre-register load again, the worker in a process of its own (npm run worker). */
  separateWorker?: RealisticResults;
}

/** A real SMTP server (smtp-server) that accepts every message and keeps the first ones parsed. */
class Mailbox {
  received = 0;
  first: { to: string; text: string }[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, _session, callback) => {
        this.received++;
        // Parsing costs the runner's CPU, which autocannon needs: only the first few are read.
        if (this.first.length >= 5) {
          stream.on("end", () => callback()).resume();
          return;
        }
        simpleParser(stream)
          .then((parsed) => {
            this.first.push({ to: (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.text ?? "", text: parsed.text ?? "" });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    server.on("error", () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (server.server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  async linkFor(email: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mail = this.first.find((m) => m.to.includes(email));
      const link = mail && /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      if (link) return new URL(link).pathname;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no activation mail for ${email} reached the SMTP listener in ${timeoutMs} ms`);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CPU time and peak memory of another process, from /proc (Linux): what `measure` needs of a server. */
function procStats(pid: number) {
  return {
    stats: async () => {
      // utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kB = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
      return { cpuMicros: ticks * 10_000, maxRssMB: Math.round(kB("VmHWM") / 1024), rssMB: Math.round(kB("VmRSS") / 1024) };
    },
  };
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`build/server.js exited (${child.exitCode}):\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("build/server.js was not ready in 60 s");
}

export async function benchRealistic(
  into: RealisticResults,
  checks: ResponseCheck[],
  tmp: string,
  log: (line: string) => void,
  o: { separateWorker?: boolean } = {},
): Promise<void> {
  const tenant = demoConfig();
  tenant.applications[0].clients[0].rateLimitPerMinute = 1_000_000;
  const configFile = path.join(tmp, "realistic-tenant.json");
  writeFileSync(configFile, JSON.stringify(tenant));
  const mailbox = await new Mailbox().start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const name = o.separateWorker ? "realistic-worker" : "realistic";
  const logFile = path.join(tmp, `${name}.log`);
  const dataDir = path.join(tmp, `${name}-data`);
  const databaseFile = path.join(dataDir, "invite.db");
  const fd = openSync(logFile, "w");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${databaseFile}`,
    INVITE_CONFIG: configFile,
    SESSION_SECRET: "bench-realistic-session-secret-0123456789",
    SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
    MAIL_FROM: "invitations@bench.example",
    OUTBOX_WORKER: o.separateWorker ? "off" : "on",
  };
  log(
    o.separateWorker
      ? "• Realistic: node build/server.js with OUTBOX_WORKER=off and node build/worker.js beside it…"
      : "• Realistic: node build/server.js (NODE_ENV=production), outbox worker on, real SMTP listener, log to a file…",
  );
  const child = spawn(process.execPath, ["--enable-source-maps", "build/server.js"], { env, stdio: ["ignore", fd, fd] });
  const worker = o.separateWorker
    ? spawn(process.execPath, ["--enable-source-maps", "build/worker.js"], { env, stdio: ["ignore", fd, fd] })
    : undefined;
  closeSync(fd);
  try {
    await waitReady(url, child, logFile);
    const server = procStats(child.pid!);

    const load = preRegisterLoad(url);
    const seeded = await probe(load.url, {
      method: "POST",
      headers: load.headers,
      body: preRegisterBody("landing.realistic@bench.example"),
    });
    checks.push(responseCheck("pre-register (realistic)", seeded));
    if (seeded.status !== 201) throw new Error(`pre-register answered ${seeded.status}: ${seeded.body.toString("utf8").slice(0, 300)}`);
    const invitePath = await mailbox.linkFor("landing.realistic@bench.example", 15_000);

    if (!o.separateWorker) {
      const pageSpec = pageLoad(`${url}${invitePath}`);
      checks.push(
        responseCheck(
          "GET /invite/<token> (realistic)",
          await probe(pageSpec.url, { headers: { ...PAGE_HEADERS, "x-forwarded-for": "192.0.2.2" } }),
        ),
      );
      log("• Realistic: landing page…");
      into.landing = await measure(pageSpec, server);
    }
    log(`• Realistic: pre-register (${o.separateWorker ? "the worker process" : "the worker"} sends the mails meanwhile)…`);
    const before = mailbox.received;
    into.preRegister = await measure(load, server);
    into.mailsDuringLoad = mailbox.received - before;
    // The worker shares the process (and, on SQLite, the one connection) with the requests: what
    // is still waiting when the load stops, and how fast the worker catches up once it has.
    const outbox = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
    try {
      const waiting = () => Number(outbox.prepare("select count(*) from outbox where status = 'pending'").pluck().get());
      const atEnd = waiting();
      const drainStart = performance.now();
      let left = atEnd;
      while (left > 0 && performance.now() - drainStart < DRAIN_S * 1000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = waiting();
      }
      into.drain = { waitingAtEnd: atEnd, sent: atEnd - left, seconds: Math.round((performance.now() - drainStart) / 100) / 10 };
    } finally {
      outbox.close();
    }
  } finally {
    // A graceful stop, as an orchestrator would ask for (SIGTERM: requests and the outbox batch finish).
    for (const p of [child, worker]) {
      if (!p) continue;
      const exited = new Promise((resolve) => (p.exitCode !== null ? resolve(undefined) : p.once("exit", resolve)));
      p.kill("SIGTERM");
      await withTimeout(exited, 15_000, "").catch(() => p.kill("SIGKILL"));
    }
    into.mailsAtStop = mailbox.received;
    await mailbox.stop();
    into.logBytes = statSync(logFile).size;
    into.problems = readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => line.trim() && !/^\{"level":"(info|warn)","time":"[^"]+"/.test(line))
      .slice(0, 5);
  }
}
