// The activation screen on the server (docs/journey.md): the form for the invitation in the journey
// cookie, and its submission: the shared schema again (the browser's verdict is never trusted),
// then acceptInvitation(), which may still refuse the password (server/lib/password-choice.ts),
// and the 303 to the authorization endpoint.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { acceptInvitation, identifierLocked, lookupLink, type LinkState } from "../../server/invitations/activate.js";
import {
  activationInput,
  activationSchema,
  editsEmail,
  isProfileField,
  parseActivation,
  PROFILE_FIELDS,
  type ActivationFormConfig,
  type ProfileField,
} from "./activation-form";
import {
  brandView,
  Journey,
  journeyI18n,
  journeyLanguage,
  linkForPage,
  terminalPage,
  validPost,
  type DoneData,
  type FormPageData,
} from "./journey.server";
import { NEW_LINK, sendNewLink } from "./links.server";

/** Names the admin API's metadata uses for fields the form calls otherwise (docs/admin-api.md). */
const METADATA_ALIASES: Record<string, ProfileField> = { givenName: "firstName", familyName: "lastName" };

/**
 * The activation form of an invitation: the fields the client requires plus those the invitation
 * pre-fills, the store's password policy, and the identifier, locked unless the application lets
 * the invitee register with another email (a phone number is always locked).
 */
export function activationForm(link: Extract<LinkState, { kind: "valid" }>): {
  config: ActivationFormConfig;
  defaults: Record<string, string>;
} {
  const { invitation, ctx, account } = link;
  const prefill: Record<string, string> = {};
  const known = { ...account?.profile, ...invitation.metadata };
  for (const [key, value] of Object.entries(known)) {
    const name = METADATA_ALIASES[key];
    if (name && typeof value === "string" && !known[name]) prefill[name] = value;
  }
  for (const [key, value] of Object.entries(known)) if (isProfileField(key) && typeof value === "string") prefill[key] = value;

  const kind = invitation.email ? "email" : "phone";
  const required = new Set<string>(ctx.client.requiredProfileFields);
  const fields = (Object.keys(PROFILE_FIELDS) as ProfileField[])
    .filter((name) => (required.has(name) || prefill[name]) && !(name === "mobileNumber" && kind === "phone"))
    .map((name) => ({ name, required: required.has(name) }));
  const config: ActivationFormConfig = {
    fields,
    password: { minLength: ctx.store.passwordPolicy.minLength, maxLength: ctx.store.passwordPolicy.maxLength },
    identifier: {
      kind,
      value: (kind === "email" ? invitation.email : invitation.phone) ?? "",
      locked: kind === "phone" || identifierLocked(ctx),
    },
  };
  const defaults: Record<string, string> = {};
  for (const { name } of fields) if (prefill[name]) defaults[name] = prefill[name];
  if (editsEmail(config)) defaults.email = config.identifier.value;
  return { config, defaults };
}

/** Never sent back to the browser after an error. */
const HIDDEN_FIELDS = ["password"];

export async function activationPage(context: AppLoadContext, request: Request) {
  const s = context.services;
  const journey = await Journey.open(request, s);
  // The switcher (GET ?lng=) is remembered for the rest of the journey.
  const picked = s.i18n.match(new URL(request.url).searchParams.get("lng"));
  if (picked && picked !== journey.data.lng) journey.set({ lng: picked });
  const link = await linkForPage(s, journey.data.th, journey);
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey });
  // An invitation for an existing account is accepted with its password, never activated.
  if (link.invitation.kind === "join") return redirect("/join", { status: 303, headers: await journey.headers() });
  const { ctx } = link;
  context.frameAncestors = ctx.client.frameAncestors;
  const i18n = await journeyI18n(context, request, link, journey.data.lng);
  const csrf = journey.csrf();
  return data<FormPageData>(
    {
      view: "form",
      brand: brandView(ctx.brand),
      i18n,
      title: s.i18n.t(i18n.lng, "journey", ctx.brand)("activate.title", { brand: ctx.brand.name }),
      ...activationForm(link),
      csrf,
    },
    { headers: await journey.headers() },
  );
}

export async function activate(context: AppLoadContext, request: Request) {
  const s = context.services;
  const form = await request.formData();
  const journey = await Journey.open(request, s);
  const tokenHash = journey.data.th;
  if (form.get("intent") === NEW_LINK) return sendNewLink(context, request, form, journey, tokenHash);
  const link = await lookupLink(s, tokenHash);
  // A submission for an invitation already activated conflicts with it (409), however late it came.
  if (link.kind !== "valid") return terminalPage(context, request, link, { journey, status: link.kind === "used" ? 409 : undefined });
  if (link.invitation.kind === "join") return redirect("/join", { status: 303, headers: await journey.headers() });
  const { ctx } = link;
  context.frameAncestors = ctx.client.frameAncestors;
  const { config } = activationForm(link);
  const submission = parseActivation(form, activationSchema(config));
  if (!validPost(request, form, journey, s))
    return data(
      { view: "result" as const, result: submission.reply({ formErrors: ["csrf"], hideFields: HIDDEN_FIELDS }) },
      { status: 403 },
    );
  if (submission.status !== "success")
    return data({ view: "result" as const, result: submission.reply({ hideFields: HIDDEN_FIELDS }) }, { status: 400 });

  const outcome = await acceptInvitation(s, {
    tokenHash: tokenHash!,
    ...activationInput(config, submission.value),
    locale: await journeyLanguage(context, request, link, journey.data.lng),
    state: journey.data.state,
  });
  switch (outcome.kind) {
    case "password-refused":
      return data(
        { view: "result" as const, result: submission.reply({ fieldErrors: { password: [outcome.reason] }, hideFields: HIDDEN_FIELDS }) },
        { status: 400 },
      );
    case "identifier-taken":
      return data(
        { view: "result" as const, result: submission.reply({ fieldErrors: { email: ["identifierTaken"] }, hideFields: HIDDEN_FIELDS }) },
        { status: 409 },
      );
    case "used":
      // The other of two simultaneous submissions won.
      return terminalPage(context, request, outcome, { journey, status: 409 });
    case "expired":
    case "invalid":
      return terminalPage(context, request, outcome, { journey });
  }
  const embedded = journey.data.embed === true && ctx.client.frameAncestors.length > 0;
  const { state = null, lng: picked } = journey.data;
  journey.end();
  const headers = await journey.headers();
  if (!embedded) return redirect(outcome.redirectTo, { status: 303, headers });
  const i18n = await journeyI18n(context, request, link, picked);
  return data<DoneData>(
    {
      view: "done",
      brand: brandView(ctx.brand),
      i18n,
      title: s.i18n.t(i18n.lng, "journey", ctx.brand)("done.title"),
      redirectTo: outcome.redirectTo,
      state,
      origins: ctx.client.frameAncestors,
    },
    { status: 200, headers },
  );
}
