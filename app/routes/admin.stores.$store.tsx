// One identity store's account management: the store picker, the Invitations and Accounts tabs,
// and the Invite customer button.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { canWrite, requireAdmin } from "~/console/admin.server";
import { AdminError } from "./admin";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal } = await requireAdmin(request, context);
  const store = context.services.tenant.store(params.store ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  return {
    store: store.name,
    stores: context.services.tenant.config.identityStores.map((s) => s.name),
    canWrite: canWrite(principal),
  };
}

export default function StoreLayout() {
  const { store, stores, canWrite } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const { pathname } = useLocation();
  const base = `/admin/stores/${encodeURIComponent(store)}`;
  const inviting = pathname.endsWith("/invitations/new");
  return (
    <div className="admin-grid">
      <nav className="store-picker" aria-label={t("stores.navLabel")}>
        <h2 className="store-picker-title">{t("stores.picker")}</h2>
        <ul>
          {stores.map((name) => (
            <li key={name}>
              <Link
                to={`/admin/stores/${encodeURIComponent(name)}/invitations`}
                aria-current={name === store ? "page" : undefined}
                className={name === store ? "current" : undefined}
              >
                {name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-content">
        <div className="admin-title">
          <h1>{t("store.title", { store })}</h1>
          {canWrite && !inviting ? (
            <Link to={`${base}/invitations/new`} className="button">
              {t("invite.button")}
            </Link>
          ) : null}
        </div>
        <nav className="tabs" aria-label={t("store.tabsLabel")}>
          <NavLink to={`${base}/invitations`}>{t("tabs.invitations")}</NavLink>
          <NavLink to={`${base}/accounts`}>{t("tabs.accounts")}</NavLink>
        </nav>
        <Outlet />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <AdminError />;
}
