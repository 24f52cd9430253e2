// Several instances on one PostgreSQL database (`npm run bench`, section 6): pre-register
// throughput of two app processes behind a round-robin split beside one of them alone, in the same
// run on the same database, the duplicate accounts afterwards, and the time from a pre-register's
// commit to its mail at a real SMTP listener: sent by the instance that committed it, or by the
// other instance, woken by NOTIFY.
import path from "node:path";
import pg from "pg";
import { basicAuth } from "../test/support/config.js";
import { createPgDatabase } from "../test/support/postgres.js";
import { SmtpListener, type ReceivedMail } from "../test/support/smtp.js";
import { appEnv, measure, preRegisterLoad, startServer, type Figures, type ServerProcess } from "./load.js";
import { BENCH_CLIENT, BENCH_SECRET, PRE_REGISTER_PATH, preRegisterBody } from "./shared.js";

export const SCALE_TARGET_RATIO = 1.6;
const MESSAGES = Number(process.env.BENCH_LATENCY_MESSAGES ?? 50);
const WARMUP_MESSAGES = 5;

export interface Latency {
  messages: number;
  /** From the 201 reaching the client to the mail's data reaching the SMTP listener: at most the time from commit. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** From the request leaving the client: at least the time from commit. */
  fromRequestP50Ms: number;
  fromRequestP95Ms: number;
}

export interface ScaleResults {
  one?: Figures;
  two?: Figures;
  /** Two instances' req/s over one instance's. */
  ratio?: number;
  targetRatio: number;
  accounts?: number;
  duplicateAccounts?: number;
  latency?: { committingInstance?: Latency; otherInstance?: Latency };
  skipped?: string;
  note?: string;
}

export async function benchScale(into: ScaleResults, tmp: string, log: (line: string) => void): Promise<void> {
  // A fresh database each: the throughput run leaves thousands of unsent messages behind.
  for (const part of [throughput, commitToSmtp]) {
    let database: Awaited<ReturnType<typeof createPgDatabase>>;
    try {
      database = await createPgDatabase();
    } catch (error) {
      into.skipped = `PostgreSQL not reachable: ${String(error)}`;
      return;
    }
    try {
      await part(into, database.url, tmp, log);
    } finally {
      await database.drop();
    }
  }
}

/** Two app processes started at once on the database (they migrate it one after the other). */
async function pair(env: Record<string, string>, tmp: string, name: string): Promise<[ServerProcess, ServerProcess]> {
  const started = await Promise.allSettled([
    startServer(env, path.join(tmp, `${name}-a.log`)),
    startServer(env, path.join(tmp, `${name}-b.log`)),
  ]);
  const [a, b] = started.map((s) => (s.status === "fulfilled" ? s.value : undefined));
  if (a && b) return [a, b];
  await Promise.all([a?.stop(), b?.stop()]);
  throw (started.find((s) => s.status === "rejected") as PromiseRejectedResult).reason;
}

function noteProblems(into: ScaleResults, servers: ServerProcess[]): void {
  const problems = servers.flatMap((s) => s.problems());
  if (problems.length)
    into.note = `${into.note ? `${into.note}; ` : ""}${problems.length} error/unexpected line(s) in the instances' output, first: ${problems[0]!.slice(0, 300)}`;
}

async function throughput(into: ScaleResults, url: string, tmp: string, log: (line: string) => void): Promise<void> {
  log("• Several instances: two app processes on one fresh PostgreSQL database (worker off)…");
  const [a, b] = await pair(appEnv({ BENCH_DATABASE_URL: url }), tmp, "scale");
  try {
    log("• Several instances: pre-register on one of them…");
    into.one = await measure(preRegisterLoad(a.url), a);
    log("• Several instances: pre-register on both, connections split between them in turn…");
    into.two = await measure(preRegisterLoad([a.url, b.url]), [a, b]);
    into.ratio = into.two.requestsPerSec / into.one.requestsPerSec;
    noteProblems(into, [a, b]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ accounts: number; duplicates: number }>(`
      select (select count(*)::int from accounts) as accounts,
             (select count(*)::int from (select 1 from accounts where email is not null group by store, email having count(*) > 1) d) as duplicates`);
    into.accounts = rows[0]!.accounts;
    into.duplicateAccounts = rows[0]!.duplicates;
  } finally {
    await client.end();
  }
}

async function commitToSmtp(into: ScaleResults, url: string, tmp: string, log: (line: string) => void): Promise<void> {
  const smtp = await new SmtpListener().start(0);
  log("• Commit → SMTP: two instances with their outbox workers, a real SMTP listener…");
  const [a, b] = await pair(appEnv({ BENCH_DATABASE_URL: url, BENCH_WORKER: "1", BENCH_SMTP_URL: smtp.url }), tmp, "latency");
  try {
    await timeMessages(smtp, [a.url, b.url], "warmup", WARMUP_MESSAGES);
    log(`• Commit → SMTP: ${MESSAGES} messages, one at a time, on either instance…`);
    const committing = await timeMessages(smtp, [a.url, b.url], "either", MESSAGES);
    await a.stopWorker();
    log(`• Commit → SMTP: ${MESSAGES} messages committed on an instance that sends nothing, sent by the other…`);
    const other = await timeMessages(smtp, [a.url], "other", MESSAGES);
    into.latency = { committingInstance: committing, otherInstance: other };
    noteProblems(into, [a, b]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await smtp.stop();
  }
}

async function mailTo(smtp: SmtpListener, email: string, timeoutMs: number): Promise<ReceivedMail> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const mail = smtp.mails.find((m) => m.to.includes(email));
    if (mail) return mail;
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`no mail for ${email} within ${timeoutMs} ms`);
    await smtp.waitFor(smtp.mails.length + 1, left).catch(() => {});
  }
}

/** `count` pre-registers one after the other, round robin over `urls`, each waited for at the SMTP listener. */
async function timeMessages(smtp: SmtpListener, urls: string[], tag: string, count: number): Promise<Latency> {
  const fromAnswer: number[] = [];
  const fromRequest: number[] = [];
  for (let i = 0; i < count; i++) {
    const email = `latency.${tag}.${i}@bench.example`;
    const sent = performance.now();
    const response = await fetch(`${urls[i % urls.length]}${PRE_REGISTER_PATH}`, {
      method: "POST",
      headers: { authorization: basicAuth(BENCH_CLIENT, BENCH_SECRET), "content-type": "application/json" },
      body: preRegisterBody(email),
    });
    const answered = performance.now();
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`pre-register answered ${response.status}`);
    const mail = await mailTo(smtp, email, 10_000);
    fromAnswer.push(mail.receivedAt - answered);
    fromRequest.push(mail.receivedAt - sent);
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    messages: count,
    p50Ms: round(percentile(fromAnswer, 0.5)),
    p95Ms: round(percentile(fromAnswer, 0.95)),
    maxMs: round(Math.max(...fromAnswer)),
    fromRequestP50Ms: round(percentile(fromRequest, 0.5)),
    fromRequestP95Ms: round(percentile(fromRequest, 0.95)),
  };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
