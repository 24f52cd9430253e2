// The console's form schema on its own: field mapping, locale-pack messages, form data parsing.
// (Its email and text rules are server/lib/validation.ts's; test/lib/validation.test.ts sweeps them.)
import * as z from "zod/mini";
import { formFieldOf, inviteFormSchema, parseInviteForm } from "../../app/console/invite-schema.js";

test("the service's field names land on the form's fields", () => {
  expect(formFieldOf("roles.0.organization")).toBe("role");
  expect(formFieldOf("groups.3.id")).toBe("groups");
  expect(formFieldOf("clientId")).toBe("clientId");
  expect(formFieldOf("metadata.x")).toBe("");
});

test("error messages are keys of the admin locale pack", async () => {
  const { default: en } = await import("../../locales/en-US/admin.json", { with: { type: "json" } });
  const result = z.safeParse(inviteFormSchema, {
    email: ["a@example.com", "b@example.com"],
    language: "english",
    organization: 7,
    groups: Array.from({ length: 51 }, (_, i) => `g${i}`),
    firstName: "y".repeat(201),
    lastName: "Ja\u202Ene",
  });
  expect(result.success).toBe(false);
  const get = (path: string) => path.split(".").reduce<any>((o, k) => o?.[k], en);
  for (const issue of result.error!.issues) expect(typeof get(issue.message), issue.message).toBe("string");
});

test("form data parses like the browser sends it: one group is a list of one, empty inputs are absent", () => {
  const form = new FormData();
  form.set("email", " ann@example.com ");
  form.set("language", "fr-FR");
  form.set("organization", "");
  form.set("clientId", "shop-web");
  form.append("groups", "newsletter");
  const submission = parseInviteForm(form);
  expect(submission.status).toBe("success");
  expect(submission.status === "success" && submission.value).toEqual({
    email: "ann@example.com",
    language: "fr-FR",
    clientId: "shop-web",
    groups: ["newsletter"],
  });
});
