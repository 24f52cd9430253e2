// The identity store picker: the console's start page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, listInvitations, requireAdmin } from "~/console/admin.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const s = context.services;
  const t = s.i18n.t(await chooseLanguage(context, request), "admin");
  const stores = await Promise.all(
    s.tenant.config.identityStores.map(async (store) => {
      const pending = await listInvitations(
        s.db.kysely,
        store.name,
        { status: "pending", page: 0, size: 1, sort: { field: "created", direction: "desc" } },
        s.clock.now(),
      );
      return { name: store.name, organizations: store.organizations.length, pending: pending.total };
    }),
  );
  return { title: t("stores.title"), stores };
}

export default function StorePicker() {
  const { stores } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <div className="card">
      <h1>{t("stores.title")}</h1>
      <p className="hint">{t("stores.intro")}</p>
      <ul className="store-list">
        {stores.map((s) => (
          <li key={s.name}>
            <Link to={`/admin/stores/${encodeURIComponent(s.name)}/invitations`} className="store-link">
              {s.name}
            </Link>
            <span className="hint"> {t("stores.summary", { count: s.pending, organizations: s.organizations })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
