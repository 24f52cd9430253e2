// "Download results as CSV" of a CSV upload's result page: the rows that page posts back, as a file
// (app/console/bulk.server.ts, uploadResultsCsv). POST only; nothing is stored between the two.
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { uploadResultsCsv } from "~/console/bulk.server";

export async function loader() {
  throw data({ formError: null }, { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const store = context.services.tenant.store(params.store ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  const csv = await uploadResultsCsv(request, context);
  if (csv === undefined) throw data({ formError: null }, { status: 400 });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invitation-results-${store.name}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
