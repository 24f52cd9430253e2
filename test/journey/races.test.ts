// A link must be dead the moment it is replaced (by a resend or a new link), even when the replacement lands
// while an activation through the old link is already under way (the password hash takes a while).
import { argon2id } from "../../server/lib/passwords.js";
import { filledForm, invitedByEmail, openActivation, preRegister, waitForMail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

/** A password hasher that, once armed, holds the next hash until the test releases it: an activation caught mid-flight. */
let hold: { entered: () => void; released: Promise<void> } | undefined;
const heldHasher = {
  hash: async (password: string) => {
    const held = hold;
    hold = undefined;
    if (held) {
      held.entered();
      await held.released;
    }
    return argon2id.hash(password);
  },
  verify: argon2id.verify,
};
function holdNextHash() {
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  hold = { entered, released: new Promise<void>((r) => (release = r)) };
  return { inside, release };
}

const env = useTestEnv({ passwords: heldHasher });

it("a resend during an activation through the old link wins: the old link activates nothing", async () => {
  const { email, uuid, link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);

  const held = holdNextHash();
  const submission = client.post("/activate", filledForm(form.csrf!));
  await held.inside; // the activation is under way, its password being hashed
  const mailsBefore = env.smtp.mails.length;
  const resend = await preRegister(env, { profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace" }, resend: true });
  expect(resend.status).toBe(200);
  held.release();
  const old = await submission;
  expect(old.status).not.toBe(303);
  expect(old.location).toBeNull();

  const db = env.server.services.db.kysely;
  expect(await db.selectFrom("accounts").select("status").where("id", "=", uuid).executeTakeFirstOrThrow()).toEqual({ status: "pending" });

  // The new link still works.
  const fresh = await waitForMail(env, email, mailsBefore);
  const other = new HttpClient(env.server.url);
  const newForm = await openActivation(other, fresh.link!);
  const done = await other.post("/activate", filledForm(newForm.csrf!));
  expect(done.status).toBe(303);
  expect(await db.selectFrom("accounts").select("status").where("id", "=", uuid).executeTakeFirstOrThrow()).toEqual({ status: "active" });
});
