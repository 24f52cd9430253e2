// What an operator watches, in the Prometheus text format (GET /metrics, server/api/metrics.ts):
// HTTP requests by route and status with their latency, the outbox's backlog, deliveries by
// outcome, rate-limit refusals by limit, and the process's own figures (event-loop lag, memory,
// CPU). Each instance counts for itself; Prometheus adds the instances up.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "./lib/logger.js";

/**
 * What became of one delivery attempt of an outbox message: `sent` (the transport took it),
 * `retry` (it failed and will be tried again), `failed` (it failed and will not be tried again).
 */
export type DeliveryOutcome = "sent" | "retry" | "failed";

export interface Metrics {
  /** invite_http_requests_total{method, route, status}: `route` is a pattern, never the raw path. */
  requests: Counter<"method" | "route" | "status">;
  /** invite_http_request_duration_seconds{method, route}. */
  latency: Histogram<"method" | "route">;
  /**
   * invite_outbox_deliveries_total{kind, outcome}: the outbox worker counts each attempt,
   * e.g. `metrics.deliveries.inc({ kind: m.kind, outcome: "sent" })`.
   */
  deliveries: Counter<"kind" | "outcome">;
  /** invite_rate_limit_rejections_total{limiter}: counted by the rate limits themselves. */
  rateLimitRejections: Counter<"limiter">;
  /** invite_invitation_reminders_total: reminders before expiry queued by this instance's worker. */
  reminders: Counter;
  /** Every metric of this instance, in the text format, with its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** The outbox's backlog, read when scraped. */
export interface OutboxProbe {
  /** Messages waiting to be delivered. */
  pending(): Promise<number>;
  /** Seconds the longest-due message has been waiting past its due time (0 when none is due). */
  oldestDueAgeSeconds(): Promise<number>;
}

let processRegistry: Registry | undefined;
/** The process's own figures, collected once per process however many services it builds (tests build several). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetrics(outbox: OutboxProbe, log: Logger): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: "invite_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "invite_http_request_duration_seconds",
    help: "Time to answer HTTP requests, by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const deliveries = new Counter({
    name: "invite_outbox_deliveries_total",
    help: "Outbox delivery attempts, by message kind (email, sms, webhook) and outcome (sent, retry, failed).",
    labelNames: ["kind", "outcome"] as const,
    registers,
  });
  const rateLimitRejections = new Counter({
    name: "invite_rate_limit_rejections_total",
    help: "Requests refused by a rate limit, by limit.",
    labelNames: ["limiter"] as const,
    registers,
  });
  const reminders = new Counter({
    name: "invite_invitation_reminders_total",
    help: "Reminders before expiry queued (one per invitation at most), each with a new link.",
    registers,
  });
  // A scrape while the database does not answer still answers, with NaN for what it could not read.
  const read = async (gauge: Gauge, query: () => Promise<number>) => {
    try {
      gauge.set(await query());
    } catch (error) {
      log.warn("metrics.outbox_unreadable", { error: String(error) });
      gauge.set(Number.NaN);
    }
  };
  new Gauge({
    name: "invite_outbox_pending_messages",
    help: "Outbox messages waiting to be delivered (due now or later).",
    registers,
    collect() {
      return read(this, () => outbox.pending());
    },
  });
  new Gauge({
    name: "invite_outbox_oldest_due_age_seconds",
    help: "How long the longest-due outbox message has been waiting past its due time (0 when none is due).",
    registers,
    collect() {
      return read(this, () => outbox.oldestDueAgeSeconds());
    },
  });
  return {
    requests,
    latency,
    deliveries,
    rateLimitRejections,
    reminders,
    async scrape() {
      const all = Registry.merge([processMetrics(), registry]);
      return { contentType: all.contentType, body: await all.metrics() };
    },
  };
}
