// `npm run bench` (after `remix build`): pre-register throughput on SQLite and PostgreSQL, the
// landing page's server rendering, each beside a bare node:http server sending the same bytes
// under the same load, the activation page's JavaScript weight, and the admin invitations bench
// when it exists, the common-password list's load and look-up (bench/common-passwords.ts), and two
// instances on one PostgreSQL database (bench/scale.ts). Prints the figures and writes
// bench/results.json. See docs/benchmarks.md.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createPgDatabase } from "../test/support/postgres.js";
import { servedPageWeights } from "./bundle.js";
import {
  appEnv,
  CONNECTIONS,
  DURATION_S,
  WARMUP_S,
  measure,
  pageLoad,
  PAGE_HEADERS,
  preRegisterLoad,
  probe,
  startServer,
  withTimeout,
  type Figures,
  type OneServerSpec,
  type ServerProcess,
} from "./load.js";
import { attribute, GROUPS, summarizeProfile } from "./profile.js";
import { printReport } from "./report.js";
import { sqliteTransactionFloor } from "./floors.js";
import { benchRealistic, type RealisticResults } from "./realistic.js";
import { SECTIONS, TARGETS, type Results, type Scenario, type Section } from "./results.js";
import { benchScale, SCALE_TARGET_RATIO } from "./scale.js";
import { preRegisterBody, responseCheck, type BareResponse } from "./shared.js";

const PROFILE_S = Number(process.env.BENCH_PROFILE_DURATION ?? 5);
const PROFILE = process.env.BENCH_PROFILE !== "0" && PROFILE_S > 0;
const LANDING_ROUTE_FILE = "app/routes/invite.$token.tsx";
const ADMIN_BENCH_FILE = "bench/admin-invitations.ts";
const PASSWORDS_BENCH_FILE = "bench/common-passwords.ts";

function chosenSections(args: string[]): Section[] {
  if (args.length === 0) return [...SECTIONS];
  const unknown = args.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  if (unknown.length) {
    process.stderr.write(`Unknown section(s): ${unknown.join(", ")}. Sections: ${SECTIONS.join(", ")}\n`);
    process.exit(2);
  }
  return args as Section[];
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "invite-bench-run-"));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function withProfile(server: ServerProcess, name: string, spec: OneServerSpec): Promise<Scenario["profile"]> {
  if (!PROFILE) return undefined;
  const file = path.join(tmp, `${name}.cpuprofile`);
  await server.profile(file, () => measure(spec, undefined, PROFILE_S, 0));
  // BENCH_KEEP_PROFILES=1 keeps the raw profile (open it in Chrome DevTools or speedscope).
  if (process.env.BENCH_KEEP_PROFILES) copyFileSync(file, `bench/${name}.cpuprofile`);
  return { ...summarizeProfile(file), groups: attribute(file, GROUPS) };
}

/** The bare node:http baseline answering exactly the bytes the app answered. */
/** The same load on a server answering the captured bytes: node:http (the bare floor) unless `env` says another. */
async function bareBaseline(name: string, captured: BareResponse, spec: OneServerSpec, env: Record<string, string> = {}): Promise<Figures> {
  const file = path.join(tmp, `${name}.bare.json`);
  writeFileSync(file, JSON.stringify(captured));
  const bare = await startServer(
    { BENCH_SERVER: "bare", BENCH_BARE_FILE: file, ...env },
    path.join(tmp, `${name}.${env.BENCH_SERVER ?? "bare"}.log`),
  );
  try {
    const url = new URL(spec.url);
    const base = new URL(bare.url);
    url.host = base.host;
    return await measure({ ...spec, url: url.toString() }, bare);
  } finally {
    await bare.stop();
  }
}

function captureBytes(p: Awaited<ReturnType<typeof probe>>): BareResponse {
  return { status: p.status, headers: p.headers, body: p.body.toString("base64") };
}

function reportProblems(server: ServerProcess, what: string, into: Scenario): void {
  const problems = server.problems();
  if (problems.length) {
    into.note = `${into.note ? `${into.note}; ` : ""}${problems.length} error/unexpected line(s) in the ${what} server output, first: ${problems[0]!.slice(0, 300)}`;
  }
}

