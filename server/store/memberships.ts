// Memberships: which organizations of its store an account belongs to, with its roles in each and
// how each was granted. Groups are the store's, not an organization's, and stay on the account.
import type { Kysely } from "kysely";
import type { Database } from "./tables.js";

type Executor = Kysely<Database>;

export interface Membership {
  organization: string;
  /** Role ids, all of this organization. */
  roles: string[];
  /** The invitation that granted it, with its kind; null for one that came from elsewhere. */
  grantedBy: { invitationId: string; kind: "activate" | "join" } | null;
  grantedAt: string;
}

/** The memberships of each account, oldest first (the first is the account's `organization`). */
export async function membershipsOf(db: Executor, accountIds: string[]): Promise<Map<string, Membership[]>> {
  const map = new Map<string, Membership[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return map;
  const rows = await db
    .selectFrom("account_memberships as m")
    .leftJoin("invitations as i", "i.id", "m.granted_by_invitation")
    .select(["m.account_id", "m.organization", "m.roles", "m.granted_by_invitation", "m.granted_at", "i.kind"])
    .where("m.account_id", "in", accountIds)
    .orderBy("m.granted_at")
    .orderBy("m.organization")
    .execute();
  for (const r of rows)
    map.get(r.account_id)?.push({
      organization: r.organization,
      roles: JSON.parse(r.roles) as string[],
      grantedBy: r.granted_by_invitation ? { invitationId: r.granted_by_invitation, kind: r.kind ?? "activate" } : null,
      grantedAt: r.granted_at,
    });
  return map;
}

/**
 * Makes the account a member of the organization with these roles. Already a member: the roles
 * are added to the ones it has, and the membership keeps the record of how it was first granted.
 * Run inside the transaction of the acceptance that grants it.
 */
export async function grantMembership(
  db: Executor,
  accountId: string,
  g: { organization: string; roles: string[]; invitationId: string | null; now: string },
): Promise<void> {
  const roles = [...new Set(g.roles)];
  const inserted = await db
    .insertInto("account_memberships")
    .values({
      account_id: accountId,
      organization: g.organization,
      roles: JSON.stringify(roles),
      granted_by_invitation: g.invitationId,
      granted_at: g.now,
    })
    .onConflict((oc) => oc.columns(["account_id", "organization"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return;
  const existing = await db
    .selectFrom("account_memberships")
    .select("roles")
    .where("account_id", "=", accountId)
    .where("organization", "=", g.organization)
    .executeTakeFirstOrThrow();
  const merged = [...new Set([...(JSON.parse(existing.roles) as string[]), ...roles])];
  await db
    .updateTable("account_memberships")
    .set({ roles: JSON.stringify(merged) })
    .where("account_id", "=", accountId)
    .where("organization", "=", g.organization)
    .execute();
}
