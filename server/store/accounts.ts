// Accounts: rows <-> domain objects, and the queries the invitation rules need.
import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from "kysely";
import { membershipsOf, type Membership } from "./memberships.js";
import type { AccountsTable, Database } from "./tables.js";

export type Executor = Kysely<Database>;

export interface RoleRef {
  id: string;
  organization: string;
}

export interface Account {
  id: string;
  store: string;
  email: string | null;
  phone: string | null;
  status: "pending" | "active";
  profile: Record<string, string>;
  emailVerified: boolean;
  phoneVerified: boolean;
  locale: string;
  /**
   * For readers that know one organization per account: the first (oldest) membership's
   * organization and roles. `memberships` holds every one.
   */
  organization: string | null;
  groups: string[];
  roles: RoleRef[];
  memberships: Membership[];
  clients: string[];
  createdAt: string;
  activatedAt: string | null;
}

export interface NewAccount {
  id: string;
  store: string;
  email: string | null;
  phone: string | null;
  profile: Record<string, string>;
  locale: string;
  organization: string | null;
  now: string;
}

function profileOf(row: Pick<Selectable<AccountsTable>, "profile">): Record<string, string> {
  return JSON.parse(row.profile) as Record<string, string>;
}

function toAccount(row: Selectable<AccountsTable>, clients: string[], memberships: Membership[]): Account {
  const first = memberships[0];
  return {
    id: row.id,
    store: row.store,
    email: row.email,
    phone: row.phone,
    status: row.status,
    profile: profileOf(row),
    emailVerified: row.email_verified === 1,
    phoneVerified: row.phone_verified === 1,
    locale: row.locale,
    organization: first ? first.organization : row.organization,
    groups: JSON.parse(row.groups) as string[],
    roles: first ? first.roles.map((id) => ({ id, organization: first.organization })) : (JSON.parse(row.roles) as RoleRef[]),
    memberships,
    clients,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
  };
}

async function clientsOf(db: Executor, ids: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom("account_clients")
    .select(["account_id", "client_id"])
    .where("account_id", "in", ids)
    .orderBy("linked_at")
    .execute();
  for (const r of rows) map.get(r.account_id)?.push(r.client_id);
  return map;
}

/** Accounts from their rows, with their clients and memberships. */
async function toAccounts(db: Executor, rows: Selectable<AccountsTable>[]): Promise<Account[]> {
  const ids = rows.map((r) => r.id);
  // One after the other: inside a transaction both run on its one connection anyway.
  const clients = await clientsOf(db, ids);
  const memberships = await membershipsOf(db, ids);
  return rows.map((r) => toAccount(r, clients.get(r.id) ?? [], memberships.get(r.id) ?? []));
}

