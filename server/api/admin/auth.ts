// Admin bearer tokens (docs/admin-api.md, docs/configuration.md): the configuration keeps their sha256 hashes and
// scopes. 401 without a valid token, 403 when the token lacks the scope, both as problem+json
// with the WWW-Authenticate challenge of RFC 6750.
import type { RequestHandler } from "express";
import type { Tenant } from "../../config/load.js";
import type { AdminToken, Scope } from "../../config/schema.js";
import { bearerToken } from "../../http/bearer.js";
import { constantTimeEqual, secretHash } from "../../lib/crypto.js";
import { sendProblem } from "../problem.js";

export interface AdminPrincipal {
  name: string;
  scopes: Scope[];
}

/** The configured token whose hash matches, compared in constant time against every token. */
export function adminTokenByHash(tenant: Tenant, hash: string): AdminToken | undefined {
  let found: AdminToken | undefined;
  for (const token of tenant.adminTokens()) if (constantTimeEqual(hash, token.hash) && !found) found = token;
  return found;
}

export function authenticateAdminToken(tenant: Tenant, token: string): AdminPrincipal | undefined {
  if (!token || token.length > 1024) return undefined;
  const found = adminTokenByHash(tenant, secretHash(token));
  return found && { name: found.name, scopes: [...found.scopes] };
}

const REALM = 'realm="admin"';

/** Authenticates every request of the router it is mounted on; the principal is in res.locals.admin. */
export function adminAuth(tenant: Tenant): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.get("authorization"));
    if (!token) {
      res.set("WWW-Authenticate", `Bearer ${REALM}`);
      return sendProblem(res, { status: 401, title: "Unauthorized", detail: "Send an admin token as Authorization: Bearer <token>." });
    }
    const principal = authenticateAdminToken(tenant, token);
    if (!principal) {
      res.set("WWW-Authenticate", `Bearer ${REALM}, error="invalid_token"`);
      return sendProblem(res, { status: 401, title: "Unauthorized", detail: "The admin token is not valid." });
    }
    res.locals.admin = principal;
    next();
  };
}

/** 403 unless the authenticated token has `scope`. */
export function requireScope(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    const principal = res.locals.admin as AdminPrincipal | undefined;
    if (!principal?.scopes.includes(scope)) {
      res.set("WWW-Authenticate", `Bearer ${REALM}, error="insufficient_scope", scope="${scope}"`);
      return sendProblem(res, {
        status: 403,
        title: "Forbidden",
        detail: `The admin token lacks the ${scope} scope.`,
        requiredScope: scope,
      });
    }
    next();
  };
}
