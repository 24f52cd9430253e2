// Two instances behind a load balancer on one PostgreSQL database, with one mail server: under a
// load of pre-registers and activations every accepted request has one account and its mail, and
// no mail goes out twice. Then one instance dies by SIGKILL in the middle of the load: still
// nothing accepted is lost, and the only mails that may go out twice are those the dead instance
// held when it died.
import { spawn, type ChildProcess } from "node:child_process";
import { preRegister, preRegisterBody, HttpClient } from "../support/http.js";
import { filledForm, openActivation } from "../journey/support.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer } from "../support/server.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import type { Kysely } from "kysely";
import type { Database } from "../../server/store/tables.js";

/** Short, so the dead instance's leases lapse within the test; extended every third of it. */
const LEASE_MS = 3_000;

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Load {
  /** Emails whose pre-register answered 201. */
  accepted: string[];
  /** Requests that got no answer (the instance died under them): their outcome is unknown. */
  unanswered: number;
}

/**
 * `count` pre-registers of new emails, `lanes` at a time, against `url()` (read per request, so a
 * lane follows an instance that moves). A lane stops at its first unanswered request, or when
 * `stop()` says so.
 */
async function preRegisters(url: () => string, tag: string, count: number, lanes: number, stop = () => false): Promise<Load> {
  const load: Load = { accepted: [], unanswered: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count && !stop()) {
        const email = `${tag}.${next++}@example.com`;
        try {
          const res = await preRegister(url(), preRegisterBody({}, { emailAddress: email }));
          if (res.status === 201) load.accepted.push(email);
          else throw new Error(`pre-register answered ${res.status}: ${JSON.stringify(res.body)}`);
        } catch (error) {
          if ((error as Error).message.startsWith("pre-register answered")) throw error;
          load.unanswered++;
          return;
        }
      }
    }),
  );
  return load;
}

async function accountsByEmail(db: Kysely<Database>, emails: string[]): Promise<Map<string, number>> {
  const rows = await db.selectFrom("accounts").select("email").where("email", "in", emails).execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.email!, (counts.get(r.email!) ?? 0) + 1);
  return counts;
}

/** Mails per recipient, and the links each carried. */
function mailsByRecipient(smtp: SmtpListener): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const m of smtp.mails) by.set(m.to, [...(by.get(m.to) ?? []), m.link ?? ""]);
  return by;
}

test("two instances, one database: every accepted pre-register has one account and one mail, none sent twice", async () => {
  const pg = await createPgDatabase();
  const smtp = await startSmtp();
  const a = await startTestServer({ databaseUrl: pg.url, smtpUrl: smtp.url });
  const b = await startTestServer({ databaseUrl: pg.url, smtpUrl: smtp.url });
  try {
    const [onA, onB] = await Promise.all([preRegisters(() => a.url, "a", 60, 4), preRegisters(() => b.url, "b", 60, 4)]);
    const accepted = [...onA.accepted, ...onB.accepted];
    expect(accepted).toHaveLength(120);
    await smtp.waitFor(120, 30_000);

    // Some of them activate, each on the instance that did not pre-register them.
    const activated = [...onA.accepted.slice(0, 3), ...onB.accepted.slice(0, 3)];
    await Promise.all(
      activated.map(async (email) => {
        const other = email.startsWith("a.") ? b : a;
        const client = new HttpClient(other.url);
        const form = await openActivation(client, smtp.to(email)[0]!.link!);
        expect((await client.post("/activate", filledForm(form.csrf!))).status).toBe(303);
      }),
    );

    const accounts = await accountsByEmail(a.services.db.kysely, accepted);
    expect(accepted.filter((e) => accounts.get(e) !== 1)).toEqual([]);
    const active = await a.services.db.kysely.selectFrom("accounts").select("email").where("status", "=", "active").execute();
    expect(active.map((r) => r.email).sort()).toEqual([...activated].sort());
    const mails = mailsByRecipient(smtp);
    expect(accepted.filter((e) => mails.get(e)?.length !== 1)).toEqual([]);
    expect(smtp.mails).toHaveLength(120);
  } finally {
    await a.close();
    await b.close();
    await smtp.stop();
    await pg.drop();
  }
}, 60_000);

interface Instance {
  url: string;
  workerId: string;
  process: ChildProcess;
}

