// The activation form's shared schema, on its own: the rules the browser and the action both run.
// (Its email, phone and text rules are server/lib/validation.ts's; test/lib/validation.test.ts sweeps them.)
import { activationInput, activationSchema, parseActivation, type ActivationFormConfig } from "../../app/journey/activation-form.js";

const config = (o: Partial<ActivationFormConfig> = {}): ActivationFormConfig => ({
  fields: [
    { name: "firstName", required: true },
    { name: "mobileNumber", required: false },
  ],
  password: { minLength: 12, maxLength: 64 },
  identifier: { kind: "email", value: "ada@example.com", locked: true },
  ...o,
});

function submit(cfg: ActivationFormConfig, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const submission = parseActivation(form, activationSchema(cfg));
  return { ...submission, error: submission.status === "error" ? submission.error : undefined };
}

const valid = { firstName: "Ada", password: "correct horse battery", acceptTerms: "on", acceptPrivacy: "on" };

it("answers with error codes, every problem at once", () => {
  expect(submit(config(), { firstName: "   ", mobileNumber: "0612", password: "short" }).error).toEqual({
    firstName: ["required"],
    mobileNumber: ["phone"],
    password: ["passwordTooShort"],
    acceptTerms: ["termsRequired"],
    acceptPrivacy: ["privacyRequired"],
  });
  expect(submit(config(), { ...valid, password: "x".repeat(65) }).error).toEqual({ password: ["passwordTooLong"] });
  expect(submit(config(), { ...valid, firstName: "Ada\r\nBcc: x" }).error).toEqual({ firstName: ["characters"] });
});

it("trims text, leaves out empty optional fields, and never takes an email when the identifier is locked", () => {
  const result = submit(config(), { ...valid, firstName: "  Ada ", mobileNumber: "", email: "evil@example.com" });
  expect(result.status).toBe("success");
  const input = activationInput(config(), result.status === "success" ? result.value! : {});
  expect(input).toEqual({ password: valid.password, profile: { firstName: "Ada" }, email: null });
});

it("has one password field: a confirmation sent by an older page is ignored, whatever it holds", () => {
  const result = submit(config(), { ...valid, confirmPassword: "something else" });
  expect(result.status).toBe("success");
  expect(result.status === "success" ? result.value : undefined).not.toHaveProperty("confirmPassword");
});

it("requires a valid email when the invitee may choose one", () => {
  const open = config({ identifier: { kind: "email", value: "ada@example.com", locked: false } });
  expect(submit(open, valid).error).toEqual({ email: ["required"] });
  expect(submit(open, { ...valid, email: "not an email" }).error).toEqual({ email: ["email"] });
  const result = submit(open, { ...valid, email: " grace@example.com " });
  expect(activationInput(open, result.status === "success" ? result.value! : {}).email).toBe("grace@example.com");
});
