// "Send me a new link" (docs/journey.md) when the address was invited again meanwhile.
import { DEMO_ADMIN_TOKEN } from "../support/config.js";
import { TestClock } from "../support/server.js";
import { dom, pathOf, textOf, uniqueEmail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { outboxRows } from "../support/outbox.js";
import { useTestEnv } from "../support/env.js";

const clock = new TestClock();
const env = useTestEnv({ clock });

it("an expired link whose address was invited again meanwhile renews nothing, and says the same", async () => {
  const email = uniqueEmail("reinvited");
  const admin = (body: unknown) =>
    fetch(`${env.server.url}/admin/api/v1/identityStores/customers/invite`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { invitationUrl: string; id: string } }));
  const first = await admin({ clientId: "shop-web", email, sendEmail: false });
  expect(first.status).toBe(201);
  clock.advanceHours(24 * 7 + 1);
  const second = await admin({ clientId: "shop-web", email, sendEmail: false });
  expect(second.status).toBe(201);

  const client = new HttpClient(env.server.url);
  const expired = await client.get(pathOf(first.body.invitationUrl));
  expect(expired.status).toBe(410);
  const before = env.smtp.mails.length;
  const sent = await client.post(pathOf(first.body.invitationUrl), { intent: "new-link", csrf: expired.csrf! });
  expect(sent.status).toBe(303);
  // The same answer as when a link goes out (nothing tells a visitor which case it was).
  const answer = await client.get(pathOf(first.body.invitationUrl));
  expect(answer.status).toBe(200);
  expect(textOf(dom(answer.html), "main [role=status]")).toMatch(/new link is on its way/);
  // Nothing was sent, nor queued to be: neither invitation has any message in the outbox.
  expect(await outboxRows(env.server, { recipient: email })).toEqual([]);
  expect(env.smtp.mails.length).toBe(before);
  // The newer invitation is untouched and still works.
  expect((await new HttpClient(env.server.url).get(pathOf(second.body.invitationUrl))).status).toBe(200);
});
