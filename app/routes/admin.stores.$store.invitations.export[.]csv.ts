// "Download as CSV" of the Invitations tab: the list as filtered on the page (all pages, up to
// CSV_EXPORT_MAX_ROWS), with the admin API's format=csv columns (server/invitations/export-csv.ts).
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { CSV_EXPORT_MAX_ROWS, invitationsCsv, listInvitations, requireAdmin } from "~/console/admin.server";
import { readListQuery } from "~/console/invitation-list.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const s = context.services;
  const store = s.tenant.store(params.store ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  const { filter } = readListQuery(context, store, new URL(request.url));
  const all = await listInvitations(s.db.kysely, store.name, { ...filter, page: 0, size: CSV_EXPORT_MAX_ROWS }, s.clock.now());
  return new Response(invitationsCsv(all.items), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invitations-${store.name}.csv"`,
      "X-Total-Count": String(all.total),
      "Cache-Control": "no-store",
    },
  });
}
