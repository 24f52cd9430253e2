// The steps of a start that are worth testing on their own: listening (with a plain word when the
// port cannot be had) and the one log line that says how this process is set up.
import { stat } from "node:fs/promises";
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Express } from "express";
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

/** The start-up summary: where it listens and where messages really go (Services.delivery). */
export function logStartup(s: Services): void {
  const { env } = s;
  s.log.info("server.listening", {
    url: env.publicUrl,
    host: env.host,
    port: env.port,
    mode: env.mode,
    demo: env.demo,
    database: env.databaseUrl.startsWith("file:") ? "sqlite" : "postgres",
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