/** Inserts a pending account unless one already holds the identifier; true when it was inserted. */
export async function insertPendingAccount(db: Executor, a: NewAccount): Promise<boolean> {
  const result = await db
    .insertInto("accounts")
    .values({
      id: a.id,
      store: a.store,
      email: a.email,
      phone: a.phone,
      status: "pending",
      profile: JSON.stringify(a.profile),
      password_hash: null,
      email_verified: 0,
      phone_verified: 0,
      locale: a.locale,
      organization: a.organization,
      groups: "[]",
      roles: "[]",
      created_at: a.now,
      updated_at: a.now,
      activated_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export interface Identifier {
  email?: string | null;
  phone?: string | null;
}

export async function findAccountByIdentifier(db: Executor, store: string, id: Identifier): Promise<Account | undefined> {
  let q = db.selectFrom("accounts").selectAll().where("store", "=", store);
  if (id.email) q = q.where("email", "=", id.email);
  else if (id.phone) q = q.where("phone", "=", id.phone);
  else return undefined;
  const row = await q.executeTakeFirst();
  return row && (await toAccounts(db, [row]))[0];
}

/** An account's status as of now, its row locked to the end of the transaction with `lock` (PostgreSQL). */
export async function accountStatus(db: Executor, id: string, lock = false): Promise<"pending" | "active" | undefined> {
  let q = db.selectFrom("accounts").select("status").where("id", "=", id);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst())?.status;
}

/** The stored password hash of an active account (never leaves the server). */
export async function accountPasswordHash(db: Executor, id: string): Promise<string | null> {
  const row = await db
    .selectFrom("accounts")
    .select("password_hash")
    .where("id", "=", id)
    .where("status", "=", "active")
    .executeTakeFirst();
  return row?.password_hash ?? null;
}

/**
 * What an invitation's link needs of its account: who it is, whether it is active and what its
 * profile holds; without its clients and memberships, two more queries on every page of the journey.
 */
export type AccountSummary = Pick<Account, "id" | "store" | "email" | "phone" | "status" | "profile">;

export async function getAccountSummary(db: Executor, store: string, id: string): Promise<AccountSummary | undefined> {
  const row = await db
    .selectFrom("accounts")
    .select(["id", "store", "email", "phone", "status", "profile"])
    .where("store", "=", store)
    .where("id", "=", id)
    .executeTakeFirst();
  return row && { ...row, profile: profileOf(row) };
}

export async function getAccount(db: Executor, store: string, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom("accounts").selectAll().where("store", "=", store).where("id", "=", id).executeTakeFirst();
  return row && (await toAccounts(db, [row]))[0];
}

export async function linkClient(db: Executor, accountId: string, clientId: string, now: string): Promise<void> {
  await db
    .insertInto("account_clients")
    .values({ account_id: accountId, client_id: clientId, linked_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

/** `email LIKE '%part%'` with the wildcards of `part` escaped; emails are stored lower-cased. */
export function emailContains(part: string): Expression<SqlBool> {
  const pattern = `%${part.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`email like ${pattern} escape '\\'`;
}

export async function listAccounts(
  db: Executor,
  store: string,
  filter: { email?: string; emailContains?: string; page: number; size: number },
): Promise<Page<Account>> {
  let q = db.selectFrom("accounts").where("store", "=", store);
  if (filter.email) q = q.where("email", "=", filter.email);
  if (filter.emailContains) q = q.where(emailContains(filter.emailContains));
  const { total } = await q.select((eb) => eb.fn.countAll<number | string>().as("total")).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(filter.size)
    .offset(filter.page * filter.size)
    .execute();
  return {
    items: await toAccounts(db, rows),
    page: filter.page,
    size: filter.size,
    total: Number(total),
  };
}

export interface Activation {
  passwordHash: string;
  profile: Record<string, string>;
  email: string | null;
  phone: string | null;
  /** Only an identifier the invitation link was sent to is proven by following it. */
  emailVerified: boolean;
  phoneVerified: boolean;
  locale: string;
  organization: string | null;
  groups: string[];
  roles: RoleRef[];
  now: string;
}

/** Turns a pending account active; false when it was not pending (already activated). */
export async function activatePendingAccount(db: Executor, id: string, a: Activation): Promise<boolean> {
  const result = await db
    .updateTable("accounts")
    .set({
      status: "active",
      password_hash: a.passwordHash,
      profile: JSON.stringify(a.profile),
      email: a.email,
      phone: a.phone,
      email_verified: a.emailVerified ? 1 : 0,
      phone_verified: a.phoneVerified ? 1 : 0,
      locale: a.locale,
      organization: a.organization,
      groups: JSON.stringify(a.groups),
      roles: JSON.stringify(a.roles),
      updated_at: a.now,
      activated_at: a.now,
    })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Creates an active account from an accepted admin invitation. Throws a unique violation if the identifier is taken. */
export async function insertActiveAccount(db: Executor, id: string, store: string, a: Activation): Promise<void> {
  await db
    .insertInto("accounts")
    .values({
      id,
      store,
      email: a.email,
      phone: a.phone,
      status: "active",
      profile: JSON.stringify(a.profile),
      password_hash: a.passwordHash,
      email_verified: a.emailVerified ? 1 : 0,
      phone_verified: a.phoneVerified ? 1 : 0,
      locale: a.locale,
      organization: a.organization,
      groups: JSON.stringify(a.groups),
      roles: JSON.stringify(a.roles),
      created_at: a.now,
      updated_at: a.now,
      activated_at: a.now,
    })
    .execute();
}

/**
 * What joining adds to an active account besides the membership: the groups, and, for readers of
 * the single `organization` column, that organization when the account had none (or more roles
 * when it is the same one). False when the account is no longer active.
 */
export async function recordJoin(
  db: Executor,
  account: Account,
  j: { organization: string | null; roles: RoleRef[]; groups: string[]; now: string },
): Promise<boolean> {
  const legacy =
    j.organization && (account.organization === null || account.organization === j.organization)
      ? {
          organization: j.organization,
          roles: JSON.stringify(uniqueRoles([...(account.organization ? account.roles : []), ...j.roles])),
        }
      : {};
  const result = await db
    .updateTable("accounts")
    .set({ groups: JSON.stringify([...new Set([...account.groups, ...j.groups])]), updated_at: j.now, ...legacy })
    .where("id", "=", account.id)
    .where("status", "=", "active")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function uniqueRoles(roles: RoleRef[]): RoleRef[] {
  const seen = new Set<string>();
  return roles.filter((r) => !seen.has(`${r.organization}/${r.id}`) && seen.add(`${r.organization}/${r.id}`));
}
