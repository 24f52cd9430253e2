// On PostgreSQL a message committed by one instance wakes the workers of the others (LISTEN /
// NOTIFY): delivery starts at once even where the commit did not happen, and when the listening
// connection drops the worker polls until it listens again.
import { sql } from "kysely";
import { preRegister, preRegisterBody } from "../support/http.js";
import { createPgDatabase } from "../support/postgres.js";
import { createLogger, type Logger } from "../../server/lib/logger.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";

let pg: Awaited<ReturnType<typeof createPgDatabase>>;
let smtp: SmtpListener;
let committer: TestServer;
let sender: TestServer;
const events: string[] = [];
const recording: Logger = createLogger((line) => void events.push((JSON.parse(line) as { event: string }).event));

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  pg = await createPgDatabase();
  smtp = await startSmtp();
  // The instance taking the requests sends nothing itself; the other one polls only every 30 s
  // while it listens, so only a notification can make it send within a few seconds.
  committer = await startTestServer({ databaseUrl: pg.url, smtpUrl: smtp.url });
  await committer.services.worker.stop();
  sender = await startTestServer({
    databaseUrl: pg.url,
    smtpUrl: smtp.url,
    log: recording,
    workerOptions: { idleMs: 30_000, listeningIdleMs: 30_000 },
  });
  await until(() => sender.services.worker.isListening, "the worker to listen");
});
afterAll(async () => {
  await committer.close();
  await sender.close();
  await smtp.stop();
  await pg.drop();
});

test("a message committed on one instance is sent by another within moments, woken by the commit", async () => {
  for (let i = 0; i < 5; i++) {
    const email = `woken${i}@example.com`;
    const res = await preRegister(committer.url, preRegisterBody({}, { emailAddress: email }));
    expect(res.status).toBe(201);
    const answered = performance.now();
    await smtp.waitFor(i + 1, 5_000);
    const mail = smtp.to(email)[0]!;
    // Well under a second on a quiet machine; the bound leaves room for a busy one, and is far
    // below the 30 s the worker would otherwise sleep.
    expect(mail.receivedAt - answered).toBeLessThan(3_000);
  }
});

test("when the listening connection drops, the worker says so, listens again, and is woken again", async () => {
  const lostBefore = events.filter((e) => e === "outbox.listen_lost").length;
  const listeningBefore = events.filter((e) => e === "outbox.listening").length;
  const { rows } = await sql<{ n: number }>`
    select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
    where datname = current_database() and query = 'LISTEN "outbox"'`.execute(committer.services.db.kysely);
  expect(rows[0]!.n).toBe(1);
  await until(() => events.filter((e) => e === "outbox.listen_lost").length > lostBefore, "the loss to be noticed");
  await until(() => events.filter((e) => e === "outbox.listening").length > listeningBefore, "the worker to listen again");
  expect(sender.services.worker.isListening).toBe(true);

  const before = smtp.mails.length;
  const res = await preRegister(committer.url, preRegisterBody({}, { emailAddress: "after-drop@example.com" }));
  expect(res.status).toBe(201);
  await smtp.waitFor(before + 1, 5_000);
  expect(smtp.to("after-drop@example.com")).toHaveLength(1);
});
