// Migration 0008_invitation_controls on SQLite and PostgreSQL: invitations pre-registered before it
// name their client as invitedBy; admin invitations made before it say nothing (null); messages
// already in the outbox carry no invitation and keep working.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { openDatabase } from "../../server/store/database.js";
import { getInvitation } from "../../server/store/invitations.js";
import { listDeliveries } from "../../server/store/outbox.js";
import { migrateTo, migrateToLatest } from "../../server/store/migrations.js";
import { createPgDatabase } from "../support/postgres.js";

const now = "2026-06-01T12:00:00.000Z";
const row = (id: string, source: string, email: string) => ({
  id,
  store: "customers",
  email,
  phone: null,
  channel: "email",
  source,
  client_id: "shop-web",
  redirect_uri: null,
  organization: null,
  roles: "[]",
  groups: "[]",
  language: "en-US",
  metadata: "{}",
  status: "pending",
  token_hash: `hash-${id}`,
  sent_at: now,
  valid_until: "2026-06-08T12:00:00.000Z",
  resend_count: 0,
  account_id: null,
  created_at: now,
  updated_at: now,
});

async function check(url: string) {
  const db = await openDatabase(url, { migrate: false });
  const raw = db.kysely as unknown as Kysely<any>;
  try {
    await migrateTo(raw, "0007_memberships");
    await raw
      .insertInto("invitations")
      .values([row("pre-1", "pre-register", "p@example.com"), row("adm-1", "admin", "a@example.com")])
      .execute();
    await migrateToLatest(raw);
    const at = new Date(now);
    expect((await getInvitation(db.kysely, "customers", "pre-1", at))!.invitedBy).toEqual({ type: "client", name: "shop-web" });
    expect(await getInvitation(db.kysely, "customers", "adm-1", at)).toMatchObject({ invitedBy: null, remindedAt: null });
    expect(await listDeliveries(db.kysely, "adm-1")).toEqual([]);
  } finally {
    await db.close();
  }
}

test("on SQLite", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "invite-0008-"));
  try {
    await check(`file:${path.join(dir, "t.db")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("on PostgreSQL", async () => {
  const pg = await createPgDatabase();
  try {
    await check(pg.url);
  } finally {
    await pg.drop();
  }
});
