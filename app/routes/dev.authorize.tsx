// A stand-in authorization endpoint for the demo configuration: shows what the identity provider
// would receive at the end of the journey. Never served for a real tenant in production.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, pageI18n } from "~/i18n.server";

export const meta: MetaFunction = () => [{ title: "Authorization endpoint (demo)" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.services.env.devTools) throw new Response("Not Found", { status: 404 });
  const url = new URL(request.url);
  const params = [...url.searchParams.entries()];
  const uiLocale = url.searchParams.get("ui_locales")?.split(" ")[0];
  return { params, i18n: pageI18n(context, await chooseLanguage(context, request, [uiLocale]), ["dev"]) };
}

export default function DevAuthorize() {
  const { params } = useLoaderData<typeof loader>();
  const { t } = useTranslation("dev");
  return (
    <main className="page" id="main">
      <div className="card">
        <h1>{t("authorize.title")}</h1>
        <p>{t("authorize.intro")}</p>
        <table>
          <caption className="visually-hidden">{t("authorize.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("authorize.name")}</th>
              <th scope="col">{t("authorize.value")}</th>
            </tr>
          </thead>
          <tbody>
            {params.map(([name, value]) => (
              <tr key={name}>
                <td>
                  <code>{name}</code>
                </td>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}
