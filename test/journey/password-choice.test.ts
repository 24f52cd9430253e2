// Passwords anyone would guess, over real HTTP: the activation form refuses a common password, one
// made of the invitee's identifier or the brand's name, and one of spaces only, says why beside the
// password field in the invitee's language, and changes nothing; a strong password still goes through.
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { dom, filledForm, invitedByEmail, invitedBySms, openActivation, pathOf, STRONG_PASSWORD, textOf } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

const env = useTestEnv();

const db = () => env.server.services.db.kysely;
const COMMON = "This password is too common and easy to guess. Choose another one.";
const PERSONAL = "Choose a password that is not based on your email address, your phone number or the name Acme.";
const BLANK = "Use letters, numbers or symbols, not only spaces.";

async function invitationStatus(email: string) {
  const row = await db().selectFrom("invitations").select("status").where("email", "=", email).executeTakeFirstOrThrow();
  return row.status;
}

/** Posts the form with this password (confirmed), expecting the refusal beside the password field. */
async function refused(client: HttpClient, csrf: string, password: string) {
  const res = await client.post("/activate", filledForm(csrf, { password }));
  const doc = dom(res.html);
  const field = doc.querySelector("#activate-password")!;
  return {
    status: res.status,
    message: textOf(doc, "#activate-password-error"),
    invalid: field.getAttribute("aria-invalid"),
    summary: [...doc.querySelectorAll("#error-summary li")].map((li) => li.textContent),
    kept: doc.querySelector<HTMLInputElement>('input[name="password"]')!.value,
  };
}

it("refuses passwords anyone would guess, says why beside the field, and changes nothing", async () => {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);

  for (const [password, message] of [
    ["aaaaaaaaaaaa", COMMON],
    ["passwordpassword", COMMON],
    ["123456789012", COMMON],
    ["PassWordPassWord", COMMON],
    [" ".repeat(12), BLANK],
  ] as const) {
    const answer = await refused(client, form.csrf!, password);
    expect({ password, ...answer }).toEqual({
      password,
      status: 400,
      message,
      invalid: "true",
      summary: [`Password: ${message}`],
      kept: "",
    });
  }
  expect(await findAccountByIdentifier(db(), "customers", { email })).toMatchObject({ status: "pending" });
  expect(await invitationStatus(email)).toBe("pending");

  // A strong password still goes through on the same form.
  const done = await client.post("/activate", filledForm(form.csrf!));
  expect(done.status).toBe(303);
  expect(await findAccountByIdentifier(db(), "customers", { email })).toMatchObject({ status: "active" });
  expect(await invitationStatus(email)).toBe("done");
});

it("refuses a password made of the invitee's email or the brand's name", async () => {
  const { email, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  const local = email.slice(0, email.indexOf("@"));

  for (const password of [email, email.toUpperCase(), `${local}2024!`, "Acme2024!!!!", "acme-acme-acme"]) {
    const answer = await refused(client, form.csrf!, password);
    expect({ password, status: answer.status, message: answer.message, kept: answer.kept }).toEqual({
      password,
      status: 400,
      message: PERSONAL,
      kept: "",
    });
  }
  expect(await findAccountByIdentifier(db(), "customers", { email })).toMatchObject({ status: "pending" });
  expect(await invitationStatus(email)).toBe("pending");
  expect((await client.post("/activate", filledForm(form.csrf!, { password: `${STRONG_PASSWORD} acme` }))).status).toBe(303);
});

it("refuses a password made of the invitee's phone number", async () => {
  const { phone, link } = await invitedBySms(env);
  const client = new HttpClient(env.server.url);
  // An SMS link goes straight to the form.
  expect((await client.get(pathOf(link))).location).toBe("/activate");
  const form = await client.get("/activate");
  const answer = await refused(client, form.csrf!, `${phone}!`);
  expect([answer.status, answer.message]).toEqual([400, PERSONAL]);
  expect(await findAccountByIdentifier(db(), "customers", { phone })).toMatchObject({ status: "pending" });
});

it("says why in French and Arabic", async () => {
  const fr = await invitedByEmail(env, { locale: "fr-FR" });
  const frClient = new HttpClient(env.server.url);
  const frForm = await openActivation(frClient, fr.link);
  expect((await refused(frClient, frForm.csrf!, "passwordpassword")).summary).toEqual([
    "Mot de passe : Ce mot de passe est trop courant et facile à deviner. Choisissez-en un autre.",
  ]);
  expect((await refused(frClient, frForm.csrf!, "Acme2024!!!!")).message).toBe(
    "Choisissez un mot de passe qui ne repose pas sur votre adresse e-mail, votre numéro de téléphone ou le nom Acme.",
  );
  expect((await refused(frClient, frForm.csrf!, " ".repeat(12))).message).toBe(
    "Utilisez des lettres, des chiffres ou des symboles, pas seulement des espaces.",
  );

  const ar = await invitedByEmail(env, { locale: "ar" });
  const arClient = new HttpClient(env.server.url);
  const arForm = await openActivation(arClient, ar.link);
  expect((await refused(arClient, arForm.csrf!, "123456789012")).message).toBe(
    "كلمة المرور هذه شائعة جدًا ويسهل تخمينها. اختر كلمة مرور أخرى.",
  );
  expect((await refused(arClient, arForm.csrf!, ar.email)).message).toBe(
    "اختر كلمة مرور لا تعتمد على بريدك الإلكتروني أو رقم هاتفك أو الاسم Acme.",
  );
  expect((await refused(arClient, arForm.csrf!, " ".repeat(12))).message).toBe("استخدم حروفًا أو أرقامًا أو رموزًا، لا مسافات فقط.");
});