async function sqliteAndLanding(results: Results, want: { preRegister: boolean; landing: boolean }): Promise<void> {
  log("• SQLite: starting the app (worker off, one invitation seeded for the landing page)…");
  const server = await startServer(appEnv({ BENCH_SEED_INVITE: want.landing ? "1" : "0" }), path.join(tmp, "app-sqlite.log"));
  try {
    const spec = preRegisterLoad(server.url);
    const sample = await probe(spec.url, { method: "POST", headers: spec.headers, body: preRegisterBody("probe@bench.example") });
    results.checks.push(responseCheck("pre-register, SQLite (isolated)", sample));
    if (sample.status !== 201)
      throw new Error(`pre-register probe answered ${sample.status}: ${sample.body.toString("utf8").slice(0, 300)}`);

    let app: Figures | undefined;
    if (want.preRegister) {
      log(`• SQLite: pre-register, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s…`);
      app = await measure(spec, server);
      results.preRegister.sqlite.app = app;
      if (PROFILE) {
        log(`• SQLite: pre-register again for ${PROFILE_S} s under the CPU profiler…`);
        results.preRegister.sqlite.profile = await withProfile(server, "pre-register-sqlite", spec);
      }
    }

    // The landing page, or the home page until the journey route exists.
    const landing = results.landing;
    let page: Awaited<ReturnType<typeof probe>> | undefined;
    let pageSpec: OneServerSpec | undefined;
    if (want.landing) {
      const routeReady = existsSync(LANDING_ROUTE_FILE);
      if (routeReady && server.invitePath) {
        landing.route = "routes/invite.$token";
        landing.path = server.invitePath.replace(/\/invite\/.*/, "/invite/<token>");
      } else {
        landing.route = "routes/_index";
        landing.path = "/";
        landing.note = routeReady
          ? `no valid invitation to open (${server.seedError ?? "seeding failed"}); measured the home page instead`
          : `${LANDING_ROUTE_FILE} does not exist yet; measured the home page (GET /) instead`;
      }
      const pagePath = landing.route === "routes/invite.$token" ? server.invitePath! : "/";
      pageSpec = pageLoad(`${server.url}${pagePath}`);
      page = await probe(pageSpec.url, { headers: { ...PAGE_HEADERS, "x-forwarded-for": "192.0.2.1" } });
      results.checks.push(responseCheck(`GET ${landing.path} (isolated)`, page));
      if (page.status !== 200)
        landing.note = `${landing.note ? `${landing.note}; ` : ""}GET ${landing.path} answered ${page.status}, not 200: the figures are for that answer`;
      landing.htmlBytes = page.body.length;
      log(`• Page: GET ${landing.path} (${page.body.length} bytes of HTML)…`);
      landing.app = await measure(pageSpec, server);
      if (PROFILE) {
        log(`• Page: again for ${PROFILE_S} s under the CPU profiler…`);
        landing.profile = await withProfile(server, "landing", pageSpec);
      }
    }
    reportProblems(server, "SQLite app", results.preRegister.sqlite);
    await server.stop();

    if (want.preRegister) {
      log("• Bare node:http, same 201 bytes, same load…");
      results.preRegister.bare = await bareBaseline("pre-register", captureBytes(sample), spec);
      results.preRegister.sqlite.bare = results.preRegister.bare;
      results.preRegister.sqlite.ratio = app!.requestsPerSec / results.preRegister.bare.requestsPerSec;
    }
    if (page && pageSpec && landing.app) {
      log("• Bare node:http, same page bytes, same load…");
      landing.bare = await bareBaseline("landing", captureBytes(page), pageSpec);
      landing.ratio = landing.app.requestsPerSec / landing.bare.requestsPerSec;
      landing.floors = {};
      try {
        for (const split of [true, false]) {
          log(
            `• Remix's floor: trivial route modules writing the same page, ${split ? "journey pages in their own build" : "one build of every route"}…`,
          );
          landing.floors[split ? "remixSplit" : "remixWhole"] = await bareBaseline("landing", captureBytes(page), pageSpec, {
            BENCH_SERVER: "remix-floor",
            BENCH_FLOOR_SPLIT: split ? "1" : "0",
          });
        }
      } catch (error) {
        landing.floors.skipped = String(error);
      }
    }
    if (want.preRegister) {
      log("• SQLite's floor: the one-step pre-register transaction alone, 5,000 times…");
      results.preRegister.sqlite.floors = { sqliteTransactionMicros: await sqliteTransactionFloor(tmp) };
    }
  } finally {
    await server.stop();
  }
}

