// The admin API's guarantees that depend on the database, on PostgreSQL with two instances over
// one database (a multi-instance deployment): concurrent invitations, revoke against acceptance,
// and the console's email search.
import { acceptInvitation, tokenHashOf } from "../../server/invitations/activate.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { api, createInvitation, partnerInvite, shopInvite, STORE_PATH, tokenOf } from "./helpers.js";

let pg: Awaited<ReturnType<typeof createPgDatabase>>;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  pg = await createPgDatabase();
  a = await startTestServer({ databaseUrl: pg.url });
  b = await startTestServer({ databaseUrl: pg.url });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await pg?.drop();
});

test("concurrent creations for one email on two instances: one invitation, every other caller a 409 naming it", async () => {
  const email = "pg-admin-race@example.com";
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      api((i % 2 ? a : b).url, `${STORE_PATH}/invite`, { body: shopInvite({ email, sendEmail: false }) }),
    ),
  );
  const created = results.filter((r) => r.status === 201);
  expect(created).toHaveLength(1);
  const conflicts = results.filter((r) => r.status === 409);
  expect(conflicts).toHaveLength(11);
  for (const c of conflicts) expect(c.body.conflictingId).toBe(created[0]!.body.id);
  const rows = await a.services.db.kysely.selectFrom("invitations").select("id").where("email", "=", email).execute();
  expect(rows).toHaveLength(1);
});

test("revoke and acceptance at the same moment: either the invitation is gone and no account exists, or it is Done and kept", async () => {
  for (let i = 0; i < 4; i++) {
    const inv = await createInvitation(a, partnerInvite({ email: `pg-revoke-${i}@example.com`, sendEmail: false }));
    const [revoked, accepted] = await Promise.all([
      api(b.url, `${STORE_PATH}/invite/${inv.id}`, { method: "DELETE" }),
      acceptInvitation(a.services, {
        tokenHash: tokenHashOf(tokenOf(inv.invitationUrl))!,
        password: "correct horse battery staple",
        profile: {},
        locale: "en-US",
      }),
    ]);
    const after = await api(a.url, `${STORE_PATH}/invite/${inv.id}`);
    if (revoked.status === 204) {
      expect(accepted.kind).not.toBe("activated");
      expect(after.status).toBe(404);
    } else {
      expect(revoked.status).toBe(409);
      expect(accepted.kind).toBe("activated");
      expect(after.body.status).toBe("done");
    }
  }
});

test("search by part of an email escapes LIKE wildcards", async () => {
  await createInvitation(a, shopInvite({ email: "under_score@pg.example", sendEmail: false }));
  await createInvitation(a, shopInvite({ email: "underXscore@pg.example", sendEmail: false }));
  const { listInvitations } = await import("../../server/store/invitation-list.js");
  const page = await listInvitations(
    a.services.db.kysely,
    "customers",
    { emailContains: "R_S", page: 0, size: 10, sort: { field: "email", direction: "asc" } },
    new Date(),
  );
  expect(page.items.map((i) => i.email)).toEqual(["under_score@pg.example"]);
});

test("a batch on PostgreSQL (rows in flight together): duplicates keep input order, the first wins; two instances at once stay exact", async () => {
  const run = Date.now().toString(36);
  const email = (i: number) => `pg-bulk-${run}-${i}@pg.example`;
  // Rows 0/2 and 1/3 share an email; the rest are distinct.
  const rows = [0, 1, 0, 1, 4, 5, 6, 7].map((n) => shopInvite({ email: email(n), sendEmail: false }));
  const res = await api(a.url, `${STORE_PATH}/invite/batch`, { body: { invitations: rows } });
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: any) => r.status)).toEqual([201, 201, 409, 409, 201, 201, 201, 201]);
  expect(res.body.results[2].problem.conflictingId).toBe(res.body.results[0].invitation.id);

  // The same 40 new emails sent to both instances at the same moment: each created exactly once.
  const shared = Array.from({ length: 40 }, (_, i) => shopInvite({ email: `pg-bulk-${run}-both-${i}@pg.example`, sendEmail: false }));
  const [x, y] = await Promise.all([a, b].map((s) => api(s.url, `${STORE_PATH}/invite/batch`, { body: { invitations: shared } })));
  expect(x!.body.created + y!.body.created).toBe(40);
  for (let i = 0; i < 40; i++) expect([x!.body.results[i].status, y!.body.results[i].status].sort()).toEqual([201, 409]);
});
