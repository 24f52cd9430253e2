// Server processes (bench/serve.ts) and autocannon runs against them.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import os from "node:os";
import autocannon, { type Options, type Result } from "autocannon";
import { basicAuth } from "../test/support/config.js";
import { BENCH_CLIENT, BENCH_SECRET, PRE_REGISTER_PATH, preRegisterBody } from "./shared.js";

export const CONNECTIONS = 50;
export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
export const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);

export interface Figures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  requests: number;
  durationS: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Peak resident memory of the server process since it started. */
  serverMaxRssMB?: number;
  /** CPU during the measured run, in % of one core: the server process, autocannon's process, everything else. */
  cpu?: {
    server: number;
    loadGenerator: number;
    others: number;
    /** Server CPU time per completed request: steadier than requests/s when other processes share the machine. */
    serverMicrosPerRequest?: number;
  };
}

/** Busy and total jiffies of the whole machine (/proc/stat), to see what else ran during a measurement. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - fields[3]! - fields[4]!, total };
  } catch {
    return undefined;
  }
}

/** What `measure` reads of a server: its CPU time and memory. */
export type StatsSource = Pick<ServerProcess, "stats">;

export interface ServerProcess {
  url: string;
  /** BENCH_SEED_INVITE=1: the path of a valid invitation link, or why there is none. */
  invitePath?: string;
  /** BENCH_SEED_JOIN=1: the path of a join invitation's link. */
  joinPath?: string;
  seedError?: string;
  stats(): Promise<{ maxRssMB: number; rssMB: number; cpuMicros: number }>;
  /** CPU samples of the server while `during` runs, written to `file`. */
  profile<T>(file: string, during: () => Promise<T>): Promise<T>;
  /** Stops the outbox worker of this server (BENCH_WORKER=1). */
  stopWorker(): Promise<void>;
  /** Error-level lines and anything that was not a JSON log line, from the process's output. */
  problems(): string[];
  stop(): Promise<void>;
}

/**
 * Starts bench/serve.ts in its own Node process; its stdout and stderr go to `logFile`. `cwd`:
 * another checkout's bench/serve.ts and code (bench/ab.ts compares two).
 */
export async function startServer(env: Record<string, string>, logFile: string, cwd?: string): Promise<ServerProcess> {
  const fd = openSync(logFile, "w");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/serve.ts"], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", fd, fd, "ipc"],
  });
  closeSync(fd);
  const replies: ((m: any) => void)[] = [];
  let exited: string | undefined;
  const ready = new Promise<{ url: string; invitePath?: string; joinPath?: string; seedError?: string }>((resolve, reject) => {
    child.on("message", (m: any) => (m.type === "ready" ? resolve(m) : replies.shift()?.(m)));
    child.once("exit", (code) => {
      exited = `server process exited (${code})`;
      reject(new Error(`${exited}; its output:\n${tail(logFile, 30)}`));
    });
  });
  const request = (message: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => {
      if (exited) return reject(new Error(exited));
      replies.push(resolve);
      child.send(message);
    });
  const started = await withTimeout(ready, 60_000, "the server did not start in 60 s");
  return {
    ...started,
    stats: () => request({ type: "stats" }),
    stopWorker: () => request({ type: "worker-stop" }).then(() => undefined),
    async profile(file, during) {
      await request({ type: "profile-start" });
      try {
        return await during();
      } finally {
        await request({ type: "profile-stop", file });
      }
    },
    problems: () =>
      readFileSync(logFile, "utf8")
        .split("\n")
        // The service's own log lines (pino's JSON) at info or warn level are expected; anything else is not.
        .filter((line) => line.trim() && !/^\{"level":"(info|warn)","time":"[^"]+"/.test(line)),
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "exit" });
      await withTimeout(gone, 10_000, "").catch(() => child.kill("SIGKILL"));
    },
  };
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no output)";
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}

export type LoadSpec = Omit<Options, "connections" | "duration">;
/** A load on one server. */
export type OneServerSpec = LoadSpec & { url: string };

/** The environment of the real application in bench/serve.ts. */
export function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { NODE_ENV: "production", BENCH_SERVER: "app", ...extra };
}

// Every request a new invitee. autocannon 8's idReplacement (`[<id>]` in the body) sends a wrong
// Content-Length, so no request would ever complete: setupRequest makes the body instead, and
// autocannon then computes the length from it.
const RUN_ID = randomBytes(4).toString("hex");
let invitee = 0;

