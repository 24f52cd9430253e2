// POST /idp/v1/account/pre-register (docs/pre-register.md): Basic client credentials, a JSON
// body checked field by field, then the pre-register rules.
import { Router, type Request } from "express";
import { z } from "zod";
import type { ClientContext } from "../config/load.js";
import { localeTag, profileFieldNames } from "../config/schema.js";
import { preRegister, type PreRegisterOutcome } from "../invitations/pre-register.js";
import { preRegisterLimit } from "../http/rate-limits.js";
import { constantTimeEqual, secretHash } from "../lib/crypto.js";
import { API_MESSAGES, PROFILE_TEXT_DESCRIPTION, profileTextSchema } from "../lib/api-fields.js";
import { E164, EMAIL, EMAIL_MAX } from "../lib/validation.js";
import type { Services } from "../services.js";
import { parseFields, type FieldError } from "../lib/field-errors.js";
import { jsonBody } from "./json-body.js";
import { forbidden, invalidParameters, methodNotAllowed, sendProblem } from "./problem.js";

export const profileFieldsSchema = z
  .strictObject(
    Object.fromEntries(profileFieldNames.map((name) => [name, profileTextSchema.optional()])) as Record<
      (typeof profileFieldNames)[number],
      z.ZodOptional<typeof profileTextSchema>
    >,
  )
  .meta({ description: PROFILE_TEXT_DESCRIPTION });

export const preRegisterBodySchema = z.strictObject({
  client_id: z.string().min(1).max(64),
  scope: z
    .string()
    .max(500)
    .refine((s) => s.split(" ").includes("openid"), "must contain openid"),
  redirect_uri: z.string().min(1).max(2000),
  auth_type: z.enum(["email", "sms"]),
  grant_type: z.literal("password", { error: "must be password" }),
  profile_fields: profileFieldsSchema,
  locale: localeTag.optional(),
  resend: z.boolean().optional().meta({
    description:
      "true: send a new link to the existing pending account. Only the identifier is needed; the message greets the name the account holds and the profile fields sent are ignored.",
  }),
});
export type PreRegisterBody = z.infer<typeof preRegisterBodySchema>;

/** Basic credentials checked against the configuration in constant time; no hint of which part failed. */
export function authenticateClient(s: Services, req: Request): ClientContext | undefined {
  const header = req.get("authorization") ?? "";
  const match = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  let clientId: string;
  try {
    // RFC 7617 clients may percent-encode the id; a broken escape is just a wrong credential.
    clientId = decodeURIComponent(decoded.slice(0, colon));
  } catch {
    clientId = decoded.slice(0, colon);
  }
  const secret = decoded.slice(colon + 1);
  const ctx = s.tenant.client(clientId);
  // Compare even for an unknown client, so timing does not tell which clients exist.
  const ok = constantTimeEqual(secretHash(secret), ctx?.client.secretHash ?? "sha256:unknown");
  return ok && ctx && ctx.client.enabled ? ctx : undefined;
}

/** What the client rules read from a body, kept only where it has the right type. */
interface RuleInput {
  redirect_uri?: string;
  auth_type?: "email" | "sms";
  resend?: boolean;
  profile_fields: Record<string, string>;
}

/** The parts of a body that failed the shape check, still good enough for the client rules. */
function ruleInputOf(raw: unknown): RuleInput {
  const body = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const fields = body.profile_fields;
  const profile =
    fields && typeof fields === "object" && !Array.isArray(fields)
      ? Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== ""))
      : {};
  return {
    redirect_uri: typeof body.redirect_uri === "string" ? body.redirect_uri : undefined,
    auth_type: body.auth_type === "email" || body.auth_type === "sms" ? body.auth_type : undefined,
    resend: body.resend === true,
    profile_fields: profile,
  };
}

