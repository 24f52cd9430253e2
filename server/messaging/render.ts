// Turns an outbox message into what is sent: subject, plain text and HTML for email, a body for
// SMS, all from the locale packs in the message's language (docs/translating.md). A message is written wholly in one
// language: the invitation's when its email pack is complete, else the base locale, dates included.
import type email from "../../locales/en-US/email.json";
import type { Brand } from "../config/schema.js";
import { isRtl, type I18nRegistry } from "../i18n/registry.js";
import { hasForbiddenCharacters } from "../lib/validation.js";

/** The words both the activation and the join message have (email.json). */
type MessageWord = keyof (typeof email)["activation"] & keyof (typeof email)["join"];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Building an Intl.DateTimeFormat costs more than rendering the rest of a page's dates: one per
// language and style, made once.
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lng: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lng}|${withTime}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      lng,
      withTime ? { dateStyle: "long", timeStyle: "short", timeZone: "UTC" } : { dateStyle: "medium", timeZone: "UTC" },
    );
    formats.set(key, f);
  }
  return f;
}

export function formatExpiry(iso: string, lng: string): string {
  return `${dateFormat(lng, true).format(new Date(iso))} UTC`;
}

export interface ActivationParams {
  name?: string;
  validUntil: string;
}

export function renderActivationEmail(
  i18n: I18nRegistry,
  lng: string,
  brand: Brand,
  params: ActivationParams,
  link: string,
): RenderedEmail {
  return renderInvitationEmail(i18n, lng, brand, "activation", { ...params, target: "" }, link);
}

export interface JoinParams extends ActivationParams {
  /** The organization (or, without one, the application) the existing account is invited into. */
  target: string;
}

/** An invitation for an existing account to join an organization: the `join` keys of the email pack. */
export function renderJoinEmail(i18n: I18nRegistry, lng: string, brand: Brand, params: JoinParams, link: string): RenderedEmail {
  return renderInvitationEmail(i18n, lng, brand, "join", params, link);
}

/**
 * The one reminder before an invitation expires (server/invitations/reminders.ts): the `reminder`
 * keys of the email pack, with the new link it carries.
 */
export function renderReminderEmail(i18n: I18nRegistry, lng: string, brand: Brand, params: ActivationParams, link: string): RenderedEmail {
  return renderInvitationEmail(i18n, lng, brand, "reminder", { ...params, target: "" }, link);
}

function renderInvitationEmail(
  i18n: I18nRegistry,
  lng: string,
  brand: Brand,
  section: "activation" | "join" | "reminder",
  params: JoinParams,
  link: string,
): RenderedEmail {
  // Wholly one language: the invitation's when its email pack is complete, else the base locale.
  const language = i18n.wholeLanguage(lng, "email", brand);
  const tr = i18n.t(language, "email", brand);
  // The brand's support line, in this language when the brand translated it.
  const support = i18n.t(language, "common", brand)("brand.supportText");
  const t = (key: MessageWord, vars: { brand: string; name: string; target: string; validUntil: string }) =>
    tr(`${section}.${key}` as const, vars);
  // Every way in refuses such a name; one stored before that rule existed gets the greeting without
  // a name rather than extra lines in the message.
  const name = params.name && !hasForbiddenCharacters(params.name) ? params.name : "";
  const vars = { brand: brand.name, name, target: params.target, validUntil: formatExpiry(params.validUntil, language) };
  const greeting = name ? t("greeting", vars) : t("greetingNoName", vars);
  const lines = [
    greeting,
    "",
    t("intro", vars),
    "",
    `${t("action", vars)}: ${link}`,
    "",
    t("expiry", vars),
    t("ignore", vars),
    ...(support ? ["", support] : []),
  ];
  const e = (key: MessageWord) => escapeHtml(t(key, vars));
  const color = brand.primaryColor;
  const html = `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${isRtl(language) ? "rtl" : "ltr"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${e("subject")}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a">
<span style="display:none">${e("preheader")}</span>
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<tr><td>
<p style="font-size:18px;font-weight:bold;margin:0 0 16px">${escapeHtml(brand.name)}</p>
<p>${escapeHtml(greeting)}</p>
<p>${e("intro")}</p>
<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:${color};color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${e("action")}</a></p>
<p style="font-size:13px">${e("fallback")}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>
<p style="font-size:13px">${e("expiry")}</p>
<p style="font-size:13px;color:#555">${e("ignore")}</p>
${support ? `<p style="font-size:13px;color:#555">${escapeHtml(support)}</p>` : ""}
</td></tr></table></body></html>`;
  return { subject: t("subject", vars), text: lines.join("\n"), html };
}

export function renderActivationSms(i18n: I18nRegistry, lng: string, brand: Brand, params: ActivationParams, link: string): string {
  return renderSms(i18n, lng, brand, "activation", params, link);
}

export function renderReminderSms(i18n: I18nRegistry, lng: string, brand: Brand, params: ActivationParams, link: string): string {
  return renderSms(i18n, lng, brand, "reminder", params, link);
}

function renderSms(
  i18n: I18nRegistry,
  lng: string,
  brand: Brand,
  section: "activation" | "reminder",
  params: ActivationParams,
  link: string,
): string {
  const language = i18n.wholeLanguage(lng, "email", brand);
  return i18n.t(
    language,
    "email",
    brand,
  )(`${section}.sms`, {
    brand: brand.name,
    link,
    validUntil: dateFormat(language, false).format(new Date(params.validUntil)),
  });
}
