// Invitations from the admin API and from the pre-register API for the same person: one waiting
// invitation at a time, and an admin invitation stays acceptable after the brand's backend
// pre-registered the same email (the pending account is the one activated).
import { preRegister, preRegisterBody } from "../support/http.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { filledForm, openActivation, WebClient } from "../journey/support.js";
import { api, createInvitation, partnerInvite, shopInvite, STORE_PATH, uniqueEmail } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test("an admin invitation for an email with a pending pre-registered invitation is a 409 naming it", async () => {
  const email = uniqueEmail("prereg");
  const pre = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
  expect(pre.status).toBe(201);
  const waiting = await server.services.db.kysely.selectFrom("invitations").select("id").where("account_id", "=", pre.body.uuid).executeTakeFirstOrThrow();

  const res = await api(server.url, `${STORE_PATH}/invite`, { body: partnerInvite({ email }) });
  expect(res.status).toBe(409);
  expect(res.body.conflictingId).toBe(waiting.id);
  const list = await api(server.url, `${STORE_PATH}/invite?status=pending&email=${encodeURIComponent(email)}`);
  expect(list.body.total).toBe(1);
});

test("an admin invitation accepted after a pre-register of the same email activates that account with everything it grants", async () => {
  const email = uniqueEmail("both");
  const invitation = await createInvitation(server, shopInvite({ email, sendEmail: false, groups: [{ id: "beta" }], metadata: { givenName: "Ada", familyName: "Lovelace" } }));
  const pre = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
  expect(pre.status).toBe(201);

  const client = new WebClient(server.url);
  const form = await openActivation(client, invitation.invitationUrl);
  const done = await client.post("/activate", filledForm(form.csrf!));
  expect(done.status).toBe(303);

  const account = await api(server.url, `${STORE_PATH}/accounts/${pre.body.uuid}`);
  expect(account.body).toMatchObject({ id: pre.body.uuid, email, status: "active" });
  expect(account.body.groups.map((g: { id: string }) => g.id).sort()).toEqual(["beta", "newsletter"]);
  const after = await api(server.url, `${STORE_PATH}/invite/${invitation.id}`);
  expect(after.body).toMatchObject({ status: "done", accountId: pre.body.uuid });
  // The pre-registered invitation is closed too: nothing is left waiting for this email.
  const waiting = await api(server.url, `${STORE_PATH}/invite?status=pending&email=${encodeURIComponent(email)}`);
  expect(waiting.body.total).toBe(0);
});
