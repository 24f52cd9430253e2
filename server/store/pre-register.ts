// The common pre-register in one step: a new invitee — no account and no waiting (or lapsed but
// still marked pending) invitation for the identifier — gets its pending account, its client link,
// its invitation and its activation message at once. On PostgreSQL that is one statement (one
// round trip instead of ten: BEGIN, three look-ups, four inserts, COMMIT); on SQLite one
// transaction of prepared statements run straight on better-sqlite3. Anything else — an identifier
// already known, a concurrent writer that got there first — writes nothing here and answers
// false: the caller then takes the general path (server/invitations/pre-register.ts), which
// decides between linking, a conflict and a retry exactly as before.
import type SQLite from "better-sqlite3";
import { sql } from "kysely";
import type { Db } from "./database.js";
import { isUniqueViolation } from "./database.js";
import { OUTBOX_CHANNEL, type NewOutboxMessage } from "./outbox.js";

export interface NewPreRegistration {
  store: string;
  channel: "email" | "sms";
  /** Written in the identifier's column (email for the email channel, phone for SMS), the other stays null. */
  identifier: string;
  accountId: string;
  invitationId: string;
  outboxId: string;
  clientId: string;
  redirectUri: string;
  profile: Record<string, string>;
  locale: string;
  tokenHash: string;
  validUntil: string;
  now: string;
  message: NewOutboxMessage;
}

/** True when everything was written; false when nothing was (the identifier is not new, or a race). */
export async function createPreRegistration(db: Pick<Db, "dialect" | "kysely" | "sqlite">, r: NewPreRegistration): Promise<boolean> {
  if (db.dialect === "postgres") return createOnPostgres(db, r);
  if (!db.sqlite) throw new Error("createPreRegistration: no SQLite handle");
  const sqlite = db.sqlite;
  // Through Kysely's connection, so no other query (nor another request's open transaction) is
  // on the one SQLite connection meanwhile.
  return db.kysely.connection().execute(async () => sqliteStatements(sqlite).create(r));
}

