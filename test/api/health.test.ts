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
