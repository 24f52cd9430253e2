// Reminders before expiry (docs/admin-api.md, "Reminders"): one per still-pending invitation, in its
// language, with a new link; the earlier link then says only that a newer link was sent. Several
// workers on one PostgreSQL database send each reminder once.
import { lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { parseTenantConfig } from "../../server/config/load.js";
import { demoConfig, tenantWith } from "../support/config.js";
import { createPgDatabase } from "../support/postgres.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";
import { api, createInvitation, linkState, mailsTo, shopInvite, STORE_PATH, tokenOf, uniqueEmail } from "../admin/helpers.js";

const INVITE = `${STORE_PATH}/invite`;
const METRICS_TOKEN = "metrics-token-0123456789abcdefghijklmnop";
const reminding = () =>
  tenantWith((c) => {
    c.identityStores[0].reminderHoursBeforeExpiry = 24;
  });

describe("SQLite", () => {
  let smtp: SmtpListener;
  let server: TestServer;
  const clock = new TestClock();

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startTestServer({
      smtpUrl: smtp.url,
      clock,
      tenant: reminding(),
      env: { METRICS_TOKEN },
      workerOptions: { expirySweepMs: 50, idleMs: 20 },
    });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.stop();
  });

  test("one reminder, in the invitation's language, with a new link; the old link says a newer one was sent", async () => {
    const email = uniqueEmail("remind");
    const inv = await createInvitation(server, shopInvite({ email, language: "fr-FR", metadata: { firstName: "Rémi" } }));
    const [first] = await mailsTo(smtp, email, 1);
    // Not yet due: 168 hours of validity, reminded 24 hours before the end.
    clock.advanceHours(100);
    expect(await server.services.worker.remindIfConfigured()).toBe(0);
    clock.advanceHours(45);
    const reminder = (await mailsTo(smtp, email, 2))[1]!;
    expect(reminder.subject).toBe("Rappel : votre invitation Acme expire bientôt");
    expect(reminder.text).toContain("Bonjour Rémi,");
    expect(reminder.link).toBeDefined();
    expect(reminder.link).not.toBe(first!.link);

    expect(await linkState(server, reminder.link!)).toBe("valid");
    const old = await lookupLink(server.services, tokenHashOf(tokenOf(first!.link!)));
    // Nothing of the invitation (nor its address) comes with that state.
    expect(old).toEqual({ kind: "superseded" });

    const detail = (await api(server.url, `${INVITE}/${inv.id}`)).body;
    expect(Date.parse(detail.remindedAt)).not.toBeNaN();
    expect(detail.remindersSent).toBe(1);
    expect(detail.validUntil).toBe(inv.validUntil);
    expect(detail.deliveries.map((d: { status: string }) => d.status)).toEqual(["sent", "sent"]);

    // Exactly one: later sweeps find nothing more to send.
    clock.advanceHours(12);
    expect(await server.services.worker.remindIfConfigured()).toBe(0);
    expect(smtp.to(email)).toHaveLength(2);
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/^invite_invitation_reminders_total [1-9]/m);
  });

  test("no reminder for an accepted, revoked or brand-delivered invitation, nor one shorter than the reminder window", async () => {
    const short = uniqueEmail("short");
    await createInvitation(server, shopInvite({ email: short, expiresInHours: 12 }));
    await mailsTo(smtp, short, 1);
    const revoked = uniqueEmail("revoked");
    const r = await createInvitation(server, shopInvite({ email: revoked }));
    await mailsTo(smtp, revoked, 1);
    await api(server.url, `${INVITE}/${r.id}`, { method: "DELETE" });
    await createInvitation(server, shopInvite({ sendEmail: false }));
    clock.advanceHours(150);
    expect(await server.services.worker.remindIfConfigured()).toBe(0);
    expect(smtp.to(short)).toHaveLength(1);
    expect(smtp.to(revoked)).toHaveLength(1);
  });

  test("a resend starts validity again, and with it the one reminder", async () => {
    const email = uniqueEmail("again");
    const inv = await createInvitation(server, shopInvite({ email }));
    await mailsTo(smtp, email, 1);
    clock.advanceHours(150);
    await mailsTo(smtp, email, 2);
    await api(server.url, `${INVITE}/${inv.id}/resend`, { body: {} });
    await mailsTo(smtp, email, 3);
    expect((await api(server.url, `${INVITE}/${inv.id}`)).body.remindedAt).toBeNull();
    clock.advanceHours(150);
    expect((await mailsTo(smtp, email, 4))[3]!.subject).toBe("Reminder: your Acme invitation expires soon");
  });

  test("reminderHoursBeforeExpiry is off by default and must be less than invitationTtlHours", () => {
    expect(tenantWith().config.identityStores[0]!.reminderHoursBeforeExpiry).toBeNull();
    const raw = demoConfig();
    raw.identityStores[0].reminderHoursBeforeExpiry = 168;
    expect(() => parseTenantConfig(raw, "test")).toThrow(/reminderHoursBeforeExpiry.*less than invitationTtlHours/);
  });
});

test("PostgreSQL: two workers sweeping at the same moment send each reminder exactly once", async () => {
  const pg = await createPgDatabase();
  const clock = new TestClock();
  const options = { databaseUrl: pg.url, clock, tenant: reminding(), workerOptions: { expirySweepMs: 3_600_000 } };
  const a = await startTestServer(options);
  const b = await startTestServer(options);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await createInvitation(a, shopInvite())).id);
    clock.advanceHours(150);
    const rounds = await Promise.all([
      a.services.worker.remindIfConfigured(),
      b.services.worker.remindIfConfigured(),
      a.services.worker.remindIfConfigured(),
      b.services.worker.remindIfConfigured(),
    ]);
    expect(rounds.reduce((x, y) => x + y, 0)).toBe(30);
    const rows = await a.services.db.kysely.selectFrom("outbox").select(["invitation_id"]).where("template", "=", "reminder").execute();
    expect(rows.map((r) => r.invitation_id).sort()).toEqual([...ids].sort());
  } finally {
    await a.close();
    await b.close();
    await pg.drop();
  }
});
