// The printed form of bench/results.json.
import { verdict } from "./bundle.js";
import type { Figures } from "./load.js";
import type { RealisticResults } from "./realistic.js";
import type { Results, TARGETS } from "./results.js";
import type { Latency, ScaleResults } from "./scale.js";

const out = (line = "") => process.stdout.write(`${line}\n`);
const num = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));
const pct = (r: number) => `${(100 * r).toFixed(1)}%`;

function row(label: string, f: Figures | undefined, skipped?: string): string {
  if (!f) return `  ${label.padEnd(22)} ${skipped ?? "not measured"}`;
  const codes = Object.entries(f.statusCodes)
    .map(([code, count]) => `${code}×${num(count)}`)
    .join(" ");
  return [
    `  ${label.padEnd(22)}`,
    num(f.requestsPerSec).padStart(8),
    ms(f.p50Ms).padStart(7),
    ms(f.p99Ms).padStart(7),
    ms(f.maxMs).padStart(7),
    num(f.non2xx + f.errors + f.timeouts).padStart(9),
    (f.serverMaxRssMB ? `${f.serverMaxRssMB} MB` : "").padStart(9),
    (f.cpu ? `${f.cpu.server}/${f.cpu.loadGenerator}/${f.cpu.others}` : "").padStart(13),
    (f.cpu?.serverMicrosPerRequest ? num(f.cpu.serverMicrosPerRequest) : "").padStart(8),
    `  ${codes}`,
  ].join(" ");
}

const HEADER = `  ${"".padEnd(22)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)} ${"failed".padStart(9)} ${"peak RSS".padStart(9)} ${"CPU% s/ac/o".padStart(13)} ${"µs/req".padStart(8)}   status codes`;

function failures(label: string, f: Figures | undefined): void {
  if (f && (f.non2xx || f.errors || f.timeouts))
    out(`  ! ${label}: ${num(f.non2xx)} non-2xx, ${num(f.errors)} errors, ${num(f.timeouts)} timeouts`);
  // PostgreSQL's own backends count as "others" in its row; elsewhere it is other work on the machine.
  if (f?.cpu && f.cpu.others > 30 && !label.startsWith("PostgreSQL"))
    out(`  ! ${label}: other processes used ${f.cpu.others}% of a core during the run; the figures are lower than on a quiet machine`);
}

function profile(title: string, p: Results["landing"]["profile"]): void {
  if (!p) return;
  out(`  Where the server's CPU went (${title}; busy ${p.busyPercent}% of wall time; share of busy time):`);
  for (const [name, share] of Object.entries(p.groups).slice(0, 10)) out(`    ${String(share).padStart(5)}%  ${name}`);
  out("    hottest functions (self time):");
  for (const f of p.functions.slice(0, 6)) out(`    ${String(f.selfPercent).padStart(5)}%  ${f.name}`);
}

export function printReport(r: Results, bundleError: string | undefined, t: typeof TARGETS): void {
  const { settings: s } = r;
  const ran = (section: Results["sections"][number]) => r.sections.includes(section);
  out();
  out(`Benchmarks, ${r.date.slice(0, 10)}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGB} GB, Node ${r.machine.node}`);
  out(
    `autocannon: ${s.connections} connections, ${s.warmupS} s warm-up then ${s.durationS} s; server in its own process (NODE_ENV=production)`,
  );
  out(`load average before the run: ${r.machine.loadAverage.join(", ")}`);
  out("CPU% s/ac/o: % of one core used during the run by the server, by autocannon, by all other processes;");
  out("µs/req: server CPU time per request (1,000,000 / µs/req = what one free core could serve)");
  out();
  out(`sections run: ${r.sections.join(", ")}`);
  out();
  checks(r);
  if (ran("pre-register")) preRegister(r, t);
  if (ran("landing")) landing(r, t);
  if (ran("bundle")) bundle(r, bundleError);
  if (ran("admin")) {
    out("4. Admin invitations (bench/admin-invitations.ts)");
    for (const [k, v] of Object.entries(r.adminInvitations)) out(`  ${k}: ${typeof v === "number" ? num(v) : v}`);
    out();
  }
  if (ran("passwords")) {
    out("5. Common-password list (bench/common-passwords.ts)");
    for (const [k, v] of Object.entries(r.commonPasswords ?? {})) out(`  ${k}: ${typeof v === "number" ? num(v) : v}`);
    out();
  }
  if (ran("scale")) scale(r.scale);
  if (ran("realistic")) realistic(r, t);
  out(`Whole run: ${r.totalSeconds ?? "?"} s`);
}

