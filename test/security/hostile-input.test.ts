// Hostile input, as a class: every API route and every page action, on SQLite and PostgreSQL, is
// sent a table of inputs a client controls (types, sizes, encodings, bad escapes, NUL and control
// characters, prototype keys, bodies that are not what the route reads). Whatever it gets, the
// service answers with a client error (problem+json from the APIs, a page from the pages), never
// a 5xx, and not one row of any table changes.
//
// Inputs that could be legitimate are sent with a second field that is always wrong (a
// "poison"), so a refusal is certain and "nothing changed" is a real assertion.
import { STORE_PATH } from "../admin/helpers.js";
import { HttpClient } from "../support/http.js";
import { basicAuth, DEMO_ADMIN_TOKEN, DEMO_SECRETS } from "../support/config.js";
import { createPgDatabase } from "../support/postgres.js";
import { snapshot } from "../support/snapshot.js";
import { invitedByEmail, openActivation, pathOf } from "../journey/support.js";
import {
  address,
  BROKEN_JSON,
  brokenForms,
  HOSTILE_STRINGS,
  HOSTILE_VALUES,
  leafPaths,
  NO_SUCH_ID,
  send,
  verdict,
  withValue,
  type Sent,
} from "./hostile-inputs.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

// Thousands of requests per database: minutes on a busy machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const databases: [string, boolean][] = [
  ["SQLite", false],
  ["PostgreSQL", true],
];

