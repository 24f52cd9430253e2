// The steps of a start that are worth testing on their own, shared by the web process
// (server/index.ts) and `npm run worker` (server/worker-process.ts): listening (with a plain word
// when the port cannot be had), where the outbox may be delivered, the one log line that says how
// this process is set up, and how a process ends on a bad setting.
import { stat } from "node:fs/promises";
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Express } from "express";
import { ConfigError } from "./config/load.js";
import type { Env } from "./env.js";
import { EnvError } from "./env.js";
import type { Services } from "./services.js";

/** Listens on HOST:PORT; a port in use or out of reach becomes an EnvError of one line. */
export function listen(app: Express, env: Pick<Env, "port" | "host">): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(env.port, env.host);
    server.once("listening", () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, env)));
  });
}

function listenError(error: NodeJS.ErrnoException, { port, host }: Pick<Env, "port" | "host">): Error {
  switch (error.code) {
    case "EADDRINUSE":
      return new EnvError(`Port ${port} on ${host} is already in use; set PORT to another port.`);
    case "EACCES":
      return new EnvError(`Port ${port} on ${host} needs privileges this process lacks; set PORT to a port above 1023.`);
    case "EADDRNOTAVAIL":
      return new EnvError(`HOST ${host} is not an address of this machine; set HOST to one of its addresses or 0.0.0.0.`);
    default:
      return error;
  }
}

/** How long a stop may wait for requests in flight and the outbox's batch before it gives up. */
export const SHUTDOWN_GRACE_MS = 10_000;

export function databaseKind(env: Pick<Env, "databaseUrl">): "sqlite" | "postgres" {
  return env.databaseUrl.startsWith("file:") ? "sqlite" : "postgres";
}

/**
 * The dev mailbox is in the memory of the process that delivers, and only the web process shows
 * it: where messages go there, the web process must run the worker itself. A process set up
 * otherwise closes what it opened and stops with the reason.
 */
export async function checkWorkerPlacement(s: Pick<Services, "mailbox" | "env" | "close">, role: "web" | "worker"): Promise<void> {
  if (!s.mailbox || (role === "web" && s.env.outboxWorker)) return;
  await s.close();
  throw new EnvError(
    role === "worker"
      ? "npm run worker delivers through SMTP_URL and SMS_WEBHOOK_URL; without them messages go to the dev mailbox of the web process, which must then run the worker itself (OUTBOX_WORKER=on)"
      : "OUTBOX_WORKER=off needs SMTP_URL and SMS_WEBHOOK_URL: without them messages go to this process's dev mailbox, which no separate worker can fill",
  );
}

/** Runs a process's main; a bad setting ends it with its message alone and exit code 2. */
export function runProcess(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof EnvError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
}

/** The start-up summary: where it listens and where messages really go (Services.delivery). */
export function logStartup(s: Services): void {
  const { env } = s;
  s.log.info("server.listening", {
    url: env.publicUrl,
    host: env.host,
    port: env.port,
    mode: env.mode,
    demo: env.demo,
    database: databaseKind(env),
    mail: s.delivery.mail,
    sms: s.delivery.sms,
    // "npm run worker": this process queues messages and another sends them (OUTBOX_WORKER=off).
    outboxWorker: env.outboxWorker ? "in this process" : "npm run worker",
    trustProxy: env.trustProxy,
  });
  if (s.mailbox) s.log.info("dev_mailbox.enabled", { url: `${env.publicUrl}/dev/mailbox` });
}

/**
 * The page build for development, where `remix dev` rebuilds it: imported again only when its file
 * changed (one module graph per rebuild, not one per request, which grew the heap without end).
 */
export function latestBuild(buildPath: string): () => Promise<ServerBuild> {
  let loaded: { mtimeMs: number; build: Promise<ServerBuild> } | undefined;
  return async () => {
    const { mtimeMs } = await stat(buildPath);
    if (loaded?.mtimeMs !== mtimeMs)
      loaded = { mtimeMs, build: import(`${pathToFileURL(buildPath).href}?v=${mtimeMs}`) as Promise<ServerBuild> };
    return loaded.build;
  };
}