function checks(r: Results): void {
  if (r.checks.length === 0) return;
  out("What each measured URL answered (one request before its load):");
  for (const c of r.checks)
    out(
      `  ${c.what.padEnd(40)} ${String(c.status).padStart(4)}  ${num(c.bytes).padStart(7)} bytes  ${String(c.scripts).padStart(2)} <script>`,
    );
  out();
}

function preRegister(r: Results, t: typeof TARGETS): void {
  out("1. POST /idp/v1/account/pre-register (new email each request, shop-web Basic auth, outbox worker off)");
  out(HEADER);
  const { sqlite, postgres, bare } = r.preRegister;
  out(row("app, SQLite", sqlite.app, sqlite.skipped));
  out(row("app, PostgreSQL", postgres.app, postgres.skipped));
  out(row("bare node:http", bare));
  if (sqlite.ratio !== undefined)
    out(
      `  app / bare, SQLite: ${pct(sqlite.ratio)}; target ≥ ${pct(t.preRegisterSqliteRatio)} → ${sqlite.ratio >= t.preRegisterSqliteRatio ? "MET" : "NOT MET"}`,
    );
  if (postgres.ratio !== undefined)
    out(
      `  app / bare, PostgreSQL: ${pct(postgres.ratio)}; target ≥ ${pct(t.preRegisterPostgresRatio)} → ${postgres.ratio >= t.preRegisterPostgresRatio ? "MET" : "NOT MET"}`,
    );
  if (sqlite.app) {
    const ok = sqlite.app.requestsPerSec >= t.preRegisterSqliteRps && sqlite.app.p99Ms < t.preRegisterSqliteP99Ms;
    out(
      `  target on SQLite: ≥ ${num(t.preRegisterSqliteRps)} req/s with p99 < ${t.preRegisterSqliteP99Ms} ms → ${ok ? "MET" : "NOT MET"} (${num(sqlite.app.requestsPerSec)} req/s, p99 ${ms(sqlite.app.p99Ms)} ms)`,
    );
  }
  const tx = sqlite.floors?.sqliteTransactionMicros;
  if (tx !== undefined && bare)
    out(
      `  SQLite's floor: the one-step transaction alone takes ${num(Math.round(tx))} µs (no HTTP, no validation): at most ${num(Math.round(1e6 / tx))} a second on one core, ${pct(1e6 / tx / bare.requestsPerSec)} of bare before any other work`,
    );
  failures("SQLite", sqlite.app);
  failures("PostgreSQL", postgres.app);
  failures("bare node:http", bare);
  for (const note of [sqlite.note, postgres.note]) if (note) out(`  note: ${note}`);
  profile("pre-register on SQLite", sqlite.profile);
  profile("pre-register on PostgreSQL", postgres.profile);
  out();
}