async function postgres(results: Results): Promise<void> {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  try {
    database = await createPgDatabase();
  } catch (error) {
    results.preRegister.postgres.skipped = `PostgreSQL not reachable: ${String(error)}`;
    return;
  }
  try {
    log("• PostgreSQL: starting the app (fresh database, worker off)…");
    const server = await startServer(appEnv({ BENCH_DATABASE_URL: database.url }), path.join(tmp, "app-postgres.log"));
    try {
      const spec = preRegisterLoad(server.url);
      const sample = await probe(spec.url, { method: "POST", headers: spec.headers, body: preRegisterBody("probe@bench.example") });
      results.checks.push(responseCheck("pre-register, PostgreSQL (isolated)", sample));
      log(`• PostgreSQL: pre-register, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s…`);
      const app = await measure(spec, server);
      const scenario = results.preRegister.postgres;
      scenario.app = app;
      if (PROFILE) {
        log(`• PostgreSQL: pre-register again for ${PROFILE_S} s under the CPU profiler…`);
        scenario.profile = await withProfile(server, "pre-register-postgres", spec);
      }
      if (results.preRegister.bare) {
        scenario.bare = results.preRegister.bare;
        scenario.ratio = app.requestsPerSec / results.preRegister.bare.requestsPerSec;
      }
      reportProblems(server, "PostgreSQL app", scenario);
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

/** The JavaScript each page loads, from the HTML a server answers (bench/bundle.ts). */
async function bundle(results: Results): Promise<void> {
  log("• Bundle: starting the app (an invitation and a join invitation seeded) to fetch its pages…");
  const server = await startServer(appEnv({ BENCH_SEED_INVITE: "1", BENCH_SEED_JOIN: "1" }), path.join(tmp, "app-bundle.log"));
  try {
    if (server.seedError) log(`  ! seeding: ${server.seedError}`);
    results.bundle = await servedPageWeights(server);
  } finally {
    await server.stop();
  }
}

async function adminInvitations(results: Results): Promise<void> {
  if (!existsSync(ADMIN_BENCH_FILE)) {
    results.adminInvitations = { status: `${ADMIN_BENCH_FILE} is not there yet` };
    return;
  }
  log(`• ${ADMIN_BENCH_FILE}…`);
  try {
    const mod = (await import(pathToFileURL(path.resolve(ADMIN_BENCH_FILE)).href)) as {
      benchAdminInvitations?: () => Promise<Record<string, number | string>>;
    };
    if (typeof mod.benchAdminInvitations !== "function") throw new Error("it does not export benchAdminInvitations()");
    results.adminInvitations = await withTimeout(mod.benchAdminInvitations(), 120_000, "benchAdminInvitations() took over 120 s");
  } catch (error) {
    results.adminInvitations = { status: "failed", error: String(error) };
  }
}

/** In a process of its own, so its memory figures are the list's alone. */
async function commonPasswords(results: Results): Promise<void> {
  log(`• ${PASSWORDS_BENCH_FILE}…`);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", PASSWORDS_BENCH_FILE, "--json"], {
      timeout: 120_000,
    });
    results.commonPasswords = JSON.parse(stdout) as Record<string, number>;
  } catch (error) {
    results.commonPasswords = { status: "failed", error: String(error) };
  }
}

async function main(): Promise<void> {
  const sections = chosenSections(process.argv.slice(2));
  const started = Date.now();
  const cpus = os.cpus();
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "?",
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    settings: { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, profileS: PROFILE ? PROFILE_S : 0 },
    targets: TARGETS,
    preRegister: { sqlite: {}, postgres: {} },
    landing: {},
    adminInvitations: {},
    commonPasswords: {},
    scale: { targetRatio: SCALE_TARGET_RATIO },
    realistic: {},
    checks: [],
    sections,
  };
  const step = async (name: string, into: { skipped?: string }, run: () => Promise<void> | void) => {
    try {
      await run();
    } catch (error) {
      into.skipped = `${name} failed: ${error instanceof Error ? error.message : String(error)}`;
      log(`  ! ${into.skipped}`);
    }
  };
  const bundleErrors: { skipped?: string } = {};
  const wants = (section: Section) => sections.includes(section);
  if (wants("bundle")) await step("the bundle weight", bundleErrors, () => bundle(results));
  if (wants("pre-register") || wants("landing"))
    await step("the SQLite / page benchmarks", results.preRegister.sqlite, () =>
      sqliteAndLanding(results, { preRegister: wants("pre-register"), landing: wants("landing") }),
    );
  if (results.preRegister.sqlite.skipped) results.landing.skipped ??= results.preRegister.sqlite.skipped;
  if (wants("pre-register")) await step("the PostgreSQL benchmark", results.preRegister.postgres, () => postgres(results));
  if (wants("realistic")) {
    await step("the realistic run", results.realistic, () => benchRealistic(results.realistic, results.checks, tmp, log));
    const separate: RealisticResults = (results.realistic.separateWorker = {});
    await step("the realistic run with a worker process", separate, () =>
      benchRealistic(separate, results.checks, tmp, log, { separateWorker: true }),
    );
  }
  if (wants("scale")) await step("the several-instances benchmark", results.scale, () => benchScale(results.scale, tmp, log));
  if (wants("admin")) await adminInvitations(results);
  if (wants("passwords")) await commonPasswords(results);
  results.totalSeconds = Math.round((Date.now() - started) / 1000);

  writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
  printReport(results, bundleErrors.skipped, TARGETS);
  log("Written: bench/results.json");
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