describe.each(databases)("hostile input on %s", (_name, onPostgres) => {
  let env: TestEnv;
  let dropDb: (() => Promise<void>) | undefined;
  let base: string;
  let invitationId: string;
  let admin: HttpClient;
  const bearer = { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` };
  const shopAuth = { authorization: basicAuth("shop-web", DEMO_SECRETS["shop-web"]) };

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (onPostgres) {
      const db = await createPgDatabase();
      databaseUrl = db.url;
      dropDb = db.drop;
    }
    env = await startTestEnv({ databaseUrl });
    base = env.server.url;
    await invitedByEmail(env);
    const created = await fetch(`${base}${STORE_PATH}/invite`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ clientId: "shop-web", email: "hostile-target@example.com" }),
    });
    invitationId = ((await created.json()) as { id: string }).id;
    admin = new HttpClient(base);
    await admin.signIn();
    await env.smtp.waitFor(2, 15_000);
  });
  afterAll(async () => {
    await env?.close();
    await dropDb?.();
  });

  /** Runs the requests, then asserts: no 5xx, the right kind of answer, every table as it was. */
  async function sweep(requests: (() => Promise<Sent>)[]) {
    const before = await snapshot(env.server.services);
    const sent: Sent[] = [];
    for (const request of requests) sent.push(await request());
    expect(verdict(sent)).toEqual([]);
    expect(await snapshot(env.server.services)).toEqual(before);
    return sent;
  }

  it("API addresses: bad escapes, NUL, traversal, prototype keys, huge segments", async () => {
    const requests: (() => Promise<Sent>)[] = [];
    for (const h of HOSTILE_STRINGS) {
      const get = (path: string) => () => send(base, `GET ${path}`, path, { headers: bearer });
      requests.push(
        get(`${STORE_PATH}/invite/${h}`),
        get(`${STORE_PATH}/accounts/${h}`),
        get(`/admin/api/v1/identityStores/${h}/invite`),
        get(`${STORE_PATH}/invite?q=${h}`),
        get(`${STORE_PATH}/invite?status=${h}&sort=${h}&page=${h}&pageSize=${h}`),
        get(`${STORE_PATH}/invite?email=${h}&organization=${h}`),
        get(`${STORE_PATH}/accounts?email=${h}&q=${h}&page=${h}`),
        () => send(base, `DELETE invite/${h}`, `${STORE_PATH}/invite/${h}`, { method: "DELETE", headers: bearer }),
        () =>
          send(base, `resend ${h}`, `${STORE_PATH}/invite/${h}/resend`, {
            method: "POST",
            headers: { ...bearer, "content-type": "application/json" },
            body: "{}",
          }),
        get(`/idp/v1/account/${h}`),
        get(`/api/${h}`),
      );
    }
    requests.push(() => send(base, "GET pre-register", "/idp/v1/account/pre-register", { headers: shopAuth }));
    requests.push(() => send(base, "repeated query", `${STORE_PATH}/invite?q=a&q=b&page=1&page=2&sort[]=x`, { headers: bearer }));
    await sweep(requests);
  });

  it("API bodies that are not what the route reads", async () => {
    const targets = [
      { label: "pre-register", path: "/idp/v1/account/pre-register", headers: shopAuth },
      { label: "invite", path: `${STORE_PATH}/invite`, headers: bearer },
      { label: "batch", path: `${STORE_PATH}/invite/batch`, headers: bearer },
      { label: "resend", path: `${STORE_PATH}/invite/${NO_SUCH_ID}/resend`, headers: bearer },
    ];
    const requests = targets.flatMap((t) =>
      BROKEN_JSON.map(
        (b) => () =>
          send(base, `${t.label}: ${b.label}`, t.path, { method: "POST", headers: { ...t.headers, ...b.headers }, body: b.body }),
      ),
    );
    const sent = await sweep(requests);
    for (const r of sent.filter((x) => x.label.includes("not compressed") || x.label.includes("gzip bomb")))
      expect(r.status, r.label).toBeLessThan(500);
  });

  it("API fields: every field of every body, every hostile value", async () => {
    // Poisons: pre-register's grant_type and scope; the admin body's clientId and email.
    const preRegister = {
      client_id: "shop-web",
      scope: "email",
      redirect_uri: "https://shop.acme.example/callback",
      auth_type: "email",
      grant_type: "implicit",
      locale: "en-US",
      resend: false,
      profile_fields: {
        emailAddress: "ada@example.com",
        firstName: "Ada",
        lastName: "Lovelace",
        companyName: "Acme",
        mobileNumber: "+14155550000",
      },
    };
    const invite = {
      clientId: "no such client",
      email: "not an email",
      language: "en-US",
      organization: "northwind",
      roles: [{ id: "buyer", organization: "northwind" }],
      groups: [{ id: "newsletter" }],
      metadata: { givenName: "Pat", familyName: "Partner", companyName: "Northwind" },
      sendEmail: false,
    };
    const requests: (() => Promise<Sent>)[] = [];
    const post = (label: string, path: string, headers: Record<string, string>, body: unknown) => () =>
      send(base, label, path, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
    for (const path of leafPaths(preRegister))
      for (const v of HOSTILE_VALUES)
        requests.push(
          post(
            `pre-register ${path}=${JSON.stringify(v)?.slice(0, 20)}`,
            "/idp/v1/account/pre-register",
            shopAuth,
            withValue(preRegister, path, v),
          ),
        );
    for (const path of leafPaths(invite))
      for (const v of HOSTILE_VALUES) {
        const body = withValue(invite, path, v);
        requests.push(post(`invite ${path}`, `${STORE_PATH}/invite`, bearer, body));
        requests.push(post(`batch ${path}`, `${STORE_PATH}/invite/batch`, bearer, { invitations: [body] }));
        requests.push(post(`batch wrapper`, `${STORE_PATH}/invite/batch`, bearer, { invitations: v }));
        requests.push(post(`resend ${path}`, `${STORE_PATH}/invite/${NO_SUCH_ID}/resend`, bearer, { sendEmail: v, [path]: v }));
      }
    // Schema-valid bodies whose references are prototype keys: the rules must not find them.
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      const rules = {
        clientId: "partner-portal",
        email: "proto@example.com",
        organization: key,
        roles: [{ id: key }],
        groups: [{ id: key }],
        sendEmail: false,
      };
      requests.push(post(`invite refs ${key}`, `${STORE_PATH}/invite`, bearer, rules));
      requests.push(
        post(`invite client ${key}`, `${STORE_PATH}/invite`, bearer, { clientId: key, email: "proto@example.com", sendEmail: false }),
      );
      requests.push(post(`batch refs ${key}`, `${STORE_PATH}/invite/batch`, bearer, { invitations: [rules] }));
      requests.push(post(`pre-register client ${key}`, "/idp/v1/account/pre-register", shopAuth, { ...preRegister, client_id: key }));
      requests.push(() => send(base, `GET store ${key}`, `/admin/api/v1/identityStores/${key}/accounts`, { headers: bearer }));
    }
    await sweep(requests);
  });

  it("page addresses: bad escapes, NUL and prototype keys in paths and queries, signed in or not", async () => {
    const requests: (() => Promise<Sent>)[] = [];
    for (const h of HOSTILE_STRINGS) {
      for (const path of [
        `/invite/${h}`,
        `/i/${h}`,
        `/invite?login_hint=${h}`,
        `/activate?lng=${h}&state=${h}`,
        `/invite/${h}.data`,
        `/admin/stores/${h}/invitations`,
        `/admin/stores/customers/invitations/${h}`,
        `/admin/stores/customers/accounts/${h}`,
        `/admin/stores/customers/invitations?q=${h}&status=${h}&page=${h}&sort=${h}`,
        `/admin/stores/customers/accounts?q=${h}&page=${h}`,
        `/admin/sign-in?next=${h}`,
        `/${h}`,
      ]) {
        requests.push(() => send(base, `GET ${path.slice(0, 80)}`, path, {}));
        requests.push(() => send(base, `GET (signed in) ${path.slice(0, 80)}`, path, { headers: { cookie: admin.cookieHeader } }));
      }
    }
    for (const data of ["routes%2Fadmin.stores.%24store.invitations._index", "routes%2Fadmin", "root", "%zz", "__proto__"])
      requests.push(() =>
        send(base, `_data=${data}`, `/admin/stores/customers/invitations?_data=${data}`, { headers: { cookie: admin.cookieHeader } }),
      );
    await sweep(requests);
  });

  it("page actions: bodies that are not forms, oversized forms, cross-origin posts, signed in or not", async () => {
    const client = new HttpClient(base);
    const { link } = await invitedByEmail(env);
    const form = await openActivation(client, link);
    await admin.get(`/admin/stores/customers/invitations/${invitationId}`);
    const token = pathOf(link);
    const actions = [
      "/activate",
      token,
      token.replace("/invite/", "/i/"),
      "/invite/not-a-token",
      "/i/not-a-token",
      "/invite?login_hint=x",
      "/admin/sign-in",
      "/admin/sign-out",
      "/admin/stores/customers/invitations/new",
      // A valid form there resends or revokes, as it should: the sweep aims at one that is gone.
      `/admin/stores/customers/invitations/${NO_SUCH_ID}`,
      `/admin/stores/customers/invitations/${NO_SUCH_ID}/revoke`,
      "/admin/stores/customers/invitations/bulk",
      "/admin/stores/nope/invitations/new",
    ];
    const cookies = [
      ["anonymous", ""],
      [
        "journey",
        Object.entries(Object.fromEntries(client.cookies))
          .map(([k, v]) => `${k}=${v}`)
          .join("; "),
      ],
      ["console", admin.cookieHeader],
    ] as const;
    const requests: (() => Promise<Sent>)[] = [];
    for (const path of actions)
      for (const [who, cookie] of cookies) {
        // A right token on sign-out signs out, as it should: that one is swept with a stale token.
        const csrf = path === "/admin/sign-out" ? "stale" : who === "journey" ? form.csrf! : admin.csrf;
        for (const b of brokenForms(csrf))
          requests.push(() =>
            send(base, `${who} POST ${path}: ${b.label}`, path, {
              method: "POST",
              headers: { cookie, "sec-fetch-site": "same-origin", ...b.headers },
              body: b.body,
            }),
          );
        for (const [label, headers] of [
          ["evil origin", { origin: "https://evil.example" }],
          ["cross-site", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
          ["same-site", { "sec-fetch-site": "same-site" }],
        ] as const)
          requests.push(async () => {
            const sent = await send(base, `${who} POST ${path}: ${label}`, path, {
              method: "POST",
              headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
              body: new URLSearchParams({ csrf, token: DEMO_ADMIN_TOKEN, email: "x@example.com", clientId: "shop-web" }).toString(),
            });
            return { ...sent, status: sent.status === 403 ? sent.status : 500 + sent.status / 1000 };
          });
        for (const method of ["PUT", "DELETE", "PATCH"])
          requests.push(() =>
            send(base, `${who} ${method} ${path}`, path, { method, headers: { cookie, "sec-fetch-site": "same-origin" } }),
          );
      }
    await sweep(requests);
  });

  it("page forms: every field of the activation and invite forms, every hostile value", async () => {
    const client = new HttpClient(base);
    const { link } = await invitedByEmail(env);
    const form = await openActivation(client, link);
    const invitePage = await admin.get("/admin/stores/customers/invitations/new");
    expect(invitePage.status).toBe(200);
    // Poisons: a password too short to be accepted (and, when it is the field at stake, no terms).
    const activation = {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      password: "short",
      acceptTerms: "on",
      acceptPrivacy: "on",
      intent: "activate",
    };
    const invite = {
      clientId: "no such client",
      email: "not an email",
      language: "en-US",
      organization: "northwind",
      roles: "buyer",
      groups: "newsletter",
      givenName: "Pat",
      familyName: "P",
      companyName: "N",
    };
    const strings = HOSTILE_VALUES.filter((v): v is string => typeof v === "string").map((v) => v.slice(0, 10_000));
    const requests: (() => Promise<Sent>)[] = [];
    for (const [field] of Object.entries(activation))
      for (const v of strings) {
        const fields = { ...activation, csrf: form.csrf!, [field]: v, ...(field === "password" ? { acceptTerms: "" } : {}) };
        requests.push(async () => {
          const res = await client.post("/activate", fields, address());
          return {
            label: `activate ${field}=${JSON.stringify(v).slice(0, 20)}`,
            status: res.status,
            type: res.headers.get("content-type") ?? "",
          };
        });
      }
    for (const [field] of Object.entries(invite))
      for (const v of strings)
        requests.push(async () => {
          const page = await admin.post("/admin/stores/customers/invitations/new", { ...invite, [field]: v }, address());
          return { label: `console invite ${field}`, status: page.status, type: page.headers.get("content-type") ?? "" };
        });
    const stranger = new HttpClient(base);
    await stranger.get("/admin/sign-in");
    for (const v of strings)
      requests.push(async () => {
        const page = await stranger.post("/admin/sign-in", { token: v }, address());
        return {
          label: `sign-in token=${JSON.stringify(v).slice(0, 20)}`,
          status: page.status,
          type: page.headers.get("content-type") ?? "",
        };
      });
    await sweep(requests);
  });
});
