// An SMS provider stand-in: an HTTP server that records each POSTed {to, body, locale}.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSms {
  to: string;
  body: string;
  locale: string;
  link?: string;
}

export class SmsReceiver {
  readonly messages: ReceivedSms[] = [];
  private server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let data = "";
      req.on("data", (c: Buffer) => (data += c.toString()));
      req.on("end", () => {
        const m = JSON.parse(data) as ReceivedSms;
        this.messages.push({ ...m, link: /https?:\/\/\S+\/i\/[A-Za-z0-9_-]+/.exec(m.body)?.[0] });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
    return this;
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedSms[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} SMS, got ${this.messages.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.messages;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
