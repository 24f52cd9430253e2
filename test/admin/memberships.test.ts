// Memberships through the admin API and the console: an account belongs to several organizations
// of its store, each with its roles and the invitation that granted it; `organization` and `roles`
// stay as the first membership. Existing accounts get theirs from migration 0007, on SQLite and
// PostgreSQL. Every way an administrator invites (single, batch, console) makes a join invitation
// for an active account, and only where the policy allows it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { accountSchema, invitationSchema } from "../../server/api/admin/schemas.js";
import { confirmJoin } from "../../server/invitations/join.js";
import { acceptInvitation, tokenHashOf } from "../../server/invitations/activate.js";
import { getAccount } from "../../server/store/accounts.js";
import { openDatabase } from "../../server/store/database.js";
import { migrateTo, migrateToLatest } from "../../server/store/migrations.js";
import { tenantWith } from "../support/config.js";
import { createPgDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ACCOUNT_PASSWORD, activeAccount, joinInvitation } from "../journey/join-support.js";
import { HttpClient } from "../support/http.js";
import { api, createInvitation, partnerInvite, shopInvite, STORE_PATH, tokenOf, uniqueEmail } from "./helpers.js";
import { useTestServer } from "../support/env.js";

/** The demo plus a second organization, and a non-organizational application that lets accounts be invited again. */
const tenant = () =>
  tenantWith((c) => {
    c.identityStores[0].organizations.push({ id: "contoso", name: "Contoso", roles: [{ id: "viewer", name: "Viewer" }] });
    c.applications.push({
      id: "market",
      name: "Marketplace",
      store: "customers",
      groups: ["beta"],
      brand: "acme",
      selfServicePolicy: { inviteMethodReadOnly: false, allowDifferentEmail: true },
      clients: [
        {
          clientId: "market-web",
          secretHash: `sha256:${"0".repeat(64)}`,
          type: "oauth2",
          redirectUris: ["https://market.acme.example/cb"],
        },
      ],
    });
  });

const server = useTestServer({ tenant: tenant() });

/** Accepts a join invitation with the account's password, as /join does. */
async function join(s: TestServer, invitationUrl: string) {
  const result = await confirmJoin(s.services, {
    tokenHash: tokenHashOf(tokenOf(invitationUrl))!,
    password: ACCOUNT_PASSWORD,
    locale: "en-US",
  });
  if (result.kind !== "joined") throw new Error(`not joined: ${result.kind}`);
  return result;
}

const accountOf = async (id: string) => (await api(server.url, `${STORE_PATH}/accounts/${id}`)).body;

