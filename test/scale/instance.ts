// One app instance in a process of its own, so a test can kill it with SIGKILL as a crash would.
// Run with `node --import tsx test/scale/instance.ts` and an IPC channel; it answers
// {type: "ready", url, workerId} once it serves and its outbox worker runs.
//
//   INSTANCE_DATABASE_URL  the shared database (required)
//   INSTANCE_SMTP_URL      where mail goes (required)
//   INSTANCE_LEASE_MS      the outbox lease (short in tests, so a dead instance's leases lapse soon)
import { startTestServer } from "../support/server.js";

const databaseUrl = process.env.INSTANCE_DATABASE_URL;
const smtpUrl = process.env.INSTANCE_SMTP_URL;
if (!databaseUrl || !smtpUrl) throw new Error("INSTANCE_DATABASE_URL and INSTANCE_SMTP_URL are required");

const server = await startTestServer({
  databaseUrl,
  smtpUrl,
  workerOptions: { leaseMs: Number(process.env.INSTANCE_LEASE_MS ?? 60_000) },
});
process.send?.({ type: "ready", url: server.url, workerId: server.services.worker.id });
// The test went away: leave as an orderly instance would.
process.on("disconnect", () => void server.close().finally(() => process.exit(0)));
