import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SERVER_RENDERED } from "~/page-handle";

export const meta: MetaFunction = () => [{ title: "Invitations" }];
export const handle = SERVER_RENDERED;

export async function loader({ context }: LoaderFunctionArgs) {
  const brands = context.services.tenant.config.brands.map((b) => b.name);
  return { brand: brands.join(", "), devTools: context.services.env.devTools };
}

export default function Index() {
  const { brand, devTools } = useLoaderData<typeof loader>();
  const { t } = useTranslation("common");
  return (
    <main className="page" id="main">
      <div className="card">
        <h1>{t("home.title")}</h1>
        <p>{t("home.body", { brand })}</p>
        {devTools ? (
          <p>
            <a href="/dev/mailbox">{t("home.devMailbox")}</a>
          </p>
        ) : null}
      </div>
    </main>
  );
}
