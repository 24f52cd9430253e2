// The pre-register guarantees that depend on the database, against a real PostgreSQL server
// (several instances share one database in production).
import { preRegister, preRegisterBody } from "../support/http.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

let pg: Awaited<ReturnType<typeof createPgDatabase>>;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  pg = await createPgDatabase();
  // Two instances over one database, as in a multi-instance deployment.
  a = await startTestServer({ databaseUrl: pg.url });
  b = await startTestServer({ databaseUrl: pg.url });
});
afterAll(async () => {
  await a.close();
  await b.close();
  await pg.drop();
});

test("concurrent pre-registers of one email on two instances: one account, every caller gets its UUID", async () => {
  const email = "pg-race@example.com";
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) => preRegister((i % 2 ? a : b).url, preRegisterBody({}, { emailAddress: email }))),
  );
  expect(new Set(results.map((r) => r.body.uuid)).size).toBe(1);
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  expect(results.filter((r) => r.status === 200)).toHaveLength(15);
  const rows = await a.services.db.kysely.selectFrom("accounts").select("id").where("email", "=", email).execute();
  expect(rows).toHaveLength(1);
  const invitations = await a.services.db.kysely.selectFrom("invitations").select("id").where("email", "=", email).execute();
  expect(invitations).toHaveLength(1);
});

test("resend and the already-verified rule work the same on PostgreSQL", async () => {
  const email = "pg-resend@example.com";
  const created = await preRegister(a.url, preRegisterBody({}, { emailAddress: email }));
  expect(created.status).toBe(201);
  expect((await preRegister(b.url, preRegisterBody({ resend: true }, { emailAddress: email }))).status).toBe(200);
  await a.services.db.kysely.updateTable("accounts").set({ status: "active" }).where("id", "=", created.body.uuid).execute();
  const verified = await preRegister(b.url, preRegisterBody({ resend: true }, { emailAddress: email }));
  expect(verified).toMatchObject({ status: 422, body: { title: "Invalid User - Account is already verified" } });
});
