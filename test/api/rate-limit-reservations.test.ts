// Large limits on PostgreSQL are reserved from the shared count in parts (server/http/rate-limits.ts):
// fewer round trips, and still never more than the limit across instances.
import { sql } from "kysely";
import { RateLimits, RATE_LIMIT_TABLE, reservationSize, type Limit } from "../../server/http/rate-limits.js";
import { openDatabase, type Db } from "../../server/store/database.js";
import { createPgDatabase } from "../support/postgres.js";

const LIMIT: Limit = { name: "pre-register", points: 1000, seconds: 60 };

let pg: Awaited<ReturnType<typeof createPgDatabase>>;
let dbs: Db[];
beforeAll(async () => {
  pg = await createPgDatabase();
  dbs = [await openDatabase(pg.url), await openDatabase(pg.url)];
});
afterAll(async () => {
  for (const db of dbs ?? []) await db.close();
  await pg?.drop();
});

async function storedPoints(key: string): Promise<number> {
  const { rows } = await sql<{
    points: number;
  }>`select points from ${sql.table(RATE_LIMIT_TABLE)} where key = ${`${LIMIT.name}:${key}`}`.execute(dbs[0]!.kysely);
  return Number(rows[0]?.points ?? 0);
}

test("a limit under 200 a window asks the database for every go; larger ones a hundredth of the limit at a time", () => {
  expect(reservationSize({ points: 4 })).toBe(1);
  expect(reservationSize({ points: 199 })).toBe(1);
  expect(reservationSize({ points: 600 })).toBe(6);
  expect(reservationSize({ points: 1_000_000 })).toBe(10_000);
});

test("500 goes at once on one instance take 50 reservations of 10 from the shared count, not 500 round trips", async () => {
  const limits = await RateLimits.open(dbs[0]!);
  const queries = vi.spyOn(dbs[0]!.kysely, "executeQuery");
  const waits = await Promise.all(Array.from({ length: 500 }, () => limits.consume(LIMIT, "one-instance")));
  const roundTrips = queries.mock.calls.length;
  queries.mockRestore();
  expect(waits.every((w) => w === undefined)).toBe(true);
  expect(roundTrips).toBe(50);
  expect(await storedPoints("one-instance")).toBe(500);
});

test("two instances together never let more than the limit through; at most one reservation each is lost", async () => {
  const [a, b] = [await RateLimits.open(dbs[0]!), await RateLimits.open(dbs[1]!)];
  const waits: (number | undefined)[] = [];
  for (let round = 0; round < 12; round++)
    waits.push(...(await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? b : a).consume(LIMIT, "two-instances")))));
  const allowed = waits.filter((w) => w === undefined).length;
  expect(allowed).toBeLessThanOrEqual(LIMIT.points);
  expect(allowed).toBeGreaterThanOrEqual(LIMIT.points - 2 * (reservationSize(LIMIT) - 1));
  const refused = waits.filter((w): w is number => w !== undefined);
  expect(refused.length).toBe(waits.length - allowed);
  for (const w of refused) expect(w).toBeGreaterThanOrEqual(1);
});
