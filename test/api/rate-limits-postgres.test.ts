// The rate limits of a deployment of two instances over one PostgreSQL database: each limit holds
// for the deployment as a whole, however the load balancer spreads the requests.
import { TOKEN_LOOKUPS_PER_MINUTE } from "../../app/journey/limits.server.js";
import { SIGN_IN_FAILURES_PER_MINUTE } from "../../app/console/admin.server.js";
import { tenantWith } from "../support/config.js";
import { HttpClient, preRegister, preRegisterBody } from "../support/http.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

const PER_MINUTE = 4;

let pg: Awaited<ReturnType<typeof createPgDatabase>>;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  pg = await createPgDatabase();
  const tenant = tenantWith((c) => (c.applications[0].clients[0].rateLimitPerMinute = PER_MINUTE));
  a = await startTestServer({ databaseUrl: pg.url, tenant });
  b = await startTestServer({ databaseUrl: pg.url, tenant });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await pg?.drop();
});

/** Requests i = 0, 1, 2… alternate between the two instances, all at once. */
const spread = <T>(count: number, send: (server: TestServer, i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, i) => send(i % 2 ? b : a, i)));

function expectRetryAfter(headers: Headers) {
  const seconds = Number(headers.get("retry-after"));
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
}

test("a client's pre-register limit holds across both instances: N a minute in all, the rest 429 with Retry-After", async () => {
  const run = Date.now().toString(36);
  const results = await spread(PER_MINUTE * 3, (server, i) =>
    preRegister(server.url, preRegisterBody({}, { emailAddress: `limit-${run}-${i}@pg.example` })),
  );
  const passed = results.filter((r) => r.status !== 429);
  const refused = results.filter((r) => r.status === 429);
  expect(passed).toHaveLength(PER_MINUTE);
  expect(passed.every((r) => r.status === 201)).toBe(true);
  expect(refused).toHaveLength(PER_MINUTE * 2);
  for (const r of refused) {
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(r.body.title).toBe("Too Many Requests");
    expectRetryAfter(r.headers);
  }
  // Nothing was written for the refused calls.
  const accounts = await a.services.db.kysely.selectFrom("accounts").select("id").where("email", "like", `limit-${run}-%`).execute();
  expect(accounts).toHaveLength(PER_MINUTE);
});

test("token look-ups from one address are limited across both instances", async () => {
  const extra = 6;
  const results = await spread(TOKEN_LOOKUPS_PER_MINUTE + extra, async (server, i) => {
    const res = await fetch(`${server.url}/invite/guess-${i}`, { redirect: "manual" });
    await res.arrayBuffer();
    return res;
  });
  expect(results.filter((r) => r.status === 404)).toHaveLength(TOKEN_LOOKUPS_PER_MINUTE);
  const refused = results.filter((r) => r.status === 429);
  expect(refused).toHaveLength(extra);
  for (const r of refused) expectRetryAfter(r.headers);
  // Both instances refuse from now on.
  for (const server of [a, b]) expect((await fetch(`${server.url}/i/one-more`, { redirect: "manual" })).status).toBe(429);
});

test("console sign-in failures from one address are limited across both instances; then even the right token waits", async () => {
  const clients = { [a.url]: new HttpClient(a.url), [b.url]: new HttpClient(b.url) };
  for (const client of Object.values(clients)) await client.get("/admin/sign-in");
  // A right token on either instance is not counted.
  for (const server of [a, b]) expect((await new HttpClient(server.url).signIn()).status).toBe(302);
  const extra = 4;
  const results = await spread(SIGN_IN_FAILURES_PER_MINUTE + extra, (server, i) =>
    clients[server.url]!.post("/admin/sign-in", { token: `wrong-${i}` }),
  );
  expect(results.filter((r) => r.status === 401)).toHaveLength(SIGN_IN_FAILURES_PER_MINUTE);
  const refused = results.filter((r) => r.status === 429);
  expect(refused).toHaveLength(extra);
  for (const r of refused) expectRetryAfter(r.headers);
  for (const server of [a, b]) {
    const right = await new HttpClient(server.url).signIn();
    expect(right.status).toBe(429);
    expect(right.text).toMatch(/Too many attempts\. Wait \d+ seconds/);
  }
});
