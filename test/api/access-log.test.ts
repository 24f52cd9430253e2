// The access log (server/http/access-log.ts), on its own: the line pino-http used to write, once
// per request, at error level for a 5xx, none for static bundles, and the path as it came in
// even when a router below rewrote req.url.
import type { AddressInfo } from "node:net";
import express from "express";
import { accessLog } from "../../server/http/access-log.js";
import { createLogger } from "../../server/lib/logger.js";

async function withApp(run: (url: string, lines: Record<string, any>[]) => Promise<void>): Promise<void> {
  const lines: Record<string, any>[] = [];
  const app = express();
  app.use(accessLog(createLogger((line) => lines.push(JSON.parse(line) as Record<string, any>))));
  const mounted = express.Router();
  mounted.get("/thing", (_req, res) => void res.status(201).json({ ok: true }));
  app.use("/api/v9", mounted);
  app.get("/broken", (_req, res) => void res.status(503).send("down"));
  app.get("/build/app.js", (_req, res) => void res.send("js"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The log line of a request is written when its response finishes, just after the client has it. */
async function lineFor(lines: Record<string, any>[], id: string): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const line = lines.find((l) => l.req?.id === id);
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no access log line for request ${id}`);
}

test("one info line per request with id, method, the full path without its query, status and time", async () => {
  await withApp(async (url, lines) => {
    const response = await fetch(`${url}/api/v9/thing?email=jane%40example.com`, { headers: { "x-request-id": "abc-1" } });
    expect(response.headers.get("x-request-id")).toBe("abc-1");
    const line = await lineFor(lines, "abc-1");
    expect(line).toMatchObject({
      level: "info",
      event: "http.request",
      req: { id: "abc-1", method: "GET", path: "/api/v9/thing" },
      res: { status: 201 },
    });
    expect(typeof line.responseTime).toBe("number");
    expect(lines.filter((l) => l.req?.id === "abc-1")).toHaveLength(1);
  });
});

test("a 5xx is logged at error level; static bundles are not logged but still get a request id", async () => {
  await withApp(async (url, lines) => {
    await fetch(`${url}/broken`, { headers: { "x-request-id": "abc-2" } });
    expect(await lineFor(lines, "abc-2")).toMatchObject({
      level: "error",
      res: { status: 503 },
      err: { message: "failed with status code 503" },
    });
    const bundle = await fetch(`${url}/build/app.js`, { headers: { "x-request-id": "abc-3" } });
    expect(bundle.headers.get("x-request-id")).toBe("abc-3");
    await fetch(`${url}/api/v9/thing`, { headers: { "x-request-id": "abc-4" } });
    await lineFor(lines, "abc-4");
    expect(lines.some((l) => l.req?.id === "abc-3")).toBe(false);
  });
});