function landing(r: Results, t: typeof TARGETS): void {
  const l = r.landing;
  out(
    `2. Server-side rendering: GET ${l.path ?? "?"} (${l.route ?? "?"}${l.htmlBytes ? `, ${num(l.htmlBytes)} bytes of HTML` : ""}; each request from its own X-Forwarded-For address)`,
  );
  out(HEADER);
  out(row("app", l.app, l.skipped));
  out(row("bare node:http", l.bare));
  // Remix's own cost (bench/floors.ts): trivial route modules writing the same page.
  if (l.floors?.remixSplit) out(row("Remix floor, split", l.floors.remixSplit));
  if (l.floors?.remixWhole) out(row("Remix floor, whole", l.floors.remixWhole));
  if (l.ratio !== undefined)
    out(`  app / bare: ${pct(l.ratio)}; target ≥ ${pct(t.landingRatio)} → ${l.ratio >= t.landingRatio ? "MET" : "NOT MET"}`);
  if (l.bare)
    for (const [name, f] of [
      ["journey pages in their own build", l.floors?.remixSplit],
      ["one build of every route", l.floors?.remixWhole],
    ] as const)
      if (f)
        out(
          `  Remix's floor (${name}): ${pct(f.requestsPerSec / l.bare.requestsPerSec)} of bare, ${num(Math.round(f.cpu?.serverMicrosPerRequest ?? 0))} µs/req`,
        );
  if (l.floors?.skipped) out(`  ! Remix's floor not measured: ${l.floors.skipped}`);
  if (l.app?.serverMaxRssMB !== undefined)
    out(
      `  peak RSS of the app during the landing load: ${l.app.serverMaxRssMB} MB; target ≤ ${t.landingPeakRssMB} MB → ${l.app.serverMaxRssMB <= t.landingPeakRssMB ? "MET" : "NOT MET"}`,
    );
  failures("page", l.app);
  failures("bare node:http (page)", l.bare);
  if (l.note) out(`  note: ${l.note}`);
  profile("page rendering", l.profile);
  out();
}

function bundle(r: Results, bundleError: string | undefined): void {
  out("3. JavaScript each page loads, from the served HTML (<script src>, <link rel=modulepreload>, their static imports,");
  out("   executable inline scripts; each URL once; gzip -9)");
  if (!r.bundle) {
    out(`  not measured: ${bundleError ?? "?"}`);
    out();
    return;
  }
  out(
    `  ${"page".padEnd(20)} ${"path".padEnd(18)} ${"status".padStart(6)} ${"HTML bytes".padStart(10)} ${"scripts".padStart(14)} ${"JS gzip kB".padStart(10)} ${"raw kB".padStart(7)}`,
  );
  for (const p of r.bundle.pages) {
    out(
      `  ${p.page.padEnd(20)} ${p.path.padEnd(18)} ${String(p.status).padStart(6)} ${num(p.htmlBytes).padStart(10)} ${`${p.scripts}${p.inlineScripts ? ` (${p.inlineScripts} inline)` : ""}`.padStart(14)} ${String(p.gzipKB).padStart(10)} ${String(p.rawKB).padStart(7)}`,
    );
  }
  for (const p of r.bundle.pages) {
    const v = verdict(p);
    if (v) out(`  ${p.page}: ${p.scripts} scripts, ${p.gzipKB} kB gzip; ${v}`);
    if (p.note) out(`  note (${p.page}): ${p.note}`);
  }
  out("  biggest files:");
  for (const p of r.bundle.pages)
    for (const f of p.biggest.slice(0, 2)) {
      const inside = r.bundle.chunkContents[f.file] ?? [];
      out(`    ${p.page.padEnd(20)} ${String(f.gzipKB).padStart(6)} kB gzip  ${f.file}${inside.length ? `  (${inside.join(", ")})` : ""}`);
    }
  out();
}

function latency(label: string, l: Latency | undefined): void {
  if (!l) return;
  out(
    `  ${label.padEnd(40)} p50 ${ms(l.p50Ms).padStart(5)} ms  p95 ${ms(l.p95Ms).padStart(5)} ms  max ${ms(l.maxMs).padStart(5)} ms   (from the request: p50 ${ms(l.fromRequestP50Ms)}, p95 ${ms(l.fromRequestP95Ms)} ms)`,
  );
}

