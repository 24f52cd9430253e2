// The dev mailbox as JSON, for scripts and tests: GET /dev/mailbox.json
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ context }: LoaderFunctionArgs) {
  const { services } = context;
  if (!services.env.devTools || !services.mailbox) throw new Response("Not Found", { status: 404 });
  return Response.json({ messages: services.mailbox.list() }, { headers: { "Cache-Control": "no-store" } });
}
