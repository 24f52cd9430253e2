// Schema migrations, kept in code so they run from any install (no migration folder to ship).
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";

const migrations: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("accounts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("store", "text", (c) => c.notNull())
        .addColumn("email", "text")
        .addColumn("phone", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("profile", "text", (c) => c.notNull())
        .addColumn("password_hash", "text")
        .addColumn("email_verified", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("phone_verified", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("locale", "text", (c) => c.notNull())
        .addColumn("organization", "text")
        .addColumn("groups", "text", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("activated_at", "text")
        .execute();
      // An identifier belongs to one account per store: the database enforces it, not only the code.
      await db.schema.createIndex("accounts_store_email").unique().on("accounts").columns(["store", "email"]).execute();
      await db.schema.createIndex("accounts_store_phone").unique().on("accounts").columns(["store", "phone"]).execute();

      await db.schema
        .createTable("account_clients")
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("linked_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("account_clients_pk", ["account_id", "client_id"])
        .execute();

      await db.schema
        .createTable("invitations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("store", "text", (c) => c.notNull())
        .addColumn("email", "text")
        .addColumn("phone", "text")
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("redirect_uri", "text")
        .addColumn("organization", "text")
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("groups", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("metadata", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("sent_at", "text")
        .addColumn("valid_until", "text", (c) => c.notNull())
        .addColumn("resend_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("account_id", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      // One pending admin invitation per email (or phone) and store, even under concurrent requests.
      // Pre-registered invitations carry their account from the start and are kept unique by it.
      await db.schema
        .createIndex("invitations_pending_email")
        .unique()
        .on("invitations")
        .columns(["store", "email"])
        .where(sql.ref("status"), "=", "pending")
        .where(sql.ref("account_id"), "is", null)
        .execute();
      await db.schema
        .createIndex("invitations_pending_phone")
        .unique()
        .on("invitations")
        .columns(["store", "phone"])
        .where(sql.ref("status"), "=", "pending")
        .where(sql.ref("account_id"), "is", null)
        .execute();
      await db.schema.createIndex("invitations_account").on("invitations").column("account_id").execute();
      await db.schema.createIndex("invitations_store_created").on("invitations").columns(["store", "created_at"]).execute();

      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("locale", "text", (c) => c.notNull())
        .addColumn("template", "text", (c) => c.notNull())
        .addColumn("params", "text", (c) => c.notNull())
        .addColumn("sealed", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_attempt_at", "text", (c) => c.notNull())
        .addColumn("locked_until", "text")
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("sent_at", "text")
        .execute();
      await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
    },
  },
  "0002_invitation_events": {
    async up(db: Kysely<any>) {
      // Invitation events (docs/webhooks.md): the expiry sweep records which lapse it announced, so each
      // is announced once even with several workers, and a resent invitation can lapse again.
      await db.schema.alterTable("invitations").addColumn("expiry_announced_for", "text").execute();
      await db.schema.createIndex("invitations_status_valid_until").on("invitations").columns(["status", "valid_until"]).execute();
      // Invitations that lapsed before events existed are not announced when webhooks are first configured.
      await db
        .updateTable("invitations")
        .set({ expiry_announced_for: sql.ref("valid_until") })
        .where("status", "in", ["pending", "expired"])
        .where("valid_until", "<=", new Date().toISOString())
        .execute();
    },
  },
  "0004_console_sessions": {
    async up(db: Kysely<any>) {
      // Admin console sign-ins (app/console/session.server.ts): kept here rather than in the cookie so
      // that signing out, a timeout or a token removed from the configuration ends the session on
      // every instance. The id is the SHA-256 of the cookie's random session id, never the id itself.
      await db.schema
        .createTable("console_sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull())
        .addColumn("csrf", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      // The sweep of lapsed sessions looks them up by either deadline.
      await db.schema.createIndex("console_sessions_last_seen").on("console_sessions").column("last_seen_at").execute();
      await db.schema.createIndex("console_sessions_expires").on("console_sessions").column("expires_at").execute();
    },
  },
  "0005_one_waiting_invitation": {
    async up(db: Kysely<any>) {
      // One waiting invitation per store and identifier, whoever made it (an administrator or a
      // brand's backend): before, only administrators' invitations were unique, so an admin
      // invitation and a pre-register landing at the same instant could both wait. Lapsed
      // invitations are marked expired (which is what they already showed), and where two still
      // wait for one identifier (only that race made them) the newer one is kept.
      const now = new Date().toISOString();
      await db
        .updateTable("invitations")
        .set({ status: "expired" })
        .where("status", "=", "pending")
        .where("valid_until", "<=", now)
        .execute();
      for (const column of ["email", "phone"] as const) {
        const waiting = await db
          .selectFrom("invitations")
          .select(["id", "store", column])
          .where("status", "=", "pending")
          .where(column, "is not", null)
          .orderBy("created_at", "desc")
          .execute();
        const kept = new Set<string>();
        for (const row of waiting) {
          const key = `${row.store}\n${row[column]}`;
          if (kept.has(key)) await db.updateTable("invitations").set({ status: "expired" }).where("id", "=", row.id).execute();
          else kept.add(key);
        }
      }
      await db.schema.dropIndex("invitations_pending_email").execute();
      await db.schema.dropIndex("invitations_pending_phone").execute();
      await db.schema
        .createIndex("invitations_waiting_email")
        .unique()
        .on("invitations")
        .columns(["store", "email"])
        .where(sql.ref("status"), "=", "pending")
        .execute();
      await db.schema
        .createIndex("invitations_waiting_phone")
        .unique()
        .on("invitations")
        .columns(["store", "phone"])
        .where(sql.ref("status"), "=", "pending")
        .execute();
    },
  },
  "0006_outbox_lease_owner": {
    async up(db: Kysely<any>) {
      // Which worker holds an outbox message's lease (server/messaging/worker.ts): a worker extends
      // and gives back only its own leases, so one whose lease lapsed never undoes another's claim.
      await db.schema.alterTable("outbox").addColumn("lease_owner", "text").execute();
    },
  },
  "0007_memberships": {
    async up(db: Kysely<any>) {
      // An account may belong to several organizations of its store, each with its own roles (a
      // role always belongs to an organization). Groups belong to the store and stay on the
      // account. `granted_by_invitation` is the invitation that made the membership, when one did.
      await db.schema
        .createTable("account_memberships")
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
        .addColumn("organization", "text", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("granted_by_invitation", "text")
        .addColumn("granted_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("account_memberships_pk", ["account_id", "organization"])
        .execute();
      await db.schema.createIndex("account_memberships_organization").on("account_memberships").column("organization").execute();

      // An invitation either activates an account (the invitee chooses a password) or lets an
      // active account join an organization (the invitee confirms with the current password).
      // Wrong passwords are counted on the invitation, which locks for a while after too many:
      // the account itself is never locked by them.
      await db.schema
        .alterTable("invitations")
        .addColumn("kind", "text", (c) => c.notNull().defaultTo("activate"))
        .execute();
      await db.schema
        .alterTable("invitations")
        .addColumn("confirm_failures", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("invitations").addColumn("confirm_locked_until", "text").execute();

      // Each account with an organization gets that membership, with its roles of that
      // organization, granted by the accepted invitation that carried it (the oldest, if several).
      const accounts = await db
        .selectFrom("accounts")
        .select(["id", "organization", "roles", "activated_at", "created_at"])
        .where("organization", "is not", null)
        .execute();
      for (const a of accounts as { id: string; organization: string; roles: string; activated_at: string | null; created_at: string }[]) {
        const roles = (JSON.parse(a.roles) as { id: string; organization?: string }[])
          .filter((r) => (r.organization ?? a.organization) === a.organization)
          .map((r) => r.id);
        const grant = (await db
          .selectFrom("invitations")
          .select("id")
          .where("account_id", "=", a.id)
          .where("status", "=", "done")
          .where("organization", "=", a.organization)
          .orderBy("updated_at")
          .limit(1)
          .executeTakeFirst()) as { id: string } | undefined;
        await db
          .insertInto("account_memberships")
          .values({
            account_id: a.id,
            organization: a.organization,
            roles: JSON.stringify([...new Set(roles)]),
            granted_by_invitation: grant?.id ?? null,
            granted_at: a.activated_at ?? a.created_at,
          })
          .execute();
      }
    },
  },
  "0008_invitation_controls": {
    async up(db: Kysely<any>) {
      // Who sent an invitation (JSON {"type": "token"|"console"|"client", "name": ...}); null for an
      // administrator's invitation made before this was recorded. A pre-registered invitation was
      // always made by its client, so those are filled in.
      await db.schema.alterTable("invitations").addColumn("invited_by", "text").execute();
      await db
        .updateTable("invitations")
        // A client id is letters, digits, '.', '_' and '-': nothing to escape in JSON.
        .set({ invited_by: sql`'{"type":"client","name":"' || client_id || '"}'` })
        .where("source", "=", "pre-register")
        .execute();
      // The one reminder before expiry (server/invitations/reminders.ts): when it was claimed, and
      // the link it replaced, which then answers "a newer link was sent".
      await db.schema.alterTable("invitations").addColumn("reminded_at", "text").execute();
      await db.schema.alterTable("invitations").addColumn("replaced_token_hash", "text").execute();
      await db.schema.createIndex("invitations_replaced_token").on("invitations").column("replaced_token_hash").execute();
      // Each email or SMS names its invitation, so an invitation shows its deliveries; a message
      // the worker gave up on is "abandoned" with a short class of error (never the raw answer).
      await db.schema.alterTable("outbox").addColumn("invitation_id", "text").execute();
      await db.schema.alterTable("outbox").addColumn("last_attempt_at", "text").execute();
      await db.schema.alterTable("outbox").addColumn("error_class", "text").execute();
      await db.schema.createIndex("outbox_invitation").on("outbox").columns(["invitation_id", "created_at"]).execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The last migration this code knows. */
export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String(error)}`);
}

/** Migrates up to `name` and no further: a database as an older release left it (tests of a migration's data move). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw new Error(`Database migration to ${name} failed: ${String(error)}`);
}
