// The JSON Schema published for editors (config/tenant.schema.json), generated from the zod schema.
import { z } from "zod";
import { tenantConfigSchema } from "./schema.js";

export function tenantJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(tenantConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://github.com/invite-journey/invite-journey/config/tenant.schema.json",
    title: "Tenant configuration of the invitation service",
    description: "See README.md, 'Tenant configuration'. Secrets are stored as sha256:<hex> (npm run secret).",
  };
}
