// Signed webhooks for invitation events (docs/webhooks.md). An event is written
// to the outbox in the transaction of the change it reports, one row per subscribed endpoint, and
// the outbox worker delivers it with the Standard Webhooks headers, retrying until a 2xx.
import { createHmac, randomUUID } from "node:crypto";
import type { WebhookConfig } from "../config/schema.js";
import { EnvError, type Env } from "../env.js";
import type { Executor } from "../store/accounts.js";
import { enqueueMessage, type OutboxMessage } from "../store/outbox.js";
import type { InvitationEvent, InvitationEventData, InvitationEventType } from "./types.js";

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MIN_SECRET_LENGTH = 32;

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: ReadonlySet<InvitationEventType>;
  /** The HMAC key: the bytes after `whsec_` base64-decoded, or the secret's UTF-8 bytes. */
  key: Buffer;
}

/**
 * The configured endpoints with their secrets read from the environment. Start-up fails, naming
 * the configuration path and the variable, when a secret is missing or too short.
 */
export function resolveWebhookEndpoints(configs: WebhookConfig[], env: Pick<Env, "variable">): WebhookEndpoint[] {
  const problems: string[] = [];
  const endpoints = configs.map((c, i) => {
    const where = `webhooks[${i}].secretEnv`;
    const secret = env.variable(c.secretEnv)?.trim() ?? "";
    if (!secret) problems.push(`${where}: the environment variable ${c.secretEnv} is not set (the signing secret of webhook '${c.id}')`);
    else if (secret.length < MIN_SECRET_LENGTH)
      problems.push(
        `${where}: the environment variable ${c.secretEnv} must hold at least ${MIN_SECRET_LENGTH} characters (npm run secret makes one)`,
      );
    return { id: c.id, url: c.url, events: new Set(c.events), key: signingKey(secret) };
  });
  if (problems.length) throw new EnvError(`Invalid webhook configuration:\n  - ${problems.join("\n  - ")}`);
  return endpoints;
}

/** Standard Webhooks secrets look like `whsec_<base64>` and sign with the decoded bytes; any other string signs as it is. */
export function signingKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}

/** `v1,<base64 HMAC-SHA256 of "${id}.${timestamp}.${body}">`, the Standard Webhooks signature. */
export function signWebhook(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest("base64")}`;
}

/** Publishes invitation events into the outbox and delivers the outbox's webhook rows. */
export class Webhooks {
  private readonly byId: Map<string, WebhookEndpoint>;

  constructor(private readonly endpoints: WebhookEndpoint[] = []) {
    this.byId = new Map(endpoints.map((e) => [e.id, e]));
  }

  /** Whether any endpoint listens to this event (callers may skip work when none does). */
  wants(type: InvitationEventType): boolean {
    return this.endpoints.some((e) => e.events.has(type));
  }

  /** Writes the event for every subscribed endpoint, inside the caller's transaction. */
  async publish(trx: Executor, type: InvitationEventType, data: InvitationEventData, now: Date): Promise<void> {
    const targets = this.endpoints.filter((e) => e.events.has(type));
    if (targets.length === 0) return;
    const event: InvitationEvent = { id: randomUUID(), type, occurredAt: now.toISOString(), data };
    const body = JSON.stringify(event);
    for (const target of targets) {
      await enqueueMessage(
        trx,
        { kind: "webhook", recipient: target.id, locale: "", template: type, params: { eventId: event.id, body }, sealed: null },
        now.toISOString(),
      );
    }
  }

  /** One delivery attempt: resolves on a 2xx, throws otherwise (the worker retries with backoff). */
  async deliver(m: OutboxMessage, now: Date): Promise<void> {
    const endpoint = this.byId.get(m.recipient);
    if (!endpoint) throw new Error(`webhook endpoint '${m.recipient}' is not configured: the event waits in the outbox`);
    const { eventId, body } = m.params;
    if (!eventId || body === undefined) throw new Error("webhook message without an event");
    const timestamp = Math.floor(now.getTime() / 1000);
    let response: Response;
    try {
      response = await fetch(endpoint.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "invite-journey-webhooks",
          "webhook-id": eventId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signWebhook(endpoint.key, eventId, timestamp, body),
        },
        body,
        // A redirect is not followed: the signed event goes only where it was configured to go.
        redirect: "manual",
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      const e = error as Error;
      throw new Error(`webhook '${endpoint.id}' unreachable: ${e.name === "TimeoutError" ? "no answer in 10 s" : e.message}`);
    }
    await response.body?.cancel().catch(() => {});
    if (response.status < 200 || response.status > 299) throw new Error(`webhook '${endpoint.id}' answered ${response.status}`);
  }
}