describe("the accounts API", () => {
  test("lists every membership with its roles and how it was granted; organization and roles are the first", async () => {
    // Activated into Northwind as a buyer, then joined Contoso as a viewer.
    const email = uniqueEmail("two-orgs");
    const activation = await createInvitation(server, partnerInvite({ email, sendEmail: false }));
    const { accountId } = (await acceptInvitation(server.services, {
      tokenHash: tokenHashOf(tokenOf(activation.invitationUrl))!,
      password: ACCOUNT_PASSWORD,
      profile: {
        firstName: "Pat",
        lastName: "Partner",
        companyName: "N",
        addressLine1: "1 Main St",
        city: "Lyon",
        postalCode: "69001",
        country: "FR",
      },
      locale: "en-US",
    })) as { accountId: string };
    const joinContoso = await joinInvitation(server, email, { organization: "contoso", roles: [{ id: "viewer" }], groups: [] });
    expect(joinContoso).toMatchObject({ kind: "join", accountId });
    expect(invitationSchema.parse(joinContoso)).toBeTruthy();
    await join(server, joinContoso.invitationUrl);

    const account = await accountOf(accountId);
    expect(accountSchema.parse(account)).toBeTruthy();
    expect(account.memberships).toEqual([
      {
        organization: "northwind",
        roles: [{ id: "buyer", organization: "northwind" }],
        grantedBy: { invitationId: activation.id, kind: "activate" },
        grantedAt: expect.any(String),
      },
      {
        organization: "contoso",
        roles: [{ id: "viewer", organization: "contoso" }],
        grantedBy: { invitationId: joinContoso.id, kind: "join" },
        grantedAt: expect.any(String),
      },
    ]);
    // For clients that know one organization per account: the first membership.
    expect(account).toMatchObject({ organization: "northwind", roles: [{ id: "buyer", organization: "northwind" }] });
    const list = await api(server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(email)}`);
    expect(list.body.items[0].memberships).toEqual(account.memberships);

    // Joining an organization it already belongs to adds the roles and keeps how it was first granted.
    const approver = await joinInvitation(server, email, { roles: [{ id: "approver" }] });
    await join(server, approver.invitationUrl);
    const after = await accountOf(accountId);
    expect(after.memberships[0]).toEqual({
      organization: "northwind",
      roles: [
        { id: "buyer", organization: "northwind" },
        { id: "approver", organization: "northwind" },
      ],
      grantedBy: { invitationId: activation.id, kind: "activate" },
      grantedAt: account.memberships[0].grantedAt,
    });
    expect(after.roles).toEqual(after.memberships[0].roles);
  });

  test("a non-organizational join adds the application's groups and client, and no membership", async () => {
    const jane = await activeAccount(server);
    const inv = await createInvitation(server, { clientId: "market-web", email: jane.email, sendEmail: false });
    expect(inv).toMatchObject({ kind: "join", accountId: jane.id, organization: null });
    await join(server, inv.invitationUrl);
    const account = await accountOf(jane.id);
    expect(account).toMatchObject({ organization: null, roles: [], memberships: [] });
    expect(account.groups).toEqual([{ id: "newsletter" }, { id: "beta" }]);
    expect(account.clients.map((c: { clientId: string }) => c.clientId).sort()).toEqual(["market-web", "shop-web"]);
  });

  test("OpenAPI documents memberships and the invitation's kind", async () => {
    const doc = (await api(server.url, "/api/openapi.json", { token: null })).body;
    const account = doc.components.schemas.Account;
    expect(account.properties.memberships.items.properties.grantedBy).toBeDefined();
    expect(account.properties.organization.description).toMatch(/first \(oldest\) membership/);
    expect(doc.components.schemas.Invitation.properties.kind.enum).toEqual(["activate", "join"]);
  });
});

describe("every way an administrator invites makes a join invitation where the policy allows it", () => {
  test("single create, batch and console; the locked policy still answers 409", async () => {
    const jane = await activeAccount(server);
    // shop: inviteMethodReadOnly true, allowDifferentEmail false: no invitation for an existing account.
    const refused = await api(server.url, `${STORE_PATH}/invite`, { body: shopInvite({ email: jane.email }) });
    expect(refused.status).toBe(409);

    const batch = await api(server.url, `${STORE_PATH}/invite/batch`, {
      body: { invitations: [partnerInvite({ email: jane.email }), partnerInvite()], sendEmail: false },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: { status: number; invitation: { kind: string } }) => [r.status, r.invitation.kind])).toEqual([
      [201, "join"],
      [201, "activate"],
    ]);
    expect(batch.body.results[0].invitation.accountId).toBe(jane.id);

    const other = await activeAccount(server);
    const client = new HttpClient(server.url);
    expect((await client.signIn()).status).toBe(302);
    await client.get("/admin/stores/customers/invitations/new");
    const sent = await client.post("/admin/stores/customers/invitations/new", {
      email: other.email,
      language: "en-US",
      organization: "northwind",
      clientId: "partner-portal",
      role: "buyer",
    });
    expect(sent.status).toBe(302);
    const detail = await client.get(sent.location!);
    expect(detail.text).toContain(`Invitation to join sent to ${other.email}, who already has an account.`);
    expect(detail.text).toContain("An existing account joins");
    expect(detail.html).toContain(`href="/admin/stores/customers/accounts/${other.id}"`);
  });
});

describe("the console's account page", () => {
  test("shows every membership with its roles and the invitation that granted it", async () => {
    const jane = await activeAccount(server);
    const inv = await joinInvitation(server, jane.email, { organization: "contoso", roles: [{ id: "viewer" }], groups: [] });
    await join(server, inv.invitationUrl);
    const client = new HttpClient(server.url);
    await client.signIn();
    const page = await client.get(`/admin/stores/customers/accounts/${jane.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Organizations Contoso : Viewer Since .+ UTC, granted when the account joined through an invitation/);
    expect(page.html).toContain(`href="/admin/stores/customers/invitations/${inv.id}"`);
  });
});