/** Pre-registers of new invitees; with several servers, autocannon's connections go to each in turn. */
export function preRegisterLoad(url: string): OneServerSpec;
export function preRegisterLoad(urls: string[]): LoadSpec;
export function preRegisterLoad(url: string | string[]): LoadSpec {
  return {
    url: Array.isArray(url) ? url.map((u) => `${u}${PRE_REGISTER_PATH}`) : `${url}${PRE_REGISTER_PATH}`,
    method: "POST",
    headers: { authorization: basicAuth(BENCH_CLIENT, BENCH_SECRET), "content-type": "application/json" },
    requests: [{ setupRequest: (request) => ({ ...request, body: preRegisterBody(`bench.${RUN_ID}.${++invitee}@bench.example`) }) }],
  };
}

function figures(r: Result): Figures {
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    // Completed requests over the run's wall time (autocannon's per-second average drops the partial last second).
    requestsPerSec: Math.round(requests / r.duration),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    p999Ms: r.latency.p99_9,
    maxMs: r.latency.max,
    requests,
    durationS: Math.round(r.duration * 100) / 100,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
  };
}

/** The servers' figures together: CPU time and resident memory summed, the highest peak. */
async function statsOf(servers: StatsSource[]): Promise<{ maxRssMB: number; rssMB: number; cpuMicros: number } | undefined> {
  if (servers.length === 0) return undefined;
  const all = await Promise.all(servers.map((s) => s.stats()));
  return {
    maxRssMB: Math.max(...all.map((s) => s.maxRssMB)),
    rssMB: all.reduce((n, s) => n + s.rssMB, 0),
    cpuMicros: all.reduce((n, s) => n + s.cpuMicros, 0),
  };
}

/**
 * A short discarded warm-up (JIT, caches, connection pools), then the measured run. With several
 * servers (spec.url a list, autocannon spreads its connections over them in turn) the server CPU
 * is theirs together.
 */
export async function measure(
  spec: LoadSpec,
  server?: StatsSource | StatsSource[],
  durationS = DURATION_S,
  warmupS = WARMUP_S,
): Promise<Figures> {
  const servers = server === undefined ? [] : Array.isArray(server) ? server : [server];
  if (warmupS > 0) await autocannon({ ...spec, connections: CONNECTIONS, duration: warmupS });
  const before = { server: await statsOf(servers), self: process.cpuUsage(), machine: machineTicks(), at: performance.now() };
  const result = figures(await autocannon({ ...spec, connections: CONNECTIONS, duration: durationS }));
  const after = { server: await statsOf(servers), self: process.cpuUsage(before.self), machine: machineTicks(), at: performance.now() };
  const wallMicros = (after.at - before.at) * 1000;
  const share = (micros: number) => Math.round((100 * micros) / wallMicros);
  if (before.machine && after.machine) {
    const cores = os.cpus().length;
    const machine = (cores * 100 * (after.machine.busy - before.machine.busy)) / (after.machine.total - before.machine.total || 1);
    const serverMicros = before.server && after.server ? after.server.cpuMicros - before.server.cpuMicros : 0;
    const serverCpu = share(serverMicros);
    const loadGenerator = share(after.self.user + after.self.system);
    result.cpu = {
      server: serverCpu,
      loadGenerator,
      others: Math.max(0, Math.round(machine - serverCpu - loadGenerator)),
      ...(serverMicros && result.requests ? { serverMicrosPerRequest: Math.round(serverMicros / result.requests) } : {}),
    };
  }
  if (after.server) result.serverMaxRssMB = after.server.maxRssMB;
  return result;
}

/** One request, to capture the exact bytes the app answers (for the bare baseline) and check it. */
export async function probe(url: string, init: RequestInit): Promise<{ status: number; headers: [string, string][]; body: Buffer }> {
  const response = await fetch(url, { ...init, redirect: "manual" });
  const body = Buffer.from(await response.arrayBuffer());
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    // Node adds these itself on every response; content-length stays (the bytes are the same).
    if (!["date", "connection", "keep-alive", "transfer-encoding"].includes(name)) headers.push([name, value]);
  });
  return { status: response.status, headers, body };
}

export const PAGE_HEADERS = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-language": "en-US,en;q=0.9",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
};

// Token look-ups are limited per client IP (app/journey/limits.server.ts: 60 a minute), as they should be;
// a real deployment sees many invitees behind its proxy. Each request comes "from" its own address
// through X-Forwarded-For, which the app trusts from loopback (server/app.ts, trust proxy).
let visitor = 0;
export function pageLoad(url: string): OneServerSpec {
  return {
    url,
    method: "GET",
    headers: PAGE_HEADERS,
    requests: [
      {
        setupRequest: (request) => {
          const n = ++visitor;
          const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
          return { ...request, headers: { ...request.headers, "x-forwarded-for": ip } };
        },
      },
    ],
  };
}
