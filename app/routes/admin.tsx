// The admin console's frame (docs/admin-api.md, "The console"): the console's header with the signed-in token's name
// and Sign out, and the session cookie with its CSRF token for every form below.
import { data, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminSession, canWrite, chooseLanguage, pageI18n } from "~/console/admin.server";
import { CsrfField } from "~/console/components/ui";
import adminStyles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await AdminSession.open(request, context.services);
  const principal = session.principal;
  const csrf = session.csrf();
  const lng = await chooseLanguage(context, request);
  return data(
    {
      i18n: pageI18n(context, lng, ["admin"]),
      csrf,
      admin: principal ? { name: principal.name, canWrite: canWrite(principal) } : null,
    },
    { headers: await session.headers() },
  );
}

function AdminHeader({ admin }: { admin: { name: string } | null }) {
  const { t } = useTranslation(["admin", "common"]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t("common:skipToContent")}
      </a>
      <header className="admin-header">
        <Link to="/admin" className="admin-product">
          {t("admin:product")}
        </Link>
        {admin ? (
          <Form method="post" action="/admin/sign-out" className="admin-who">
            <CsrfField />
            <span>{t("admin:signedInAs", { name: admin.name })}</span>
            <button type="submit" className="button secondary small">
              {t("admin:signOut")}
            </button>
          </Form>
        ) : null}
      </header>
    </>
  );
}

export default function AdminLayout() {
  const { admin } = useLoaderData<typeof loader>();
  return (
    <>
      <AdminHeader admin={admin} />
      <main id="main" className="page wide admin-main">
        <Outlet />
      </main>
    </>
  );
}

/** Errors below the console's frame: what went wrong, in the administrator's words. */
export function AdminError() {
  const error = useRouteError();
  const { t } = useTranslation("admin");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as { formError?: string } | null)?.formError : undefined;
  const key =
    reason === "csrf" ? "csrf" : reason === "scope" ? "scope" : status === 404 ? "notFound" : status === 403 ? "scope" : "generic";
  return (
    <div className="card">
      <h1>{t(`errorPage.${key}.title`)}</h1>
      <p>{t(`errorPage.${key}.body`)}</p>
      <p>
        <Link to="/admin">{t("errorPage.back")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <>
      <AdminHeader admin={null} />
      <main id="main" className="page wide admin-main">
        <AdminError />
      </main>
    </>
  );
}
