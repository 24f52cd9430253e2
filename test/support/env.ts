// A test file's set-up in one call. startTestEnv() starts the application (test/support/server.ts)
// with a real SMTP listener and SMS receiver behind it; useTestEnv() does so before the file's
// tests and stops everything after them:
//
//   const { server, smtp, sms } = useTestEnv({ tenant });
//
// What it hands back stands for what beforeAll will start: it may be destructured at the top of a
// file and read inside the tests. Options may be a function, evaluated in beforeAll (a webhook
// receiver's URL, say, known only once it listens).
import { SmsReceiver } from "./sms.js";
import { startSmtp, type SmtpListener } from "./smtp.js";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.js";

export interface TestEnv {
  server: TestServer;
  smtp: SmtpListener;
  sms: SmsReceiver;
  close(): Promise<void>;
}

export async function startTestEnv(o: TestServerOptions = {}): Promise<TestEnv> {
  const smtp = await startSmtp();
  const sms = await new SmsReceiver().start();
  const server = await startTestServer({ smtpUrl: smtp.url, smsWebhookUrl: sms.url, ...o });
  return {
    server,
    smtp,
    sms,
    async close() {
      await server.close();
      await smtp.stop();
      await sms.stop();
    },
  };
}

type Options = TestServerOptions | (() => TestServerOptions | Promise<TestServerOptions>);

/** Stands for the object `get()` returns once it exists; reading it before then is a mistake in the test. */
export function late<T extends object>(get: () => T | undefined, name: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = get();
      if (!target) throw new Error(`${name} is used before beforeAll started it`);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(_, key, value) {
      const target = get();
      if (!target) throw new Error(`${name} is used before beforeAll started it`);
      return Reflect.set(target, key, value, target);
    },
  });
}

/** The application, an SMTP listener and an SMS receiver for the tests of the calling file (or describe block). */
export function useTestEnv(options: Options = {}): TestEnv {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    env = await startTestEnv(typeof options === "function" ? await options() : options);
  });
  afterAll(async () => {
    await env?.close();
    env = undefined;
  });
  return {
    server: late(() => env?.server, "the test server"),
    smtp: late(() => env?.smtp, "the SMTP listener"),
    sms: late(() => env?.sms, "the SMS receiver"),
    close: async () => {},
  };
}

/** The application alone (no SMTP listener or SMS receiver: its messages wait in the outbox), for the calling file's tests. */
export function useTestServer(options: Options = {}): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(typeof options === "function" ? await options() : options);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return late(() => server, "the test server");
}
