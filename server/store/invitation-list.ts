// The invitation list of the admin API and the console (docs/admin-api.md, "List"): filters,
// search by email or phone, the latest message's delivery status, sorting and pages.
import { sql, type ExpressionBuilder } from "kysely";
import { emailContains, type Executor, type Page } from "./accounts.js";
import { toInvitation, type Invitation, type InvitationStatus } from "./invitations.js";
import type { DeliveryStatus } from "./outbox.js";
import type { Database, OutboxTable } from "./tables.js";

export interface InvitationFilter {
  status?: InvitationStatus;
  email?: string;
  /** Part of the email address (the console's search box); case-insensitive. */
  emailContains?: string;
  /** The admin API's `q`: part of the email address, or the phone number it normalizes to. */
  search?: { text: string; phone?: string };
  organization?: string;
  clientId?: string;
  channel?: "email" | "sms";
  /** The status of the invitation's latest email or SMS. */
  delivery?: DeliveryStatus;
  page: number;
  size: number;
  sort: { field: "created" | "email" | "validUntil" | "status" | "sent"; direction: "asc" | "desc" };
}

const sortColumns = { created: "created_at", email: "email", validUntil: "valid_until", status: "status", sent: "sent_at" } as const;

/** The outbox condition of one delivery status (`o` is the outbox row). */
function deliveryCondition(eb: ExpressionBuilder<Database & { o: OutboxTable }, "o">, status: DeliveryStatus) {
  switch (status) {
    case "queued":
      return eb.and([eb("o.status", "=", "pending"), eb("o.attempts", "=", 0)]);
    case "retrying":
      return eb.and([eb("o.status", "=", "pending"), eb("o.attempts", ">", 0)]);
    case "sent":
      return eb("o.status", "=", "sent");
    case "abandoned":
      return eb("o.status", "=", "abandoned");
  }
}

export async function listInvitations(db: Executor, store: string, f: InvitationFilter, now: Date): Promise<Page<Invitation>> {
  const nowIso = now.toISOString();
  let q = db.selectFrom("invitations").where("store", "=", store);
  if (f.status === "done") q = q.where("status", "=", "done");
  if (f.status === "pending") q = q.where("status", "=", "pending").where("valid_until", ">", nowIso);
  if (f.status === "expired")
    q = q.where((eb) => eb.or([eb("status", "=", "expired"), eb.and([eb("status", "=", "pending"), eb("valid_until", "<=", nowIso)])]));
  if (f.email) q = q.where("email", "=", f.email);
  if (f.emailContains) q = q.where(emailContains(f.emailContains));
  if (f.search) {
    const { text, phone } = f.search;
    q = q.where((eb) => eb.or([emailContains(text), ...(phone ? [eb("phone", "=", phone)] : [])]));
  }
  if (f.organization) q = q.where("organization", "=", f.organization);
  if (f.clientId) q = q.where("client_id", "=", f.clientId);
  if (f.channel) q = q.where("channel", "=", f.channel);
  if (f.delivery) {
    const delivery = f.delivery;
    // The latest message to the invitee is in that status: no later one exists.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("outbox as o")
          .select("o.id")
          .whereRef("o.invitation_id", "=", "invitations.id")
          .where((o) => deliveryCondition(o, delivery))
          .where((o) =>
            o.not(
              o.exists(
                o
                  .selectFrom("outbox as later")
                  .select("later.id")
                  .whereRef("later.invitation_id", "=", "o.invitation_id")
                  .where((l) =>
                    l.or([
                      l("later.created_at", ">", l.ref("o.created_at")),
                      l.and([l("later.created_at", "=", l.ref("o.created_at")), l("later.id", ">", l.ref("o.id"))]),
                    ]),
                  ),
              ),
            ),
          ),
      ),
    );
  }
  const { total } = await q.select((eb) => eb.fn.countAll<number | string>().as("total")).executeTakeFirstOrThrow();
  let ordered = q.selectAll();
  // Never sent (the brand delivers the link) sorts last either way, on both databases.
  if (f.sort.field === "sent") ordered = ordered.orderBy(sql`case when sent_at is null then 1 else 0 end`);
  const rows = await ordered
    .orderBy(sortColumns[f.sort.field], f.sort.direction)
    .orderBy("id")
    .limit(f.size)
    .offset(f.page * f.size)
    .execute();
  return { items: rows.map((r) => toInvitation(r, now)), page: f.page, size: f.size, total: Number(total) };
}