async function startInstance(databaseUrl: string, smtpUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/scale/instance.ts"], {
    env: { ...process.env, INSTANCE_DATABASE_URL: databaseUrl, INSTANCE_SMTP_URL: smtpUrl, INSTANCE_LEASE_MS: String(LEASE_MS) },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => void (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => void (output += d.toString()));
  const ready = await new Promise<{ url: string; workerId: string }>((resolve, reject) => {
    child.once("message", (m: { url: string; workerId: string }) => resolve(m));
    child.once("exit", (code) => reject(new Error(`the instance exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
  return { ...ready, process: child };
}

async function kill(instance: Instance): Promise<void> {
  if (instance.process.exitCode !== null || instance.process.signalCode !== null) return;
  const gone = new Promise((resolve) => instance.process.once("exit", resolve));
  instance.process.kill("SIGKILL");
  await gone;
}

test("an instance killed by SIGKILL mid-load: nothing accepted is lost; only what it held may go out twice", async () => {
  const pg = await createPgDatabase();
  const smtp = await startSmtp();
  // A slow mail server (100 ms a message), so the instances hold leased messages while they send.
  smtp.answerDelayMs = 100;
  const survivor = await startTestServer({ databaseUrl: pg.url, smtpUrl: smtp.url, workerOptions: { leaseMs: LEASE_MS } });
  const db = survivor.services.db.kysely;
  let victim = await startInstance(pg.url, smtp.url);
  try {
    const heldBy = async (owner: string) =>
      db.selectFrom("outbox").select(["id", "recipient"]).where("status", "=", "pending").where("lease_owner", "=", owner).execute();

    // The victim takes requests until it dies; the survivor takes its share meanwhile.
    let killed = false;
    const onVictim = preRegisters(
      () => victim.url,
      "victim",
      400,
      4,
      () => killed,
    );
    const onSurvivor = preRegisters(() => survivor.url, "survivor", 40, 2);
    // Kill it once it has answered some requests and holds leases on messages it has not sent.
    await until(async () => (await heldBy(victim.workerId)).length >= 3, "the victim to hold leases", 20_000);
    await kill(victim);
    killed = true;
    // Dead: nothing it held can change now. A message among these may have reached the mail
    // server just before the kill without being marked sent: that one is sent again once its lease
    // lapses (at least once, never lost). Every other message must go out exactly once.
    const heldAtKill = new Map((await heldBy(victim.workerId)).map((r) => [r.recipient, r.id]));
    expect(heldAtKill.size).toBeGreaterThan(0);

    const [beforeKill, survivorLoad] = await Promise.all([onVictim, onSurvivor]);
    expect(beforeKill.accepted.length).toBeGreaterThan(0);

    // Back up: the restarted instance and the survivor share the rest of the load.
    victim = await startInstance(pg.url, smtp.url);
    const [afterRestart, survivorAfter] = await Promise.all([
      preRegisters(() => victim.url, "restarted", 20, 2),
      preRegisters(() => survivor.url, "survivor-after", 20, 2),
    ]);
    expect(afterRestart.unanswered + survivorAfter.unanswered + survivorLoad.unanswered).toBe(0);

    const accepted = [...beforeKill.accepted, ...survivorLoad.accepted, ...afterRestart.accepted, ...survivorAfter.accepted];
    // Every message gets sent, the dead instance's ones after their leases lapse.
    await until(async () => {
      const { n } = await db
        .selectFrom("outbox")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      return Number(n) === 0;
    }, "the outbox to drain");

    const accounts = await accountsByEmail(db, accepted);
    expect(accepted.filter((e) => accounts.get(e) !== 1)).toEqual([]);
    const mails = mailsByRecipient(smtp);
    expect(accepted.filter((e) => !mails.get(e)?.length)).toEqual([]);
    const twice = [...mails].filter(([, links]) => links.length > 1);
    // Sent twice only if the dead instance held it, and then the same message (one link), twice at most.
    expect(twice.filter(([to]) => !heldAtKill.has(to))).toEqual([]);
    for (const [, links] of twice) expect(links).toEqual([links[0], links[0]]);
  } finally {
    await kill(victim);
    await survivor.close();
    await smtp.stop();
    await pg.drop();
  }
}, 90_000);
