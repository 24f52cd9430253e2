import { sql } from "kysely";
import { startTestServer } from "../support/server.js";

test("GET /healthz answers 200 ok while the database answers, 503 when it does not", async () => {
  const server = await startTestServer();
  try {
    const ok = await fetch(`${server.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    await server.services.db.close();
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "unavailable" });
  } finally {
    await server.close().catch(() => {});
  }
});

test("unknown API paths answer problem+json 404", async () => {
  const server = await startTestServer();
  try {
    const res = await fetch(`${server.url}/idp/v1/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  } finally {
    await server.close();
  }
});

describe("GET /readyz", () => {
  test("200 ready, not cached, while the database answers and holds this version's migrations", async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ status: "ready" });
    } finally {
      await server.close();
    }
  });

  test("503 problem+json when the database lacks a migration this version needs (alive all the same), and when the database is gone", async () => {
    const server = await startTestServer();
    try {
      const db = server.services.db.kysely;
      // A database restored from before the last migration, say.
      await sql`delete from kysely_migration where name = ${server.services.schemaVersion}`.execute(db);
      const behind = await fetch(`${server.url}/readyz`);
      expect(behind.status).toBe(503);
      expect(behind.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(behind.headers.get("cache-control")).toBe("no-store");
      expect(await behind.json()).toMatchObject({ status: 503, title: "Not Ready", detail: expect.stringMatching(/migrations/) });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      await server.services.db.close();
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await down.json()).toMatchObject({ status: 503, title: "Not Ready", detail: expect.stringMatching(/database/) });
    } finally {
      await server.close().catch(() => {});
    }
  });

  test("in production behind TLS, the probes and the metrics answer on the instance's plain-HTTP address while pages are sent to https", async () => {
    const token = "metrics-token-0123456789abcdefghijklmnop";
    const server = await startTestServer({ env: { NODE_ENV: "production", PUBLIC_URL: "https://invite.example", METRICS_TOKEN: token } });
    try {
      for (const probe of ["/healthz", "/readyz", "/metrics"]) {
        const res = await fetch(`${server.url}${probe}`, { redirect: "manual", headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
      }
      const page = await fetch(`${server.url}/admin/sign-in`, { redirect: "manual" });
      expect(page.status).toBe(308);
      expect(page.headers.get("location")).toBe("https://invite.example/admin/sign-in");
    } finally {
      await server.close();
    }
  });
});