/** The client-specific rules on top of the body's shape; a part that is missing or mistyped is the shape's to report. */
function clientRuleErrors(ctx: ClientContext, body: RuleInput): FieldError[] {
  const errors: FieldError[] = [];
  const { client } = ctx;
  if (client.type !== "oauth2") errors.push({ field: "client_id", message: "only OAuth2/OIDC clients can pre-register users" });
  if (body.redirect_uri !== undefined && !client.redirectUris.includes(body.redirect_uri))
    errors.push({ field: "redirect_uri", message: "is not a registered redirect URI of this client" });
  if (body.auth_type !== undefined && !client.authTypes.includes(body.auth_type))
    errors.push({ field: "auth_type", message: `must be one of: ${client.authTypes.join(", ")}` });
  if (body.resend && !client.resendInvite) errors.push({ field: "resend", message: "this client is not configured to resend invitations" });
  const fields = body.profile_fields;
  if (body.auth_type === "email") {
    if (!fields.emailAddress) errors.push({ field: "profile_fields.emailAddress", message: "is required when auth_type is email" });
    else if (!EMAIL.test(fields.emailAddress) || fields.emailAddress.length > EMAIL_MAX)
      errors.push({ field: "profile_fields.emailAddress", message: API_MESSAGES.email.invalid });
  }
  if (body.auth_type === "sms" && !fields.mobileNumber)
    errors.push({ field: "profile_fields.mobileNumber", message: "is required when auth_type is sms" });
  if (fields.mobileNumber && !E164.test(fields.mobileNumber))
    errors.push({ field: "profile_fields.mobileNumber", message: API_MESSAGES.phone });
  // A resend needs only the identifier: the account's stored profile is used, whatever the call sends.
  if (!body.resend)
    for (const name of client.requiredProfileFields)
      if (!fields[name] && !errors.some((e) => e.field === `profile_fields.${name}`))
        errors.push({ field: `profile_fields.${name}`, message: "is required by this client" });
  return errors;
}

/** Every bad field once: the shape's message first, then the client rules' for other fields. */
function allFieldErrors(shape: FieldError[], rules: FieldError[]): FieldError[] {
  const seen = new Set(shape.map((e) => e.field));
  return [...shape, ...rules.filter((e) => !seen.has(e.field))];
}

const outcomeStatus: Record<PreRegisterOutcome["kind"], number> = {
  created: 201,
  linked: 200,
  resent: 200,
  "already-verified": 422,
  "no-account": 422,
  "pending-exists": 409,
};

export function preRegisterRouter(s: Services): Router {
  const router = Router();
  router.post(
    "/pre-register",
    async (req, res, next) => {
      try {
        const ctx = authenticateClient(s, req);
        if (!ctx) return sendProblem(res, forbidden());
        const wait = await s.rateLimits.consume(preRegisterLimit(ctx.client.rateLimitPerMinute), ctx.client.clientId);
        if (wait !== undefined) {
          res.set("Retry-After", String(wait));
          return sendProblem(res, { status: 429, title: "Too Many Requests", detail: `Retry in ${wait} seconds.` });
        }
        res.locals.client = ctx;
        next();
      } catch (error) {
        // The shared limits live in the database: when it does not answer, the error handler says so.
        next(error);
      }
    },
    ...jsonBody(),
    async (req, res, next) => {
      try {
        const ctx = res.locals.client as ClientContext;
        const raw = req.body as unknown;
        // The body must name the client it authenticated as; a mismatch is refused like bad credentials.
        if (raw && typeof raw === "object" && "client_id" in raw && raw.client_id !== ctx.client.clientId)
          return sendProblem(res, forbidden());
        // The 422 lists every bad field at once, so the client rules run even when the shape fails.
        const parsed = parseFields(preRegisterBodySchema, raw);
        const errors = allFieldErrors(
          parsed.success ? [] : parsed.errors,
          clientRuleErrors(ctx, parsed.success ? parsed.data : ruleInputOf(raw)),
        );
        if (!parsed.success || errors.length) return sendProblem(res, invalidParameters(errors));
        const body = parsed.data;

        const { emailAddress, mobileNumber, ...profile } = body.profile_fields;
        const outcome = await preRegister(s, ctx, {
          redirectUri: body.redirect_uri,
          authType: body.auth_type,
          profile: Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)) as Record<string, string>,
          email: emailAddress ? emailAddress.toLowerCase() : null,
          phone: mobileNumber ?? null,
          locale: body.locale ?? ctx.client.defaultLocale ?? "en-US",
          resend: body.resend ?? false,
        });
        if (outcome.kind === "already-verified")
          return sendProblem(res, { status: 422, title: "Invalid User - Account is already verified" });
        if (outcome.kind === "no-account") return sendProblem(res, { status: 422, title: "Invalid User - Account doesn't exist" });
        if (outcome.kind === "pending-exists")
          return sendProblem(res, {
            status: 409,
            title: "Conflict",
            detail: "Another invitation is waiting for this identifier; revoke it or let it lapse first.",
            conflictingId: outcome.conflictingId,
          });
        s.log.info("pre_register", { client: ctx.client.clientId, outcome: outcome.kind, account: outcome.uuid });
        res.status(outcomeStatus[outcome.kind]).json({ uuid: outcome.uuid });
      } catch (error) {
        next(error);
      }
    },
  );
  // Any other method is the wrong one, not an unknown address.
  router.all("/pre-register", methodNotAllowed("POST"));
  return router;
}
