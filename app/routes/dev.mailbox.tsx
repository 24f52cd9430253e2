// The dev mailbox (README, "Quick start"): messages that would have been sent, with their links.
// Served only when the dev mailbox is in use and never for a real tenant in production.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, pageI18n } from "~/i18n.server";

export const meta: MetaFunction = () => [{ title: "Dev mailbox" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { services } = context;
  if (!services.env.devTools || !services.mailbox) throw new Response("Not Found", { status: 404 });
  return { messages: services.mailbox.list(), i18n: pageI18n(context, await chooseLanguage(context, request), ["dev"]) };
}

export default function DevMailbox() {
  const { messages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("dev");
  return (
    <main className="page wide" id="main">
      <div className="card">
        <h1>{t("mailbox.title")}</h1>
        <p className="hint">{t("mailbox.intro")}</p>
        {messages.length === 0 ? <p>{t("mailbox.empty")}</p> : null}
        {messages.map((m) => (
          <article key={m.id} aria-labelledby={`m${m.id}`}>
            <h2 id={`m${m.id}`}>
              {m.kind === "email" ? t("mailbox.email") : t("mailbox.sms")}: {m.subject}
            </h2>
            <p className="hint">
              {t("mailbox.to")} {m.to} · {m.at}
            </p>
            {m.link ? (
              <p>
                <a href={m.link}>{t("mailbox.open")}</a>
              </p>
            ) : null}
            <pre className="mail">{m.text}</pre>
          </article>
        ))}
      </div>
    </main>
  );
}
