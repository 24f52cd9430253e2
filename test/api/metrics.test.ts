// GET /metrics: only for the holder of METRICS_TOKEN, in the Prometheus text format, with counts
// that add up to the requests made.
import { EnvError, parseEnv } from "../../server/env.js";
import { tenantWith } from "../support/config.js";
import { preRegister, preRegisterBody } from "../support/http.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";

const TOKEN = "metrics-token-0123456789abcdefghijklmnop";

/** The sum of the samples of `name` whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

async function scrape(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

test("without METRICS_TOKEN there is no /metrics: 404 like any unknown path, token or not", async () => {
  const server = await startTestServer();
  try {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  } finally {
    await server.close();
  }
});

test("METRICS_TOKEN shorter than 32 characters stops the start, naming the variable", () => {
  expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(EnvError);
  expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 32 characters/);
  expect(parseEnv({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
});

describe("with METRICS_TOKEN", () => {
  const PER_MINUTE = 3;
  let server: TestServer;
  let clock: TestClock;
  beforeAll(async () => {
    clock = new TestClock();
    server = await startTestServer({
      env: { METRICS_TOKEN: TOKEN },
      clock,
      tenant: tenantWith((c) => (c.applications[0].clients[0].rateLimitPerMinute = PER_MINUTE)),
    });
  });
  afterAll(() => server.close());

  test("no token or a wrong one: 401 problem+json with a Bearer challenge, and no figures", async () => {
    for (const [authorization, challenge] of [
      [undefined, /^Bearer realm="metrics"$/],
      [`Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`, /^Bearer realm="metrics"$/],
      [`Bearer ${TOKEN}x`, /error="invalid_token"/],
      [`Bearer ${TOKEN.slice(0, -1)}`, /error="invalid_token"/],
    ] as const) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.headers.get("www-authenticate")).toMatch(challenge);
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({ status: 401, title: "Unauthorized" });
      expect(body).not.toContain("invite_http_requests_total");
    }
  });

  test("the right token: the text format, not cached, with every metric named", async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    for (const [name, type] of [
      ["invite_http_requests_total", "counter"],
      ["invite_http_request_duration_seconds", "histogram"],
      ["invite_outbox_pending_messages", "gauge"],
      ["invite_outbox_oldest_due_age_seconds", "gauge"],
      ["invite_outbox_deliveries_total", "counter"],
      ["invite_rate_limit_rejections_total", "counter"],
      ["nodejs_eventloop_lag_seconds", "gauge"],
    ])
      expect(text).toContain(`# TYPE ${name} ${type}`);
  });

  test("counts add up: pre-registers by status, their latencies, the limit's refusals and the outbox they fill", async () => {
    await server.services.worker.stop(); // the messages stay in the outbox
    const route = { method: "POST", route: "/idp/v1/account/pre-register" };
    const before = await scrape(server);
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE + 1; i++)
      statuses.push(
        (await preRegister(server.url, preRegisterBody({}, { emailAddress: `metrics-${i}-${Date.now()}@example.com` }))).status,
      );
    expect(statuses).toEqual([201, 201, 201, 429]);
    clock.advanceMinutes(10);
    const after = await scrape(server);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("invite_http_requests_total", { ...route, status: "201" })).toBe(3);
    expect(delta("invite_http_requests_total", { ...route, status: "429" })).toBe(1);
    expect(delta("invite_http_request_duration_seconds_count", route)).toBe(4);
    expect(delta("invite_http_request_duration_seconds_bucket", { ...route, le: "+Inf" })).toBe(4);
    expect(delta("invite_rate_limit_rejections_total", { limiter: "pre-register" })).toBe(1);
    expect(sample(after, "invite_outbox_pending_messages")).toBe(3);
    // Due since the pre-registers, ten minutes ago on the server's clock.
    const age = sample(after, "invite_outbox_oldest_due_age_seconds");
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(660);
  });

  test("a link's token never reaches the metrics: the request counts under its route pattern", async () => {
    const token = "AbCdEfGhIjKlMnOpQrStUvWxYz0";
    const before = await scrape(server);
    await (await fetch(`${server.url}/invite/${token}`)).arrayBuffer();
    await (await fetch(`${server.url}/i/${token}`, { redirect: "manual" })).arrayBuffer();
    const after = await scrape(server);
    expect(after).not.toContain(token);
    for (const route of ["/invite/:token", "/i/:token"])
      expect(sample(after, "invite_http_requests_total", { route }) - sample(before, "invite_http_requests_total", { route })).toBe(1);
  });
});

test("deliveries are counted by kind and outcome: a refusing mail server's retries, then the sends", async () => {
  const { startSmtp } = await import("../support/smtp.js");
  const smtp = await startSmtp();
  const server = await startTestServer({ env: { METRICS_TOKEN: TOKEN }, smtpUrl: smtp.url });
  try {
    await smtp.stop();
    for (let i = 0; i < 2; i++) {
      const res = await preRegister(server.url, preRegisterBody({}, { emailAddress: `counted-${i}@example.com` }));
      expect(res.status).toBe(201);
    }
    // The mail server is down: each attempt is counted as a retry.
    await expect
      .poll(async () => sample(await scrape(server), "invite_outbox_deliveries_total", { kind: "email", outcome: "retry" }), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(2);
    await smtp.start();
    await smtp.waitFor(2, 15_000);
    await expect
      .poll(async () => sample(await scrape(server), "invite_outbox_deliveries_total", { kind: "email", outcome: "sent" }), {
        timeout: 10_000,
      })
      .toBe(2);
  } finally {
    await server.close();
    await smtp.stop();
  }
});