async function createOnPostgres(db: Pick<Db, "kysely">, r: NewPreRegistration): Promise<boolean> {
  const column = sql.ref(r.channel === "sms" ? "phone" : "email");
  const email = r.channel === "email" ? r.identifier : null;
  const phone = r.channel === "sms" ? r.identifier : null;
  const profile = JSON.stringify(r.profile);
  const m = r.message;
  const invitedBy = invitedByClient(r);
  // The invitation goes in only if nothing holds the identifier (ON CONFLICT: nor did a writer
  // that committed since this statement's snapshot); the account only with the invitation, and a
  // plain INSERT, so an account committed meanwhile fails the whole statement (unique violation:
  // nothing stays). The client link and the message only with the account. pg_notify wakes the
  // listening workers when the statement commits, as enqueueMessage does.
  const query = sql<{ created: number }>`
    with inv as (
      insert into invitations (id, store, email, phone, channel, source, client_id, redirect_uri, organization, roles, groups,
        language, metadata, status, token_hash, sent_at, valid_until, resend_count, account_id, created_at, updated_at, kind, invited_by)
      select ${r.invitationId}, ${r.store}, ${email}, ${phone}, ${r.channel}, 'pre-register', ${r.clientId}, ${r.redirectUri}, null,
        '[]', '[]', ${r.locale}, ${profile}, 'pending', ${r.tokenHash}, ${r.now}, ${r.validUntil}, 0, ${r.accountId}, ${r.now}, ${r.now},
        'activate', ${invitedBy}
      where not exists (select 1 from accounts where store = ${r.store} and ${column} = ${r.identifier})
        and not exists (select 1 from invitations where store = ${r.store} and ${column} = ${r.identifier} and status = 'pending')
      on conflict do nothing
      returning id
    ), acc as (
      insert into accounts (id, store, email, phone, status, profile, password_hash, email_verified, phone_verified, locale,
        organization, groups, roles, created_at, updated_at, activated_at)
      select ${r.accountId}, ${r.store}, ${email}, ${phone}, 'pending', ${profile}, null, 0, 0, ${r.locale}, null, '[]', '[]',
        ${r.now}, ${r.now}, null
      from inv
      returning id
    ), link as (
      insert into account_clients (account_id, client_id, linked_at) select id, ${r.clientId}, ${r.now} from acc returning 1
    ), msg as (
      insert into outbox (id, kind, recipient, locale, template, params, sealed, status, next_attempt_at, locked_until, lease_owner,
        last_error, created_at, sent_at, invitation_id)
      select ${r.outboxId}, ${m.kind}, ${m.recipient}, ${m.locale}, ${m.template}, ${JSON.stringify(m.params)}, ${m.sealed}, 'pending',
        ${r.now}, null, null, null, ${r.now}, null, ${r.invitationId}
      from acc
      returning pg_notify(${OUTBOX_CHANNEL}, '')
    )
    select (select count(*) from acc)::int + (select count(*) from link)::int + (select count(*) from msg)::int as created`;
  try {
    const { rows } = await query.execute(db.kysely);
    const written = rows[0]?.created ?? 0;
    if (written !== 0 && written !== 3) throw new Error(`pre-register wrote ${written} of 3 rows`);
    return written === 3;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** A pre-registered invitation was made by its client (as the general path records it). */
function invitedByClient(r: NewPreRegistration): string {
  return JSON.stringify({ type: "client", name: r.clientId });
}

interface SqliteStatements {
  create(r: NewPreRegistration): boolean;
}

const prepared = new WeakMap<SQLite.Database, SqliteStatements>();

function sqliteStatements(database: SQLite.Database): SqliteStatements {
  let statements = prepared.get(database);
  if (statements) return statements;
  const taken = (column: "email" | "phone") =>
    database
      .prepare(
        `select exists (select 1 from accounts where store = ? and ${column} = ?)
             or exists (select 1 from invitations where store = ? and ${column} = ? and status = 'pending') as taken`,
      )
      .pluck();
  const takenBy = { email: taken("email"), phone: taken("phone") };
  const account = database.prepare(
    `insert into accounts (id, store, email, phone, status, profile, password_hash, email_verified, phone_verified, locale,
       organization, groups, roles, created_at, updated_at, activated_at)
     values (?, ?, ?, ?, 'pending', ?, null, 0, 0, ?, null, '[]', '[]', ?, ?, null)`,
  );
  const link = database.prepare(`insert into account_clients (account_id, client_id, linked_at) values (?, ?, ?)`);
  const invitation = database.prepare(
    `insert into invitations (id, store, email, phone, channel, source, client_id, redirect_uri, organization, roles, groups,
       language, metadata, status, token_hash, sent_at, valid_until, resend_count, account_id, created_at, updated_at, kind, invited_by)
     values (?, ?, ?, ?, ?, 'pre-register', ?, ?, null, '[]', '[]', ?, ?, 'pending', ?, ?, ?, 0, ?, ?, ?, 'activate', ?)`,
  );
  const message = database.prepare(
    `insert into outbox (id, kind, recipient, locale, template, params, sealed, status, next_attempt_at, locked_until, lease_owner,
       last_error, created_at, sent_at, invitation_id)
     values (?, ?, ?, ?, ?, ?, ?, 'pending', ?, null, null, null, ?, null, ?)`,
  );
  // IMMEDIATE: the write lock from the start, so the look-up and the inserts see the same database.
  const transaction = database.transaction((r: NewPreRegistration): boolean => {
    const column = r.channel === "sms" ? "phone" : "email";
    if (takenBy[column].get(r.store, r.identifier, r.store, r.identifier)) return false;
    const email = r.channel === "email" ? r.identifier : null;
    const phone = r.channel === "sms" ? r.identifier : null;
    const profile = JSON.stringify(r.profile);
    account.run(r.accountId, r.store, email, phone, profile, r.locale, r.now, r.now);
    link.run(r.accountId, r.clientId, r.now);
    invitation.run(
      r.invitationId,
      r.store,
      email,
      phone,
      r.channel,
      r.clientId,
      r.redirectUri,
      r.locale,
      profile,
      r.tokenHash,
      r.now,
      r.validUntil,
      r.accountId,
      r.now,
      r.now,
      invitedByClient(r),
    );
    const m = r.message;
    message.run(r.outboxId, m.kind, m.recipient, m.locale, m.template, JSON.stringify(m.params), m.sealed, r.now, r.now, r.invitationId);
    return true;
  });
  statements = { create: (r) => transaction.immediate(r) };
  prepared.set(database, statements);
  return statements;
}
