// Table shapes shared by SQLite and PostgreSQL. Times are ISO-8601 UTC strings and JSON is text in
// both, so one set of queries serves both dialects.
import type { Generated } from "kysely";

export interface AccountsTable {
  id: string;
  store: string;
  email: string | null;
  phone: string | null;
  status: "pending" | "active";
  profile: string;
  password_hash: string | null;
  email_verified: number;
  phone_verified: number;
  locale: string;
  organization: string | null;
  groups: string;
  roles: string;
  created_at: string;
  updated_at: string;
  activated_at: string | null;
}

export interface AccountClientsTable {
  account_id: string;
  client_id: string;
  linked_at: string;
}

export interface InvitationsTable {
  id: string;
  store: string;
  email: string | null;
  phone: string | null;
  channel: "email" | "sms";
  source: "admin" | "pre-register";
  client_id: string;
  redirect_uri: string | null;
  organization: string | null;
  roles: string;
  groups: string;
  language: string;
  metadata: string;
  status: "pending" | "done" | "expired";
  token_hash: string;
  sent_at: string | null;
  valid_until: string;
  resend_count: number;
  account_id: string | null;
  created_at: string;
  updated_at: string;
  /** The valid_until whose lapse was announced as invitation.expired (migration 0002): once per lapse. */
  expiry_announced_for: string | null;
  /** "join": lets the active account `account_id` join (migration 0007); "activate" otherwise. */
  kind: Generated<"activate" | "join">;
  /** Wrong current passwords typed for a join since the last lock (migration 0007). */
  confirm_failures: Generated<number>;
  /** Until when a join invitation refuses passwords after too many wrong ones (migration 0007). */
  confirm_locked_until: Generated<string | null>;
  /** Who sent it, JSON {"type", "name"} (migration 0008); null for admin invitations made before. */
  invited_by: Generated<string | null>;
  /** When its one reminder before expiry was claimed (migration 0008); null until then. */
  reminded_at: Generated<string | null>;
  /** The link a reminder replaced: it answers "a newer link was sent" (migration 0008). */
  replaced_token_hash: Generated<string | null>;
}

/** An account's membership of one organization of its store (migration 0007). */
export interface AccountMembershipsTable {
  account_id: string;
  organization: string;
  /** JSON list of role ids of that organization. */
  roles: string;
  granted_by_invitation: string | null;
  granted_at: string;
}

export interface OutboxTable {
  id: string;
  kind: "email" | "sms" | "webhook";
  recipient: string;
  locale: string;
  template: string;
  params: string;
  /** The link token, sealed with the session secret; cleared once delivered. */
  sealed: string | null;
  /** "abandoned": the worker gave up on it (server/messaging/worker.ts, docs/operations.md). */
  status: "pending" | "sent" | "abandoned";
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  /** The worker holding the lease (migration 0006); null when nobody does. */
  lease_owner: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The invitation an email or SMS belongs to (migration 0008); null for webhooks. */
  invitation_id: Generated<string | null>;
  /** When it was last tried (migration 0008). */
  last_attempt_at: Generated<string | null>;
  /** The short class of the last failure ("connection refused", "timeout", ...), never the raw message (migration 0008). */
  error_class: Generated<string | null>;
}

/** A signed-in admin console session (migration 0004). */
export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the random session id the cookie carries. */
  id: string;
  /** `sha256:<hex>` of the admin token signed in with; looked up in the configuration on each request. */
  token_hash: string;
  /** The CSRF token of this session's forms. */
  csrf: string;
  created_at: string;
  /** Last recorded activity, for the idle timeout; written at most once a minute. */
  last_seen_at: string;
  /** The absolute end of the session, whatever its activity. */
  expires_at: string;
}

export interface Database {
  accounts: AccountsTable;
  account_clients: AccountClientsTable;
  account_memberships: AccountMembershipsTable;
  invitations: InvitationsTable;
  outbox: OutboxTable;
  console_sessions: ConsoleSessionsTable;
}
