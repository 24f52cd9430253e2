// Before and after on a busy machine: `npx tsx bench/ab.ts <other checkout>` runs the pre-register
// load against this checkout's server, the other checkout's server (its own bench/serve.ts and
// code; it needs its own `npm run build`) and a bare node:http server answering the same bytes, in
// short bursts taken in turn, round after round, first on SQLite then on PostgreSQL. Whatever
// else the machine does weighs on the three alike, burst by burst; the report gives each one's
// median over the rounds, and app / bare per round, median. See docs/benchmarks.md.
// `BENCH_AB_LOAD=landing npx tsx bench/ab.ts <other checkout>` does the same with the landing page
// (GET /invite/<token>, each server with an invitation of its own, on SQLite only).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPgDatabase } from "../test/support/postgres.js";
import {
  appEnv,
  measure,
  pageLoad,
  PAGE_HEADERS,
  preRegisterLoad,
  probe,
  startServer,
  type Figures,
  type OneServerSpec,
  type ServerProcess,
} from "./load.js";
import { preRegisterBody } from "./shared.js";

const OTHER = process.argv[2];
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 6);
const BURST_S = Number(process.env.BENCH_AB_BURST ?? 3);
const LOAD = process.env.BENCH_AB_LOAD === "landing" ? "landing" : "pre-register";
const tmp = mkdtempSync(path.join(os.tmpdir(), "invite-bench-ab-"));
const log = (line: string) => process.stdout.write(`${line}\n`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Side {
  name: string;
  server: ServerProcess;
  runs: Figures[];
  spec?: OneServerSpec;
}

/** The load on one side: pre-register, or its own invitation's landing page. */
function loadOn(side: Side): OneServerSpec {
  if (side.spec) return side.spec;
  if (LOAD === "pre-register") return preRegisterLoad(side.server.url);
  if (!side.server.invitePath) throw new Error(`${side.name} has no invitation to open: ${side.server.seedError ?? "?"}`);
  return pageLoad(`${side.server.url}${side.server.invitePath}`);
}

/** One answer of this checkout's server, for the bare server to repeat. */
async function sampleOf(side: Side) {
  const spec = loadOn(side);
  if (LOAD === "landing") {
    const page = await probe(spec.url, { headers: { ...PAGE_HEADERS, "x-forwarded-for": "192.0.2.1" } });
    if (page.status !== 200) throw new Error(`the landing page answered ${page.status}`);
    return { sample: page, path: new URL(spec.url).pathname };
  }
  const sample = await probe(spec.url, { method: "POST", headers: spec.headers, body: preRegisterBody("probe.ab@bench.example") });
  if (sample.status !== 201) throw new Error(`pre-register answered ${sample.status}`);
  return { sample, path: new URL(spec.url).pathname };
}

async function compare(dialect: "sqlite" | "postgres"): Promise<void> {
  const databases = dialect === "postgres" ? [await createPgDatabase(), await createPgDatabase()] : [];
  const seed: Record<string, string> = LOAD === "landing" ? { BENCH_SEED_INVITE: "1" } : {};
  const env = (i: number) => appEnv({ ...seed, ...(databases[i] ? { BENCH_DATABASE_URL: databases[i].url } : {}) });
  const sides: Side[] = [];
  try {
    const mine = await startServer(env(0), path.join(tmp, `${dialect}-this.log`));
    sides.push({ name: "this checkout", server: mine, runs: [] });
    sides.push({ name: `other (${OTHER})`, server: await startServer(env(1), path.join(tmp, `${dialect}-other.log`), OTHER), runs: [] });
    const { sample, path: barePath } = await sampleOf(sides[0]!);
    const bareFile = path.join(tmp, "bare.json");
    writeFileSync(bareFile, JSON.stringify({ status: sample.status, headers: sample.headers, body: sample.body.toString("base64") }));
    const bare = await startServer({ BENCH_SERVER: "bare", BENCH_BARE_FILE: bareFile }, path.join(tmp, "bare.log"));
    sides.push({
      name: "bare node:http",
      server: bare,
      runs: [],
      ...(LOAD === "landing" ? { spec: pageLoad(`${bare.url}${barePath}`) } : {}),
    });

    for (const side of sides) await measure(loadOn(side), undefined, 2, 0);
    for (let round = 0; round < ROUNDS; round++) {
      log(`• ${dialect}: round ${round + 1} of ${ROUNDS}…`);
      // A different side first each round, so no side always follows the same one.
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(round + k) % sides.length]!;
        side.runs.push(await measure(loadOn(side), side.server, BURST_S, 0));
      }
    }
    const bareSide = sides[2]!;
    log(
      `\n${LOAD === "landing" ? "Landing page" : "Pre-register"} on ${dialect}: ${ROUNDS} rounds of ${BURST_S} s bursts, 50 connections (medians over the rounds)`,
    );
    log(
      `  ${"".padEnd(44)} ${"req/s".padStart(7)} ${"p99 ms".padStart(7)} ${"µs/req".padStart(7)} ${"app / bare".padStart(11)} ${"failed".padStart(7)} ${"peak RSS".padStart(9)}`,
    );
    for (const side of sides) {
      const ratios = side === bareSide ? [] : side.runs.map((r, i) => r.requestsPerSec / bareSide.runs[i]!.requestsPerSec);
      const failed = side.runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
      log(
        `  ${side.name.padEnd(44)} ${String(Math.round(median(side.runs.map((r) => r.requestsPerSec)))).padStart(7)} ${String(Math.round(median(side.runs.map((r) => r.p99Ms)))).padStart(7)} ${String(Math.round(median(side.runs.map((r) => r.cpu?.serverMicrosPerRequest ?? 0)))).padStart(7)} ${(ratios.length ? `${(100 * median(ratios)).toFixed(1)}%` : "").padStart(11)} ${String(failed).padStart(7)} ${`${Math.max(...side.runs.map((r) => r.serverMaxRssMB ?? 0))} MB`.padStart(9)}`,
      );
    }
    const others = median(sides.flatMap((s) => s.runs.map((r) => r.cpu?.others ?? 0)));
    log(`  other processes (PostgreSQL included): median ${others}% of a core during the bursts\n`);
  } finally {
    await Promise.all(sides.map((s) => s.server.stop()));
    for (const d of databases) await d.drop();
  }
}

async function main(): Promise<void> {
  if (!OTHER) throw new Error("usage: npx tsx bench/ab.ts <path of another checkout, built>");
  const which = process.argv.slice(3);
  const dialects = LOAD === "landing" ? (["sqlite"] as const) : (["sqlite", "postgres"] as const);
  for (const dialect of dialects) if (which.length === 0 || which.includes(dialect)) await compare(dialect);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));
