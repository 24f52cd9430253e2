// /join on the server: an existing account confirms with its current password that it is the
// one joining (server/invitations/join.ts), then leaves for the authorization endpoint with the
// same 303 as an activation. The journey cookie says which invitation; the token is never in the URL.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import type { ClientContext } from "../../server/config/load.js";
import { lookupLink } from "../../server/invitations/activate.js";
import { confirmJoin, JOIN_LOCK_MINUTES, joinGrants, lockedUntil, type JoinGrants } from "../../server/invitations/join.js";
import { formatExpiry } from "../../server/messaging/render.js";
import type { Invitation } from "../../server/store/invitations.js";
import type { PageI18n } from "~/i18n";
import { joinSchema, parseJoin, type JoinFormConfig } from "./join-form";
import { joinWords } from "./join-landing.server";
import { brandView, Journey, journeyLanguage, linkForPage, terminalPage, validPost, type BrandView, type DoneData } from "./journey.server";
import { NEW_LINK, sendNewLink } from "./links.server";

export interface JoinFormData {
  view: "join-form";
  brand: BrandView;
  i18n: PageI18n;
  title: string;
  target: string;
  /** The account's identifier, shown read-only (and offered to password managers). */
  identifier: string;
  grants: JoinGrants;
  config: JoinFormConfig;
  /** The client's passwordResetUrl: "Forgot your password?". */
  passwordResetUrl: string | null;
  csrf: string;
}

export interface JoinLockedData {
  view: "join-locked";
  brand: BrandView;
  i18n: PageI18n;
  title: string;
  /** The end of the lock, formatted in the page's language. */
  until: string;
  minutes: number;
  passwordResetUrl: string | null;
}

type JoinLink = { invitation: Invitation; ctx: ClientContext; account?: { email: string | null; phone: string | null } };

const joinConfig = ({ ctx }: JoinLink): JoinFormConfig => ({
  passwordMax: ctx.store.passwordPolicy.maxLength,
  requireTerms: ctx.client.requireTermsOnJoin,
});

/** Never sent back to the browser after an error. */
const HIDDEN_FIELDS = ["password"];

/** A link the journey has, as this page sees it: the join invitation, or the page it ends on. */
async function openJoin(context: AppLoadContext, request: Request, journey: Journey) {
  const link = await linkForPage(context.services, journey.data.th, journey);
  if (link.kind !== "valid") return { page: await terminalPage(context, request, link, { journey }) };
  // An invitation to activate an account has its own form.
  if (link.invitation.kind !== "join") return { page: redirect("/activate", { status: 303, headers: await journey.headers() }) };
  context.frameAncestors = link.ctx.client.frameAncestors;
  return { link };
}

/** The locked page: 429 with Retry-After until the lock ends. */
async function lockedPage(context: AppLoadContext, request: Request, link: JoinLink, journey: Journey, until: string) {
  const { i18n, t } = await joinWords(context, request, link, journey.data.lng);
  const headers = await journey.headers();
  const wait = Math.max(1, Math.ceil((Date.parse(until) - context.services.clock.now().getTime()) / 1000));
  headers.set("Retry-After", String(wait));
  return data<JoinLockedData>(
    {
      view: "join-locked",
      brand: brandView(link.ctx.brand),
      i18n,
      title: t("join.lockedTitle"),
      until: formatExpiry(until, i18n.lng),
      minutes: JOIN_LOCK_MINUTES,
      passwordResetUrl: link.ctx.client.passwordResetUrl,
    },
    { status: 429, headers },
  );
}

export async function joinPage(context: AppLoadContext, request: Request) {
  const s = context.services;
  const journey = await Journey.open(request, s);
  // The switcher (GET ?lng=) is remembered for the rest of the journey.
  const picked = s.i18n.match(new URL(request.url).searchParams.get("lng"));
  if (picked && picked !== journey.data.lng) journey.set({ lng: picked });
  const { link, page } = await openJoin(context, request, journey);
  if (!link) return page;
  const until = lockedUntil(link.invitation, s.clock.now());
  if (until) return lockedPage(context, request, link, journey, until);
  const { i18n, target, t } = await joinWords(context, request, link, journey.data.lng);
  const csrf = journey.csrf();
  return data<JoinFormData>(
    {
      view: "join-form",
      brand: brandView(link.ctx.brand),
      i18n,
      title: t("join.confirmTitle", { target }),
      target,
      identifier: link.account?.email ?? link.account?.phone ?? "",
      grants: joinGrants(link.invitation, link.ctx),
      config: joinConfig(link),
      passwordResetUrl: link.ctx.client.passwordResetUrl,
      csrf,
    },
    { headers: await journey.headers() },
  );
}

export async function join(context: AppLoadContext, request: Request) {
  const s = context.services;
  const form = await request.formData();
  const journey = await Journey.open(request, s);
  const tokenHash = journey.data.th;
  if (form.get("intent") === NEW_LINK) return sendNewLink(context, request, form, journey, tokenHash);
  const link = await lookupLink(s, tokenHash);
  // A submission for an invitation already accepted conflicts with it (409), however late it came.
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey, status: link.kind === "used" ? 409 : undefined });
  if (link.invitation.kind !== "join") return redirect("/activate", { status: 303, headers: await journey.headers() });
  context.frameAncestors = link.ctx.client.frameAncestors;
  const submission = parseJoin(form, joinSchema(joinConfig(link)));
  if (!validPost(request, form, journey, s))
    return data(
      { view: "result" as const, result: submission.reply({ formErrors: ["csrf"], hideFields: HIDDEN_FIELDS }) },
      { status: 403 },
    );
  if (submission.status !== "success")
    return data({ view: "result" as const, result: submission.reply({ hideFields: HIDDEN_FIELDS }) }, { status: 400 });

  const outcome = await confirmJoin(s, {
    tokenHash: tokenHash!,
    password: String(submission.value.password),
    locale: await journeyLanguage(context, request, link, journey.data.lng),
    state: journey.data.state,
  });
  switch (outcome.kind) {
    case "wrong-password":
      return data(
        {
          view: "result" as const,
          result: submission.reply({ fieldErrors: { password: ["passwordWrong"] }, hideFields: HIDDEN_FIELDS }),
          remaining: outcome.remaining,
          minutes: JOIN_LOCK_MINUTES,
        },
        { status: 400 },
      );
    case "locked":
      return lockedPage(context, request, link, journey, outcome.until);
    case "used":
      // The other of two simultaneous confirmations won.
      return terminalPage(context, request, outcome, { journey, status: 409 });
    case "expired":
    case "invalid":
      return terminalPage(context, request, outcome, { journey });
  }
  const embedded = journey.data.embed === true && link.ctx.client.frameAncestors.length > 0;
  const { state = null, lng: picked } = journey.data;
  journey.end();
  const headers = await journey.headers();
  if (!embedded) return redirect(outcome.redirectTo, { status: 303, headers });
  const { i18n, target, t } = await joinWords(context, request, link, picked);
  return data<DoneData>(
    {
      view: "done",
      brand: brandView(link.ctx.brand),
      i18n,
      title: t("join.doneTitle", { target }),
      redirectTo: outcome.redirectTo,
      state,
      origins: link.ctx.client.frameAncestors,
    },
    { status: 200, headers },
  );
}
