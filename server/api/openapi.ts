// GET /api/openapi.json: an OpenAPI 3.1 description of the pre-register endpoint and the admin API,
// generated from the very zod schemas that parse their requests and shape their responses.
import { Router } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import {
  accountPageSchema,
  accountSchema,
  invitationPageSchema,
  invitationSchema,
  listAccountsQuerySchema,
  listInvitationsQuerySchema,
  problemSchema,
  resendBodySchema,
} from "./admin/schemas.js";
import { batchBodySchema, batchResultSchema } from "./admin/bulk.js";
import { createInvitationBodySchema } from "../invitations/invite-body.js";
import { preRegisterBodySchema } from "./pre-register.js";

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  return rest;
}

/** Query parameters from a zod object: one OpenAPI parameter per key. */
function queryParameters(schema: z.ZodObject): Json[] {
  const js = jsonSchema(schema, "input") as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return { name, in: "query", required: js.required?.includes(name) ?? false, schema: rest, ...(description ? { description } : {}) };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

const authErrors = {
  "401": problem("No admin token, or not a valid one."),
  "403": problem("The admin token lacks the scope this operation needs."),
};
const storeParam = { name: "store", in: "path", required: true, schema: { type: "string" }, description: "Identity store name." };
const idParam = (what: string) => ({ name: "id", in: "path", required: true, schema: { type: "string" }, description: `${what} id.` });

/** The batch body, its rows pointing at InvitationCreate (the schema parses them one by one). */
function batchSchemaWithRows(): Json {
  const schema = jsonSchema(batchBodySchema, "input") as { properties: { invitations: Json & { items: Json } } };
  const { description } = schema.properties.invitations.items as { description?: string };
  schema.properties.invitations.items = { ...ref("InvitationCreate"), ...(description ? { description } : {}) };
  return schema as Json;
}

export function buildOpenApiDocument(publicUrl?: string): Json {
  const read = [{ adminToken: ["read:account"] }];
  const write = [{ adminToken: ["write:account"] }];
  const base = "/admin/api/v1/identityStores/{store}";
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Invitation service API",
      version: "1.0.0",
      description:
        "The pre-register endpoint for brand applications (client credentials) and the admin invitations API (admin bearer tokens with read:account / write:account scopes). Errors are application/problem+json; `errors[].field` names each offending field.",
    },
    ...(publicUrl ? { servers: [{ url: publicUrl }] } : {}),
    paths: {
      "/idp/v1/account/pre-register": {
        post: {
          operationId: "preRegister",
          summary: "Pre-register a user and send the activation link",
          security: [{ clientBasic: [] }],
          requestBody: { required: true, content: json("PreRegisterBody") },
          responses: {
            "201": { description: "New user: pending account created, activation message queued.", content: json("PreRegisterResult") },
            "200": { description: "Existing user linked to the client, or link resent.", content: json("PreRegisterResult") },
            "400": problem("Malformed JSON."),
            "403": problem("Missing or wrong credentials, client_id differing from them, or a disabled client."),
            "413": problem("Body over the size limit."),
            "415": problem("Not application/json."),
            "422": problem("Invalid parameters, or the resend case does not apply."),
            "429": problem("Rate limit of the client reached; see Retry-After."),
          },
        },
      },
      [`${base}/invite`]: {
        parameters: [storeParam],
        post: {
          operationId: "createInvitation",
          summary: "Invite a customer",
          security: write,
          requestBody: { required: true, content: json("InvitationCreate") },
          responses: {
            "201": {
              description:
                "Created; with sendEmail false the body carries invitationUrl. kind is join when the email belongs to an active account the policy lets be invited (accountId names it): its message invites it to join, and it is accepted with the account's current password.",
              content: json("Invitation"),
            },
            "400": problem(
              "A rule is broken: SAML2 client, organizational/non-organizational mix, unknown role or group, redirectUri not registered for the client, expiresInHours above the store's maxInvitationTtlHours; or malformed JSON.",
            ),
            ...authErrors,
            "404": problem("No such identity store."),
            "409": problem(
              "A pending invitation for the email exists (conflictingId), or an account does and the policy forbids inviting it.",
            ),
            "413": problem("Body over the size limit."),
            "415": problem("Not application/json."),
            "422": problem("Malformed or unknown fields (expiresInHours not a whole number of at least 1, among others)."),
          },
        },
        get: {
          operationId: "listInvitations",
          summary: "List, filter and search invitations; or export them as CSV",
          security: read,
          parameters: queryParameters(listInvitationsQuerySchema),
          responses: {
            "200": {
              description:
                "One page of invitations (a page past the end: no items, with the total). With format=csv or Accept: text/csv, every matching invitation as a CSV file (X-Total-Count: how many matched).",
              content: { ...json("InvitationList"), "text/csv": { schema: { type: "string" } } },
            },
            ...authErrors,
            "404": problem("No such identity store."),
            "422": problem("Invalid query parameter."),
          },
        },
      },
      [`${base}/invite/batch`]: {
        parameters: [storeParam],
        post: {
          operationId: "createInvitationBatch",
          summary: "Invite up to 1,000 customers in one call, each row on its own",
          description:
            "Each item of `invitations` is the body of POST .../invite and is validated and created independently, in input order (rows with the same email strictly one after the other: the second gets 409). One row's failure never stops the others; a created row stays created. The answer is 200 with one result per row.",
          security: write,
          requestBody: { required: true, content: json("InvitationBatch") },
          responses: {
            "200": { description: "One result per row, in input order, with the counts.", content: json("InvitationBatchResult") },
            "400": problem("Malformed JSON."),
            ...authErrors,
            "404": problem("No such identity store."),
            "413": problem("Body over 1 MiB, or more than 1,000 invitations."),
            "415": problem("Not application/json."),
            "422": problem("The batch itself is malformed: no `invitations` list, an empty one, or unknown top-level fields."),
          },
        },
      },
      [`${base}/invite/{id}`]: {
        parameters: [storeParam, idParam("Invitation")],
        get: {
          operationId: "getInvitation",
          summary: "An invitation",
          security: read,
          responses: {
            "200": { description: "The invitation, with its deliveries.", content: json("Invitation") },
            ...authErrors,
            "404": problem("Not found."),
          },
        },
        delete: {
          operationId: "revokeInvitation",
          summary: "Revoke (delete) an invitation; its link stops working at once",
          security: write,
          responses: {
            "204": { description: "Revoked." },
            ...authErrors,
            "404": problem("Not found."),
            "409": problem("Already accepted."),
          },
        },
      },
      [`${base}/invite/{id}/resend`]: {
        parameters: [storeParam, idParam("Invitation")],
        post: {
          operationId: "resendInvitation",
          summary: "Send a new link (also revives an expired invitation); earlier links stop working",
          security: write,
          requestBody: { required: false, content: json("InvitationResend") },
          responses: {
            "200": {
              description: "Resent; resendCount went up. A language given is the invitation's from now on.",
              content: json("Invitation"),
            },
            "400": problem("The client does not allow resending, or expiresInHours is above the store's maxInvitationTtlHours."),
            "422": problem("Malformed or unknown fields."),
            ...authErrors,
            "404": problem("Not found."),
            "409": problem("Already accepted, or a newer pending invitation exists for the email."),
          },
        },
      },
      [`${base}/accounts`]: {
        parameters: [storeParam],
        get: {
          operationId: "listAccounts",
          summary: "List accounts",
          security: read,
          parameters: queryParameters(listAccountsQuerySchema),
          responses: {
            "200": { description: "One page of accounts, each with every membership.", content: json("AccountList") },
            ...authErrors,
            "404": problem("No such identity store."),
            "422": problem("Invalid query parameter."),
          },
        },
      },
      [`${base}/accounts/{id}`]: {
        parameters: [storeParam, idParam("Account")],
        get: {
          operationId: "getAccount",
          summary: "An account",
          security: read,
          responses: { "200": { description: "The account.", content: json("Account") }, ...authErrors, "404": problem("Not found.") },
        },
      },
    },
    components: {
      securitySchemes: {
        adminToken: {
          type: "http",
          scheme: "bearer",
          description: "An admin token from the tenant configuration; its scopes (read:account, write:account) are listed per operation.",
        },
        clientBasic: { type: "http", scheme: "basic", description: "client_id and client secret of a brand application's client." },
      },
      schemas: {
        PreRegisterBody: jsonSchema(preRegisterBodySchema, "input"),
        PreRegisterResult: {
          type: "object",
          properties: { uuid: { type: "string", format: "uuid" } },
          required: ["uuid"],
        },
        InvitationCreate: jsonSchema(createInvitationBodySchema, "input"),
        InvitationResend: jsonSchema(resendBodySchema, "input"),
        InvitationBatch: batchSchemaWithRows(),
        InvitationBatchResult: jsonSchema(batchResultSchema, "output"),
        Invitation: jsonSchema(invitationSchema, "output"),
        InvitationList: jsonSchema(invitationPageSchema, "output"),
        Account: jsonSchema(accountSchema, "output"),
        AccountList: jsonSchema(accountPageSchema, "output"),
        Problem: jsonSchema(problemSchema, "output"),
      },
    },
  };
}

export function openApiRouter(s: Services): Router {
  const router = Router();
  let body: string | undefined;
  router.get("/api/openapi.json", (_req, res) => {
    body ??= JSON.stringify(buildOpenApiDocument(s.env.publicUrl));
    res.set("Cache-Control", "public, max-age=300");
    res.type("application/json").send(body);
  });
  return router;
}
