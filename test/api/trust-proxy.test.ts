// Which peers may name the client's address (TRUST_PROXY): per-address limits key on the address
// the trusted chain ends at, so a caller that is not a trusted proxy cannot escape them by sending
// a new X-Forwarded-For each time, and a trusted proxy's forwarded addresses are honoured.
import { TOKEN_LOOKUPS_PER_MINUTE } from "../../app/journey/limits.server.js";
import { EnvError, parseEnv, parseTrustProxy } from "../../server/env.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("TRUST_PROXY parsing", () => {
  test("defaults to loopback only", () => {
    expect(parseEnv({ DATA_DIR: "/tmp/unused", SESSION_SECRET: "s".repeat(32) }).trustProxy).toBe("loopback");
  });
  test.each([
    ["1", 1],
    ["0", 0],
    ["10.0.0.0/8", "10.0.0.0/8"],
    [" 10.0.0.0/8 , loopback ", "10.0.0.0/8, loopback"],
    ["192.168.1.10, fd00::/8", "192.168.1.10, fd00::/8"],
    ["172.16.0.0/255.240.0.0", "172.16.0.0/255.240.0.0"],
  ])("takes %j", (text, expected) => {
    expect(parseTrustProxy(text)).toEqual(expected);
  });
  test.each([["nope"], ["10.0.0.0/33"], ["-1"], ["true"], ["10.0.0.0/8,,loopback"], [""]])(
    "refuses %j at start-up, naming the variable",
    (text) => {
      const start = () => parseEnv({ TRUST_PROXY: text, DATA_DIR: "/tmp/unused", SESSION_SECRET: "s".repeat(32) });
      expect(start).toThrow(EnvError);
      expect(start).toThrow(/TRUST_PROXY: .*expected a hop count/);
    },
  );
});

describe("per-address limits behind TRUST_PROXY", () => {
  /** Looks up one more unknown token than allowed per minute, each with a new forwarded address. */
  async function lookUpsWithRotatingForwardedFor(server: TestServer): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i <= TOKEN_LOOKUPS_PER_MINUTE; i++) {
      const res = await fetch(`${server.url}/invite/guess${i}`, { headers: { "X-Forwarded-For": `203.0.113.${i}` } });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    return statuses;
  }

  test.each([["10.0.0.0/8"], ["0"]])(
    "with TRUST_PROXY=%s a caller on loopback cannot rotate X-Forwarded-For past the limit",
    async (value) => {
      const server = await startTestServer({ env: { TRUST_PROXY: value } });
      try {
        const statuses = await lookUpsWithRotatingForwardedFor(server);
        expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
        expect(statuses.at(-1)).toBe(429);
      } finally {
        await server.close();
      }
    },
  );

  test("with loopback trusted (the default) the forwarded address is the one limited", async () => {
    const server = await startTestServer();
    try {
      // Each forwarded address is a different invitee behind the proxy: none is limited...
      expect(new Set(await lookUpsWithRotatingForwardedFor(server))).toEqual(new Set([404]));
      // ...while one forwarded address is limited on its own.
      const same = async () => {
        const res = await fetch(`${server.url}/invite/again`, { headers: { "X-Forwarded-For": "198.51.100.7" } });
        await res.arrayBuffer();
        return res.status;
      };
      for (let i = 0; i < TOKEN_LOOKUPS_PER_MINUTE; i++) expect(await same()).toBe(404);
      expect(await same()).toBe(429);
    } finally {
      await server.close();
    }
  });
});
