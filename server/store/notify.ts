// A dedicated PostgreSQL connection that LISTENs on one channel and reconnects when it drops, so
// a worker hears about rows other instances committed. While it is down the caller polls instead.
import pg from "pg";

export interface ListenHandlers {
  /** A notification arrived on the channel. */
  notify(): void;
  /** Listening (again): anything committed while it was down has to be looked for. */
  connected(): void;
  /** The connection dropped or could not be made; another attempt follows, after 0.5 s, 1 s… up to 15 s. */
  lost(error: Error): void;
}

export interface Listening {
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;

export function listen(url: string, channel: string, h: ListenHandlers): Listening {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let retryMs = FIRST_RETRY_MS;

  const retry = () => {
    if (closed) return;
    timer = setTimeout(connect, retryMs);
    timer.unref();
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
  };

  function connect(): void {
    if (closed) return;
    // TCP keepalive notices a peer that vanished without closing (a failover, a cut network).
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    let gone = false;
    const fail = (error: Error) => {
      if (gone) return;
      gone = true;
      if (client === c) client = undefined;
      c.end().catch(() => {});
      if (closed) return;
      h.lost(error);
      retry();
    };
    c.on("error", fail);
    c.on("end", () => fail(new Error("the listening connection ended")));
    c.on("notification", (n) => {
      if (n.channel === channel) h.notify();
    });
    c.connect()
      .then(() => c.query(`LISTEN ${c.escapeIdentifier(channel)}`))
      .then(() => {
        if (gone) return;
        if (closed) return void c.end().catch(() => {});
        client = c;
        retryMs = FIRST_RETRY_MS;
        h.connected();
      })
      .catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  }

  connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
