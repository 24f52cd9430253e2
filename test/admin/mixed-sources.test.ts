// Invitations from the admin API and from the pre-register API for the same person: one waiting
// invitation at a time, whoever made it; once the brand's pre-registered invitation has lapsed, an
// admin invitation activates that same pending account (no second one).
import { preRegister, preRegisterBody, HttpClient } from "../support/http.js";
import { TestClock } from "../support/server.js";
import { filledForm, openActivation } from "../journey/support.js";
import { api, createInvitation, partnerInvite, shopInvite, STORE_PATH, uniqueEmail } from "./helpers.js";
import { useTestServer } from "../support/env.js";

const clock = new TestClock();
const server = useTestServer({ clock });

test("an admin invitation for an email with a pending pre-registered invitation is a 409 naming it", async () => {
  const email = uniqueEmail("prereg");
  const pre = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
  expect(pre.status).toBe(201);
  const waiting = await server.services.db.kysely
    .selectFrom("invitations")
    .select("id")
    .where("account_id", "=", pre.body.uuid)
    .executeTakeFirstOrThrow();

  const res = await api(server.url, `${STORE_PATH}/invite`, { body: partnerInvite({ email }) });
  expect(res.status).toBe(409);
  expect(res.body.conflictingId).toBe(waiting.id);
  const list = await api(server.url, `${STORE_PATH}/invite?status=pending&email=${encodeURIComponent(email)}`);
  expect(list.body.total).toBe(1);
});

test("a pre-register for an email an administrator's invitation waits for is a 409 naming it, and creates nothing", async () => {
  const email = uniqueEmail("admin-first");
  const invitation = await createInvitation(server, shopInvite({ email, sendEmail: false }));
  const pre = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
  expect(pre.status).toBe(409);
  expect(pre.body.conflictingId).toBe(invitation.id);
  const accounts = await api(server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(email)}`);
  expect(accounts.body.total).toBe(0);
});

test("once the pre-registered invitation has lapsed, an admin invitation activates that account with everything it grants", async () => {
  const email = uniqueEmail("both");
  const pre = await preRegister(server.url, preRegisterBody({}, { emailAddress: email }));
  expect(pre.status).toBe(201);
  clock.advanceHours(24 * 8);
  // Through a client whose application may invite people who have an account.
  const invitation = await createInvitation(server, partnerInvite({ email, sendEmail: false }));

  const client = new HttpClient(server.url);
  const form = await openActivation(client, invitation.invitationUrl);
  const address = {
    email,
    companyName: "Northwind Traders",
    addressLine1: "1 Harbour Road",
    city: "Seattle",
    postalCode: "98101",
    country: "US",
  };
  const done = await client.post("/activate", filledForm(form.csrf!, address));
  expect(done.status).toBe(303);

  const account = await api(server.url, `${STORE_PATH}/accounts/${pre.body.uuid}`);
  expect(account.body).toMatchObject({ id: pre.body.uuid, email, status: "active", organization: "northwind" });
  expect(account.body.groups.map((g: { id: string }) => g.id).sort()).toEqual(["beta", "newsletter"]);
  const all = await api(server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(email)}`);
  expect(all.body.total).toBe(1);
  const after = await api(server.url, `${STORE_PATH}/invite/${invitation.id}`);
  expect(after.body).toMatchObject({ status: "done", accountId: pre.body.uuid });
  // The lapsed pre-registered invitation is closed too: nothing is left waiting for this email.
  const waiting = await api(server.url, `${STORE_PATH}/invite?status=pending&email=${encodeURIComponent(email)}`);
  expect(waiting.body.total).toBe(0);
});
