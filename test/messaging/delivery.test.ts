// Delivery through the outbox: a real SMTP conversation, retries while the mail server is down,
// and every message delivered once it is back.
import { preRegister, preRegisterBody } from "../support/http.js";
import { SmtpListener } from "../support/smtp.js";
import { startTestServer } from "../support/server.js";
import { createPgDatabase } from "../support/postgres.js";
import { countPending } from "../../server/store/outbox.js";
import { outboxDrained, outboxRows } from "../support/outbox.js";
import { waitUntil } from "../support/wait.js";
import type { TestServer } from "../support/server.js";

/** The fewest attempts any outbox message has had. */
async function attemptsOfAll(server: TestServer): Promise<number> {
  const rows = await server.services.db.kysely.selectFrom("outbox").select("attempts").execute();
  return rows.length ? Math.min(...rows.map((r) => r.attempts)) : 0;
}

test("email has a localized subject, a plain-text and an HTML part, and comes from MAIL_FROM", async () => {
  const smtp = await new SmtpListener().start(0);
  const server = await startTestServer({ smtpUrl: smtp.url, env: { MAIL_FROM: "Acme <invites@acme.example>" } });
  try {
    await preRegister(server.url, preRegisterBody({ locale: "fr-FR" }, { emailAddress: "parts@example.com", firstName: "Élodie" }));
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({ to: "parts@example.com", subject: "Activez votre compte Acme" });
    expect(mail!.from).toContain("invites@acme.example");
    expect(mail!.text).toContain("Bonjour Élodie,");
    expect(mail!.text).toContain(mail!.link);
    expect(mail!.html).toContain('lang="fr-FR"');
    expect(mail!.html).toContain(`href="${mail!.link}"`);
    // The demo brand translates its support line for French.
    expect(mail!.text).toContain("Des questions ? help@acme.example");
  } finally {
    await server.close();
    await smtp.stop();
  }
});

for (const backend of ["SQLite", "PostgreSQL"] as const) {
  test(`${backend}: while the mail server is down messages wait; when it comes back every one arrives, once`, async () => {
    const smtp = await new SmtpListener().start(0);
    const port = smtp.port;
    await smtp.stop(); // down before the first message
    const pg = backend === "PostgreSQL" ? await createPgDatabase() : undefined;
    const server = await startTestServer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      databaseUrl: pg?.url,
      workerOptions: { baseBackoffMs: 100, maxBackoffMs: 400, idleMs: 50 },
    });
    try {
      const emails = Array.from({ length: 15 }, (_, i) => `down${i}-${backend.toLowerCase()}@example.com`);
      const statuses = await Promise.all(
        emails.map((e) => preRegister(server.url, preRegisterBody({}, { emailAddress: e })).then((r) => r.status)),
      );
      expect(statuses.every((s) => s === 201)).toBe(true);

      // Every message has been tried, and failed.
      await waitUntil(
        async () => (await outboxRows(server)).every((r) => r.status === "pending") && (await attemptsOfAll(server)) > 0,
        "a failed attempt at every message",
      );
      expect(await countPending(server.services.db.kysely)).toBe(15);
      const row = await server.services.db.kysely.selectFrom("outbox").select(["attempts", "last_error"]).executeTakeFirstOrThrow();
      expect(row.attempts).toBeGreaterThan(0);
      expect(row.last_error).toBeTruthy();

      await smtp.start(port); // back up
      await smtp.waitFor(15, 20_000);
      await outboxDrained(server); // all sent: no further mail can arrive
      expect(smtp.mails.map((m) => m.to).sort()).toEqual([...emails].sort());
      expect(await countPending(server.services.db.kysely)).toBe(0);
    } finally {
      await server.close();
      await smtp.stop();
      await pg?.drop();
    }
  });
}

test("a message accepted while the process dies is delivered by the next process", async () => {
  const smtp = await new SmtpListener().start(0);
  const port = smtp.port;
  await smtp.stop();
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const file = `${mkdtempSync(`${tmpdir()}/restart-`)}/db.sqlite`;
  const first = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}`, databaseUrl: `file:${file}` });
  await preRegister(first.url, preRegisterBody({}, { emailAddress: "restart@example.com" }));
  await first.services.worker.stop();
  await first.services.db.close();
  await smtp.start(port);
  const second = await startTestServer({ smtpUrl: smtp.url, databaseUrl: `file:${file}` });
  try {
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toBe("restart@example.com");
    expect(mail!.link).toMatch(/\/invite\//);
  } finally {
    await second.close();
    await smtp.stop();
  }
});

test("without SMTP_URL or SMS_WEBHOOK_URL messages go to the dev mailbox, listed at /dev/mailbox", async () => {
  const server = await startTestServer();
  try {
    await preRegister(server.url, preRegisterBody({}, { emailAddress: "mailbox@example.com" }));
    await preRegister(server.url, preRegisterBody({ auth_type: "sms" }, { mobileNumber: "+14155550199" }));
    type Listed = { kind: string; to: string; link?: string };
    const listed = async () => ((await (await fetch(`${server.url}/dev/mailbox.json`)).json()) as { messages: Listed[] }).messages;
    const messages = await waitUntil(async () => {
      const now = await listed();
      return now.length >= 2 ? now : undefined;
    }, "two messages in the dev mailbox");
    expect(messages.map((m) => [m.kind, m.to]).sort()).toEqual([
      ["email", "mailbox@example.com"],
      ["sms", "+14155550199"],
    ]);
    const page = await fetch(`${server.url}/dev/mailbox`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Activate your Acme account");
    expect(html).toContain(messages.find((m) => m.kind === "email")!.link);
  } finally {
    await server.close();
  }
});

test("in production with a real configuration there is no dev mailbox: an SMS without SMS_WEBHOOK_URL waits in the outbox", async () => {
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { demoConfig } = await import("../support/config.js");
  const file = `${mkdtempSync(`${tmpdir()}/cfg-`)}/tenant.json`;
  writeFileSync(file, JSON.stringify(demoConfig()));
  const smtp = await new SmtpListener().start(0);
  const server = await startTestServer({
    smtpUrl: smtp.url,
    env: { NODE_ENV: "production", INVITE_CONFIG: file, PUBLIC_URL: "http://localhost:1" },
  });
  try {
    expect((await fetch(`${server.url}/dev/mailbox`)).status).toBe(404);
    expect((await fetch(`${server.url}/dev/mailbox.json`)).status).toBe(404);
    expect(server.services.mailbox).toBeUndefined();

    const res = await preRegister(server.url, preRegisterBody({ auth_type: "sms" }, { mobileNumber: "+14155550123" }));
    expect(res.status).toBe(201);
    await waitUntil(async () => (await attemptsOfAll(server)) > 0, "a failed attempt at the SMS");
    const row = await server.services.db.kysely
      .selectFrom("outbox")
      .select(["kind", "status", "attempts", "last_error"])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: "sms", status: "pending" });
    expect(row.attempts).toBeGreaterThan(0);
    expect(row.last_error).toContain("SMS_WEBHOOK_URL is not set");
  } finally {
    await server.close();
    await smtp.stop();
  }
});
