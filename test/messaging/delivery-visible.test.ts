// Deliveries an administrator can see (docs/admin-api.md, "Deliveries"; docs/operations.md,
// "Messages given up on"), with a real SMTP listener: a refused message retries, is given up on
// ("abandoned", invitation.delivery_failed, findable by delivery=abandoned), and a resend after
// the mail server recovers is sent. What the API says of a failure is a short class, never the
// address nor the server's words.
import { tenantWith } from "../support/config.js";
import { startSmtp, type SmtpListener } from "../support/smtp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { WebhookReceiver } from "../support/webhooks.js";
import { api, createInvitation, mailsTo, shopInvite, STORE_PATH, uniqueEmail } from "../admin/helpers.js";
import { classifyDeliveryError } from "../../server/messaging/delivery-errors.js";

const INVITE = `${STORE_PATH}/invite`;
const SECRET = "delivery-webhook-secret-0123456789abcdef";
let smtp: SmtpListener;
let receiver: WebhookReceiver;
let server: TestServer;

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await new WebhookReceiver().start();
  server = await startTestServer({
    smtpUrl: smtp.url,
    tenant: tenantWith((c) => {
      c.webhooks = [{ id: "ops", url: receiver.url, secretEnv: "OPS_SECRET", events: ["invitation.delivery_failed"] }];
    }),
    env: { OPS_SECRET: SECRET },
    workerOptions: { baseBackoffMs: 20, maxBackoffMs: 40, idleMs: 20, giveUpAfterAttempts: 3 },
  });
});
afterAll(async () => {
  await server?.close();
  await receiver?.stop();
  await smtp?.stop();
});

async function deliveriesOf(id: string, until: (d: any[]) => boolean, on: TestServer = server) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await api(on.url, `${INVITE}/${id}`);
    if (until(res.body.deliveries)) return res.body.deliveries as any[];
    if (Date.now() > deadline) throw new Error(`deliveries: ${JSON.stringify(res.body.deliveries)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test("refused, retried, abandoned with a short error and an event; found by delivery=abandoned; sent again once the server recovers", async () => {
  const email = uniqueEmail("refused");
  smtp.refuseRecipients = true;
  const inv = await createInvitation(server, shopInvite({ email }));
  const [abandoned] = await deliveriesOf(inv.id, (d) => d[0]?.status === "abandoned");
  expect(abandoned).toMatchObject({ channel: "email", status: "abandoned", attempts: 3, sentAt: null, error: "rejected" });
  expect(Date.parse(abandoned.lastAttemptAt)).not.toBeNaN();
  // The server's answer quoted the address: none of it reaches the API.
  expect(JSON.stringify(abandoned)).not.toContain(email);
  expect(JSON.stringify(abandoned)).not.toContain("5.1.1");

  const [event] = await receiver.waitFor((r) => r.some((w) => w.event.data.invitationId === inv.id));
  expect(event!.event).toMatchObject({
    type: "invitation.delivery_failed",
    data: {
      invitationId: inv.id,
      status: "pending",
      invitedBy: { type: "token", name: "demo-admin" },
      delivery: { id: abandoned.id, channel: "email", error: "rejected" },
    },
  });
  expect(event!.raw).not.toContain(email);

  const found = await api(server.url, `${INVITE}?delivery=abandoned&size=100`);
  expect(found.body.items.map((i: { id: string }) => i.id)).toContain(inv.id);

  smtp.refuseRecipients = false;
  await api(server.url, `${INVITE}/${inv.id}/resend`, { body: {} });
  await mailsTo(smtp, email, 1);
  const after = await deliveriesOf(inv.id, (d) => d[1]?.status === "sent");
  expect(after[1]).toMatchObject({ status: "sent", attempts: 0, error: null });
  expect(after[0].status).toBe("abandoned");
  // The latest delivery decides the filter.
  expect((await api(server.url, `${INVITE}?delivery=abandoned&size=100`)).body.items.map((i: { id: string }) => i.id)).not.toContain(
    inv.id,
  );
  expect((await api(server.url, `${INVITE}?delivery=sent&size=100`)).body.items.map((i: { id: string }) => i.id)).toContain(inv.id);
});

test("a mail server that is down: retrying with 'connection refused', then sent when it is back", async () => {
  const down = await startSmtp();
  const port = down.port;
  await down.stop();
  const other = await startTestServer({ smtpUrl: down.url, workerOptions: { baseBackoffMs: 20, maxBackoffMs: 40, idleMs: 20 } });
  try {
    const email = uniqueEmail("down");
    const inv = await createInvitation(other, shopInvite({ email }));
    const get = (until: (d: any[]) => boolean) => deliveriesOf(inv.id, until, other);
    const [retrying] = await get((d) => d[0]?.status === "retrying");
    expect(retrying).toMatchObject({ status: "retrying", error: "connection refused", sentAt: null });
    await down.start(port);
    await mailsTo(down, email, 1);
    const [sent] = await get((d) => d[0]?.status === "sent");
    expect(sent.attempts).toBeGreaterThan(0);
    expect(sent.error).toBeNull();
  } finally {
    await other.close();
    await down.stop();
  }
});

test("error classes never carry the raw message", () => {
  expect(classifyDeliveryError(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:25"), { code: "ESOCKET" }))).toBe(
    "connection refused",
  );
  expect(classifyDeliveryError(Object.assign(new Error("Greeting never received"), { code: "ETIMEDOUT" }))).toBe("timeout");
  expect(classifyDeliveryError(Object.assign(new Error("550 <a@b.example> unknown"), { responseCode: 550 }))).toBe("rejected");
  expect(classifyDeliveryError(new Error("SMS webhook answered 503"))).toBe("rejected");
  expect(classifyDeliveryError(new Error("getaddrinfo ENOTFOUND smtp.example"))).toBe("host not found");
  expect(classifyDeliveryError(new Error("SMTP_URL is not set: the message waits in the outbox"))).toBe("not configured");
  expect(classifyDeliveryError(new Error("something odd"))).toBe("failed");
});