function scale(s: ScaleResults): void {
  out("6. Several instances on one PostgreSQL database (bench/scale.ts)");
  if (s.skipped && !s.one) {
    out(`  not measured: ${s.skipped}`);
    out();
    return;
  }
  out("  pre-register, new email each request, outbox workers off; both rows in this run, on one database");
  out(HEADER);
  out(row("one instance", s.one));
  out(row("two, round robin", s.two));
  if (s.ratio !== undefined)
    out(`  two / one: ${s.ratio.toFixed(2)}×; target ≥ ${s.targetRatio}× → ${s.ratio >= s.targetRatio ? "MET" : "NOT MET"}`);
  if (s.duplicateAccounts !== undefined)
    out(`  accounts afterwards: ${num(s.accounts ?? 0)}, duplicated (store + email): ${num(s.duplicateAccounts)}`);
  failures("PostgreSQL, one instance", s.one);
  failures("PostgreSQL, two instances", s.two);
  if (s.latency) {
    out("  from commit to the SMTP listener, one message at a time (from the 201 answer; the request's start in brackets):");
    latency("sent by the instance that committed it", s.latency.committingInstance);
    latency("sent by the other one, woken by NOTIFY", s.latency.otherInstance);
  }
  if (s.skipped) out(`  ! ${s.skipped}`);
  if (s.note) out(`  note: ${s.note}`);
  out();
}

function realistic(r: Results, t: typeof TARGETS): void {
  const x: RealisticResults = r.realistic;
  out("7. Realistic run: node build/server.js as `npm start` runs it, outbox worker on, real SMTP listener, log to a file (SQLite)");
  if (x.skipped && !x.landing) {
    out(`  not measured: ${x.skipped}`);
    out();
    return;
  }
  out(HEADER);
  out(row("landing page", x.landing));
  if (r.landing.app) out(row("  isolated (section 2)", r.landing.app));
  // The product as shipped: compiled JavaScript, no tsx loader in the process (section 2's harness
  // loads the sources through tsx, which the bare server there shows the weight of).
  if (x.landing?.serverMaxRssMB !== undefined)
    out(
      `  peak RSS of the shipped server during the landing load: ${x.landing.serverMaxRssMB} MB; target ≤ ${t.landingPeakRssMB} MB → ${x.landing.serverMaxRssMB <= t.landingPeakRssMB ? "MET" : "NOT MET"}`,
    );
  out(row("pre-register", x.preRegister));
  if (r.preRegister.sqlite.app) out(row("  isolated (section 1)", r.preRegister.sqlite.app));
  if (x.mailsDuringLoad !== undefined)
    out(
      `  mails accepted by the SMTP listener during the pre-register run: ${num(x.mailsDuringLoad)}; by the graceful stop: ${num(x.mailsAtStop ?? 0)}`,
    );
  if (x.drain)
    out(
      `  outbox when the load stopped: ${num(x.drain.waitingAtEnd)} messages waiting; ${num(x.drain.sent)} of them sent in the next ${x.drain.seconds} s (${num(Math.round(x.drain.sent / (x.drain.seconds || 1)))} a second)`,
    );
  if (x.logBytes !== undefined) out(`  log file: ${num(x.logBytes)} bytes`);
  const w = x.separateWorker;
  if (w?.preRegister) {
    out("  the same pre-register load, the web process with OUTBOX_WORKER=off and npm run worker beside it:");
    out(row("pre-register", w.preRegister));
    if (w.mailsDuringLoad !== undefined)
      out(`  mails accepted during the load: ${num(w.mailsDuringLoad)}; by the graceful stop: ${num(w.mailsAtStop ?? 0)}`);
    if (w.drain)
      out(
        `  outbox when the load stopped: ${num(w.drain.waitingAtEnd)} waiting; ${num(w.drain.sent)} sent in the next ${w.drain.seconds} s`,
      );
    failures("realistic pre-register, worker process", w.preRegister);
    for (const p of w.problems ?? []) out(`  ! server or worker output: ${p.slice(0, 300)}`);
  } else if (w?.skipped) out(`  ! worker process: ${w.skipped}`);
  failures("realistic landing page", x.landing);
  failures("realistic pre-register", x.preRegister);
  for (const p of x.problems ?? []) out(`  ! server output: ${p.slice(0, 300)}`);
  if (x.skipped) out(`  ! ${x.skipped}`);
  out();
}
