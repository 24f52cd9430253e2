// A new invitee's pre-register has two writers: the one-step path (server/store/pre-register.ts)
// and the general one, taken when a webhook wants the invitation's events. Both must leave the very
// same rows, column by column, or a column added to one (who invited, the message's invitation)
// goes missing in the other. Only the values each request makes afresh differ.
import { tenantWith } from "../support/config.js";
import { preRegister, preRegisterBody } from "../support/http.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

const FRESH = new Set([
  "id",
  "account_id",
  "invitation_id",
  "token_hash",
  "created_at",
  "updated_at",
  "sent_at",
  "valid_until",
  "linked_at",
  "next_attempt_at",
  "params",
  "sealed",
  "email",
  "recipient",
  "status",
  "attempts",
  "locked_until",
  "lease_owner",
  "last_attempt_at",
]);

async function rowsFor(server: TestServer, email: string) {
  const k = server.services.db.kysely;
  const account = await k.selectFrom("accounts").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  const invitation = await k.selectFrom("invitations").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  const rows = {
    account,
    link: await k.selectFrom("account_clients").selectAll().where("account_id", "=", account.id).executeTakeFirstOrThrow(),
    invitation,
    message: await k.selectFrom("outbox").selectAll().where("recipient", "=", email).where("kind", "=", "email").executeTakeFirstOrThrow(),
  };
  // The message belongs to its invitation, on either path.
  expect(rows.message.invitation_id).toBe(invitation.id);
  const strip = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([k]) => !FRESH.has(k)));
  return Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, strip(row as Record<string, unknown>)]));
}

describe.each(["sqlite", "postgres"] as const)("on %s", (dialect) => {
  const servers: TestServer[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(drops.map((d) => d()));
  });

  async function start(hooks: boolean) {
    let databaseUrl: string | undefined;
    if (dialect === "postgres") {
      const db = await createPgDatabase();
      drops.push(db.drop);
      databaseUrl = db.url;
    }
    const server = await startTestServer({
      tenant: tenantWith((c) => {
        if (hooks)
          c.webhooks = [{ id: "crm", url: "http://127.0.0.1:9/hook", secretEnv: "CRM_WEBHOOK_SECRET", events: ["invitation.created"] }];
      }),
      env: { CRM_WEBHOOK_SECRET: "a-webhook-secret-of-enough-length-000" },
      databaseUrl,
    });
    servers.push(server);
    return server;
  }

  it("the one-step and the general path write the same rows", async () => {
    const [oneStep, general] = await Promise.all([start(false), start(true)]);
    const body = (email: string) => preRegisterBody({ locale: "fr-FR" }, { emailAddress: email, firstName: "Ada", lastName: "Lovelace" });
    const a = await preRegister(oneStep.url, body("paths.one@example.com"));
    const b = await preRegister(general.url, body("paths.general@example.com"));
    expect([a.status, b.status]).toEqual([201, 201]);
    // The general path wrote the webhook's event too: it was the general path.
    const events = await general.services.db.kysely.selectFrom("outbox").select("kind").where("kind", "=", "webhook").execute();
    expect(events.length).toBeGreaterThan(0);
    expect(await rowsFor(oneStep, "paths.one@example.com")).toEqual(await rowsFor(general, "paths.general@example.com"));
  });
});
