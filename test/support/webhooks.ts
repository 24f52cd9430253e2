// A webhook receiver stand-in: an HTTP server on loopback that records each POSTed event with its
// headers, verifies nothing itself (tests do, with the documented algorithm), and can be told to
// fail for a while.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: Record<string, string>;
  raw: string;
  event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

export class WebhookReceiver {
  /** Requests answered 2xx, in arrival order. */
  readonly received: ReceivedWebhook[] = [];
  /** Every request, failed ones included. */
  attempts = 0;
  /** While set, requests are answered with this status instead of 204. */
  failWith: number | undefined;
  private server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let data = "";
      req.on("data", (c: Buffer) => (data += c.toString()));
      req.on("end", () => {
        this.attempts++;
        if (this.failWith) return void res.writeHead(this.failWith).end("not now");
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        this.received.push({ headers, raw: data, event: JSON.parse(data) as ReceivedWebhook["event"] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  types(): string[] {
    return this.received.map((r) => r.event.type);
  }

  async waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`webhooks not received in time; got ${JSON.stringify(this.types())}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
