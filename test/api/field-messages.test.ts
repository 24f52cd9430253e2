// Every message a client reads about a bad field is written for a person and sits beside that
// field: a sweep over the pre-register body, the admin create body and the batch (body and rows),
// each field left out (where it is required) and given values of the wrong type. The fields come
// from the schemas themselves, so a field added later is swept too.
import type { z } from "zod";
import { batchBodySchema } from "../../server/api/admin/bulk.js";
import { createInvitationBodySchema, metadataFieldNames } from "../../server/invitations/invite-body.js";
import { preRegisterBodySchema } from "../../server/api/pre-register.js";
import { profileFieldNames } from "../../server/config/schema.js";
import { api, countRows, shopInvite, STORE_PATH } from "../admin/helpers.js";
import { preRegister, preRegisterBody } from "../support/http.js";
import { useTestServer } from "../support/env.js";

/** What the validator says when nobody gave it words. */
const RAW = /Invalid input|expected .* received|Invalid option|Too (big|small)/;
const WRONG_TYPES: unknown[] = [42, true, "text", [], { a: 1 }, null];

const server = useTestServer();

interface Case {
  name: string;
  /** The dotted path of the field the case breaks. */
  field: string;
  value: unknown;
}

/** Each field of `shape`: left out if it is required, then each wrong-typed value it refuses. */
function casesOf(shape: Record<string, z.ZodType>, prefix = ""): Case[] {
  const cases: Case[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const field = `${prefix}${key}`;
    if (!schema.safeParse(undefined).success) cases.push({ name: `${field} missing`, field, value: undefined });
    for (const value of WRONG_TYPES)
      if (!schema.safeParse(value).success) cases.push({ name: `${field} = ${JSON.stringify(value)}`, field, value });
  }
  return cases;
}

/** A copy of `body` with the dotted `field` set to `value` (left out when undefined). */
function withField(body: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const path = field.split(".");
  let target = copy as Record<string, any>;
  for (const part of path.slice(0, -1)) target = target[part] ??= {};
  if (value === undefined) delete target[path.at(-1)!];
  else target[path.at(-1)!] = value;
  return copy;
}

function expectHumanMessages(errors: { field: string; message: string }[], field: string, prefix = "") {
  // The field itself, or (for an object given unknown keys) a key inside it.
  const named = `${prefix}${field}`;
  expect(
    errors.some((e) => e.field === named || e.field.startsWith(`${named}.`)),
    JSON.stringify(errors),
  ).toBe(true);
  for (const e of errors) {
    expect(e.message).not.toMatch(RAW);
    expect(e.message.length).toBeGreaterThan(0);
    // Named after a field of the body, never the body as a whole.
    expect(e.field).not.toMatch(/\(body\)|\(row\)/);
  }
}

const profileShape = (names: readonly string[], schema: z.ZodType) => Object.fromEntries(names.map((n) => [n, schema]));

describe("pre-register", () => {
  const top = preRegisterBodySchema.shape;
  const profileField = top.profile_fields.shape.firstName;
  const cases = [
    ...casesOf(top as unknown as Record<string, z.ZodType>),
    ...casesOf(profileShape(profileFieldNames, profileField), "profile_fields."),
  ];

  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const res = await preRegister(server.url, withField(preRegisterBody({}, { emailAddress: "sweep@example.com" }), c.field, c.value));
    expect(res.status).toBe(c.field === "client_id" && c.value !== undefined ? 403 : 422);
    if (res.status === 422) expectHumanMessages(res.body.errors, c.field);
  });
});

describe("admin create and batch", () => {
  const top = createInvitationBodySchema.shape as unknown as Record<string, z.ZodType>;
  const metadataField = createInvitationBodySchema.shape.metadata.unwrap().shape.firstName;
  const cases = [
    ...casesOf(top),
    ...casesOf(profileShape(["givenName", "familyName", ...metadataFieldNames], metadataField), "metadata."),
    ...casesOf({ id: createInvitationBodySchema.shape.groups.unwrap().element.shape.id }, "groups.0."),
    ...casesOf(createInvitationBodySchema.shape.roles.unwrap().element.shape as unknown as Record<string, z.ZodType>, "roles.0."),
  ];
  const base = () => shopInvite({ metadata: { firstName: "Sweep" }, groups: [{ id: "newsletter" }], roles: [{ id: "buyer" }] });

  test.each(cases.map((c) => [c.name, c] as const))("create, %s", async (_name, c) => {
    const res = await api(server.url, `${STORE_PATH}/invite`, { body: withField(base(), c.field, c.value) });
    expect(res.status).toBe(422);
    expectHumanMessages(res.body.errors, c.field);
  });

  test("batch: every case as a row of one call, each row's messages human and beside its field", async () => {
    const before = await countRows(server, "invitations");
    const res = await api(server.url, `${STORE_PATH}/invite/batch`, {
      body: { invitations: cases.map((c) => withField(base(), c.field, c.value)) },
    });
    expect(res.status).toBe(200);
    cases.forEach((c, i) => {
      const row = res.body.results[i];
      expect(row.status, c.name).toBe(422);
      expectHumanMessages(row.problem.errors, c.field, `invitations.${i}.`);
    });
    expect(await countRows(server, "invitations")).toBe(before);
  });

  test.each(casesOf(batchBodySchema.shape as unknown as Record<string, z.ZodType>).map((c) => [c.name, c] as const))(
    "batch body, %s",
    async (_name, c) => {
      const res = await api(server.url, `${STORE_PATH}/invite/batch`, { body: withField({ invitations: [base()] }, c.field, c.value) });
      expect(res.status).toBe(422);
      expectHumanMessages(res.body.errors, c.field);
    },
  );

  test("a batch row that is not an object is refused in words", async () => {
    const res = await api(server.url, `${STORE_PATH}/invite/batch`, { body: { invitations: [42] } });
    expect(res.body.results[0].problem.errors).toEqual([{ field: "invitations.0.(row)", message: "must be an object" }]);
  });

  test("list queries: bounds and types in words", async () => {
    const res = await api(server.url, `${STORE_PATH}/invite?page=-1&size=1000&status=lost`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "status", message: "must be one of pending, done, expired" },
      { field: "page", message: "must be at least 0" },
      { field: "size", message: "must be at most 100" },
    ]);
  });
});
