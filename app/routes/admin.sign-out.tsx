// Sign out: a POST from a console page (CSRF-checked); the session ends on the server, so a copy
// of the cookie is refused afterwards, and the cookie is cleared.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { AdminSession } from "~/console/admin.server";

export async function loader() {
  return redirect("/admin");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await AdminSession.open(request, context.services);
  const form = await request.formData();
  if (!session.checkCsrf(form.get("csrf"))) return redirect("/admin");
  const name = session.principal?.name;
  await session.signOut();
  if (name) context.services.log.info("admin.signed_out", { admin: name });
  return redirect("/admin/sign-in", { headers: await session.headers() });
}
