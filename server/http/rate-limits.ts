// Every rate limit of the service is built here, and only here: fixed windows per key with
// rate-limiter-flexible, answering with the seconds to wait (Retry-After).
//
// Where the counts live follows the database. On PostgreSQL, where several instances may share
// the load, they live in the table `rate_limits` of the same database (through the app's own
// connection pool), so a limit of N a minute is N a minute for the whole deployment, not N per
// instance. On SQLite (one instance by design) they live in this process's memory.
//
// A shared count costs a round trip to the database per go. For large limits (a brand's backend
// pre-registering at hundreds a minute) an instance reserves its goes from the shared count a few at
// a time — a hundredth of the limit at most — and spends them locally until they run out or the
// window ends (reservationSize). The deployment still never lets more than N through in a window;
// the price is the other way round: goes an instance reserved and did not spend before its window
// ended are lost, so near the limit the deployment may refuse up to (reservation − 1) goes per
// instance early. Limits under 200 a window (token look-ups, new links, sign-in failures) reserve
// one go at a time: every go asks the database, exactly as before.
import { CompiledQuery, type Kysely } from "kysely";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Db } from "../store/database.js";

/** One limit: at most `points` goes per key in each window of `seconds`. `name` is also the metrics label. */
export interface Limit {
  name: LimitName;
  points: number;
  seconds: number;
}

export type LimitName = "pre-register" | "token-lookups" | "new-links" | "sign-in-failures";

/** Token look-ups (links opened, Activate pressed, new links asked for) per client address. */
export const TOKEN_LOOKUPS: Limit = { name: "token-lookups", points: 60, seconds: 60 };
/** New links one invitation may ask for from its expired page. */
export const NEW_LINKS: Limit = { name: "new-links", points: 3, seconds: 3600 };
/** Wrong tokens at the console's sign-in per client address; right ones are given back. */
export const SIGN_IN_FAILURES: Limit = { name: "sign-in-failures", points: 10, seconds: 60 };
/** Pre-register calls per client, at the client's configured rate. */
export const preRegisterLimit = (perMinute: number): Limit => ({ name: "pre-register", points: perMinute, seconds: 60 });

/** The table the PostgreSQL store keeps its counts in (created by the limiter itself, if missing). */
export const RATE_LIMIT_TABLE = "rate_limits";

export interface RateLimitHooks {
  /** A go was refused (for the metrics). */
  onRejected?(limit: LimitName): void;
}

type Build = (limit: Limit, ready?: (error?: Error) => void) => RateLimiterAbstract;

/** How many goes of `limit` an instance takes from the shared count at once: 1 below 200 a window, else a hundredth. */
export function reservationSize(limit: Pick<Limit, "points">): number {
  return Math.max(1, Math.floor(limit.points / 100));
}

/** Goes reserved from the shared count and not spent yet, until the shared window ends. */
interface Reservation {
  left: number;
  until: number;
  /** The shared count had fewer goes left than a reservation: one at a time until the window ends. */
  single?: boolean;
  /** A reservation being asked for: the other requests of this instance wait for it instead of asking too. */
  pending?: Promise<void>;
}

const MAX_RESERVATIONS = 10_000;

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  private readonly reservations = new Map<string, Reservation>();

  private constructor(
    private readonly build: Build,
    private readonly hooks: RateLimitHooks,
    /** Counts shared with other instances (PostgreSQL): large limits are reserved in parts. */
    private readonly shared = false,
  ) {}

  /**
   * The limits for this database. On PostgreSQL the store's table is created (if missing) before
   * this resolves, so no request ever meets a limiter that is not ready.
   */
  static async open(db: Pick<Db, "dialect" | "kysely">, hooks: RateLimitHooks = {}): Promise<RateLimits> {
    if (db.dialect !== "postgres") return new RateLimits((l) => new RateLimiterMemory({ points: l.points, duration: l.seconds }), hooks);
    const storeClient = kyselyClient(db.kysely);
    let tableReady = false;
    const build: Build = (l, ready) =>
      new RateLimiterPostgres(
        {
          storeClient,
          storeType: "pool",
          tableName: RATE_LIMIT_TABLE,
          // Rows are keyed "<limit name>:<key>", so every limit shares the one table.
          keyPrefix: l.name,
          points: l.points,
          duration: l.seconds,
          tableCreated: tableReady,
          // The first limiter (below) sweeps rows that lapsed over an hour ago, every five minutes.
          clearExpiredByTimeout: !tableReady,
        },
        ready,
      );
    await new Promise<void>((resolve, reject) => build(TOKEN_LOOKUPS, (error) => (error ? reject(error) : resolve())));
    tableReady = true;
    return new RateLimits(build, hooks, true);
  }

  private limiter(limit: Limit): RateLimiterAbstract {
    const id = `${limit.name}/${limit.points}/${limit.seconds}`;
    let l = this.limiters.get(id);
    if (!l) this.limiters.set(id, (l = this.build(limit)));
    return l;
  }

  /** Counts one go of `limit` for `key`: undefined when allowed, else the seconds to wait (at least 1). */
  async consume(limit: Limit, key: string): Promise<number | undefined> {
    const size = this.shared ? reservationSize(limit) : 1;
    if (size === 1) return this.take(limit, key, 1);
    const id = `${limit.name}/${limit.points}/${limit.seconds}/${key}`;
    for (;;) {
      const r = this.reservations.get(id);
      if (r?.pending) {
        await r.pending;
        continue;
      }
      if (r && r.until > Date.now()) {
        if (r.left > 0) {
          r.left--;
          return undefined;
        }
        if (r.single) return this.take(limit, key, 1);
      }
      return this.reserve(limit, key, id, size);
    }
  }

  /** Takes `size` goes from the shared count at once, spends one, keeps the rest for this instance. */
  private async reserve(limit: Limit, key: string, id: string, size: number): Promise<number | undefined> {
    const entry: Reservation = { left: 0, until: 0 };
    let done!: () => void;
    entry.pending = new Promise<void>((resolve) => (done = resolve));
    if (this.reservations.size >= MAX_RESERVATIONS) this.sweep();
    this.reservations.set(id, entry);
    try {
      const started = Date.now();
      try {
        const res = await this.limiter(limit).consume(key, size);
        entry.left = size - 1;
        entry.until = started + res.msBeforeNext;
        return undefined;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // Fewer than `size` goes were left: the store counted them all the same; give them back
        // and take the last goes of this window one at a time.
        entry.single = true;
        entry.until = started + rejection.msBeforeNext;
        await this.limiter(limit).reward(key, size);
        return await this.take(limit, key, 1);
      }
    } finally {
      delete entry.pending;
      done();
    }
  }

  private async take(limit: Limit, key: string, points: number): Promise<number | undefined> {
    try {
      await this.limiter(limit).consume(key, points);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.hooks.onRejected?.(limit.name);
      return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, r] of this.reservations) if (!r.pending && r.until <= now) this.reservations.delete(id);
  }

  /** Gives back a go `consume` counted (the attempt turned out not to be one the limit is about). */
  async refund(limit: Limit, key: string): Promise<void> {
    await this.limiter(limit).reward(key, 1);
  }
}

/**
 * The PostgreSQL store speaks to a `pg` pool (`query({ text, values })` → `{ rows, rowCount }`);
 * this hands it the app's Kysely instead, so the limits use the same pool as everything else.
 */
function kyselyClient(kysely: Kysely<any>) {
  return {
    async query(q: { text: string; values?: readonly unknown[] }) {
      const result = await kysely.executeQuery(CompiledQuery.raw(q.text, q.values ? [...q.values] : []));
      return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? result.rows.length) };
    },
  };
}
