// npm run config:schema — writes config/tenant.schema.json from the zod schema (a test keeps it in sync).
import { writeFileSync } from "node:fs";
import { tenantJsonSchema } from "../server/config/json-schema.js";

writeFileSync("config/tenant.schema.json", `${JSON.stringify(tenantJsonSchema(), null, 2)}\n`);
console.log("wrote config/tenant.schema.json");