describe("migration 0007 gives existing accounts their membership", () => {
  async function migrated(url: string) {
    const db = await openDatabase(url, { migrate: false });
    const raw = db.kysely as unknown as Kysely<any>;
    try {
      await migrateTo(raw, "0005_one_waiting_invitation");
      const now = "2026-01-02T03:04:05.000Z";
      const account = (id: string, email: string, organization: string | null, roles: unknown[]) => ({
        id,
        store: "customers",
        email,
        phone: null,
        status: "active",
        profile: "{}",
        password_hash: "x",
        email_verified: 1,
        phone_verified: 0,
        locale: "en-US",
        organization,
        groups: "[]",
        roles: JSON.stringify(roles),
        created_at: now,
        updated_at: now,
        activated_at: now,
      });
      await raw
        .insertInto("accounts")
        .values([
          account("a-org", "org@example.com", "northwind", [
            { id: "buyer", organization: "northwind" },
            { id: "approver", organization: "northwind" },
          ]),
          account("a-none", "none@example.com", null, []),
        ])
        .execute();
      await raw
        .insertInto("invitations")
        .values({
          id: "inv-org",
          store: "customers",
          email: "org@example.com",
          phone: null,
          channel: "email",
          source: "admin",
          client_id: "partner-portal",
          redirect_uri: null,
          organization: "northwind",
          roles: "[]",
          groups: "[]",
          language: "en-US",
          metadata: "{}",
          status: "done",
          token_hash: "h",
          sent_at: now,
          valid_until: now,
          resend_count: 0,
          account_id: "a-org",
          created_at: now,
          updated_at: now,
        })
        .execute();
      await migrateToLatest(raw);
      const org = await getAccount(db.kysely, "customers", "a-org");
      const none = await getAccount(db.kysely, "customers", "a-none");
      const kinds = await db.kysely.selectFrom("invitations").select("kind").execute();
      return { org, none, kinds };
    } finally {
      await db.close();
    }
  }

  const expected = {
    memberships: [
      {
        organization: "northwind",
        roles: ["buyer", "approver"],
        grantedBy: { invitationId: "inv-org", kind: "activate" },
        grantedAt: "2026-01-02T03:04:05.000Z",
      },
    ],
    organization: "northwind",
    roles: [
      { id: "buyer", organization: "northwind" },
      { id: "approver", organization: "northwind" },
    ],
  };

  test("on SQLite", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "invite-migrate-"));
    try {
      const { org, none, kinds } = await migrated(`file:${path.join(dir, "old.db")}`);
      expect(org).toMatchObject(expected);
      expect(none).toMatchObject({ memberships: [], organization: null, roles: [] });
      expect(kinds).toEqual([{ kind: "activate" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("on PostgreSQL, where a join then works as on SQLite", async () => {
    const pg = await createPgDatabase();
    try {
      const { org, none } = await migrated(pg.url);
      expect(org).toMatchObject(expected);
      expect(none).toMatchObject({ memberships: [] });
      const local = await startTestServer({ databaseUrl: pg.url, tenant: tenant() });
      try {
        const jane = await activeAccount(local);
        const inv = await joinInvitation(local, jane.email);
        await join(local, inv.invitationUrl);
        expect((await getAccount(local.services.db.kysely, "customers", jane.id))?.memberships).toEqual([
          {
            organization: "northwind",
            roles: ["approver"],
            grantedBy: { invitationId: inv.id, kind: "join" },
            grantedAt: expect.any(String),
          },
        ]);
      } finally {
        await local.close();
      }
    } finally {
      await pg.drop();
    }
  });
});
