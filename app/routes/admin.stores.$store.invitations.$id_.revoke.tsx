// Revoking asks first (works without JavaScript): the invitation is deleted, leaves every list, and
// its link says "no longer valid" at once.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, getInvitation, requireAdmin, requireAdminPost, revokeAdminInvitation } from "~/console/admin.server";
import { CsrfField } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal } = await requireAdmin(request, context);
  const s = context.services;
  const invitation = await getInvitation(s.db.kysely, params.store ?? "", params.id ?? "", s.clock.now());
  if (!invitation) throw data({ formError: null }, { status: 404 });
  if (!principal.scopes.includes("write:account")) throw data({ formError: "scope" }, { status: 403 });
  const t = s.i18n.t(await chooseLanguage(context, request), "admin");
  return {
    title: t("revoke.title"),
    store: params.store ?? "",
    id: invitation.id,
    email: invitation.email ?? invitation.phone ?? "",
    accepted: invitation.status === "done",
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requireAdminPost(request, context, "write:account");
  const store = params.store ?? "";
  const outcome = await revokeAdminInvitation(context.services, store, params.id ?? "");
  if (outcome.kind === "not-found") throw data({ formError: null }, { status: 404 });
  if (outcome.kind === "already-accepted") return data({ problem: "already-accepted" as const }, { status: 409 });
  return redirect(`/admin/stores/${encodeURIComponent(store)}/invitations?notice=revoked`);
}

export default function RevokeInvitation() {
  const { store, id, email, accepted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const back = `/admin/stores/${encodeURIComponent(store)}/invitations/${id}`;
  return (
    <section aria-labelledby="revoke-heading" className="card">
      <h2 id="revoke-heading">{t("revoke.title")}</h2>
      {accepted || actionData?.problem ? (
        <div className="error-summary" role="alert">
          <p>{t("detail.problems.already-accepted")}</p>
        </div>
      ) : (
        <>
          <p>{t("revoke.question", { email })}</p>
          <p className="hint">{t("revoke.consequence")}</p>
          <Form method="post" className="form-actions">
            <CsrfField />
            <button type="submit" className="button danger">
              {t("revoke.confirm")}
            </button>
            <Link to={back} className="button secondary">
              {t("form.cancel")}
            </Link>
          </Form>
        </>
      )}
    </section>
  );
}
