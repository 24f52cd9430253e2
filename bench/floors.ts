// Floors: what a request costs before the product does any work of its own, measured in the same
// run as the app, so a target can be read against what the stack itself allows.
//
// - Remix's floor for a document (landing section): the product's own page build, every route
//   module replaced by one whose loader returns nothing and whose component writes the landing
//   page's captured HTML, served through the product's page adapter (server/http/page-requests.ts)
//   on a bare Express app: no database, no i18next, no security headers, no log. Once with the
//   routes' handles kept (the journey's pages then go to their own small build, as in the
//   product), once without (one build of every route, as before that split).
// - SQLite's floor for a pre-register (pre-register section): the one-step transaction of
//   server/store/pre-register.ts alone, called in a loop on a fresh file: no HTTP, no validation,
//   no token, no sealing.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import path from "node:path";
import type { AppLoadContext, EntryContext, ServerBuild } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import express from "express";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { pageHandler } from "../server/http/page-requests.js";
import { openDatabase } from "../server/store/database.js";
import { createPreRegistration } from "../server/store/pre-register.js";
import type { BareResponse } from "./shared.js";

const UNSENT_HEADERS = new Set(["content-length", "date", "connection", "keep-alive", "transfer-encoding"]);

/** The floor server: `split` keeps the routes' handles (journey pages in a build of their own). */
export function remixFloorServer(build: ServerBuild, captured: BareResponse, split: boolean): Server {
  const html = Buffer.from(captured.body, "base64").toString("utf8");
  const inner = /<html[^>]*>([\s\S]*)<\/html>/.exec(html)?.[1] ?? html;
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const handle = split ? route.module.handle : undefined;
    const component = id === "root" ? () => createElement("html", { dangerouslySetInnerHTML: { __html: inner } }) : () => null;
    routes[id] = { ...route, module: { default: component, loader: () => null, handle } };
  }
  const entry = {
    default(request: Request, status: number, headers: Headers, context: EntryContext) {
      for (const [name, value] of captured.headers) if (!UNSENT_HEADERS.has(name.toLowerCase())) headers.set(name, value);
      const page = renderToString(createElement(RemixServer, { context, url: request.url }));
      return new Response(`<!DOCTYPE html>${page}`, { status, headers });
    },
  };
  const app = express();
  app.all(
    "*",
    pageHandler({ ...build, routes, entry: { module: entry } }, "production", () => ({}) as AppLoadContext),
  );
  return createServer(app);
}

/** Microseconds per one-step pre-register transaction on SQLite, alone, on a fresh file. */
export async function sqliteTransactionFloor(dir: string, count = 5_000): Promise<number> {
  const db = await openDatabase(`file:${path.join(dir, "floor.db")}`);
  try {
    const now = new Date().toISOString();
    const row = (i: number) => {
      const email = `floor-${i}-${randomUUID()}@bench.example`;
      const invitationId = randomUUID();
      return {
        store: "customers",
        channel: "email" as const,
        identifier: email,
        accountId: randomUUID(),
        invitationId,
        outboxId: randomUUID(),
        clientId: "shop-web",
        redirectUri: "https://shop.acme.example/callback",
        profile: { emailAddress: email, firstName: "Ada", lastName: "Lovelace" },
        locale: "en-US",
        tokenHash: randomBytes(32).toString("hex"),
        validUntil: now,
        now,
        message: {
          kind: "email" as const,
          recipient: email,
          locale: "en-US",
          template: "activation",
          params: { name: "Ada", validUntil: now },
          sealed: randomBytes(240).toString("base64url"),
        },
      };
    };
    // Rows made first: only the transactions are timed.
    const rows = Array.from({ length: count }, (_, i) => row(i));
    for (let i = 0; i < 500; i++) await createPreRegistration(db, row(count + i));
    const started = performance.now();
    for (const r of rows) await createPreRegistration(db, r);
    return ((performance.now() - started) * 1000) / count;
  } finally {
    await db.close();
  }
}
