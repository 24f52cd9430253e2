// npm run locales:check — the locale packs and the brands' overrides against the base pack.
// Exits 1 on errors (missing keys in a complete language, extra keys, broken placeholders).
import { loadTenantConfig } from "../server/config/load.js";
import { checkPacks } from "../server/i18n/check.js";
import { readPacks } from "../server/i18n/registry.js";

const tenant = loadTenantConfig(process.env.INVITE_CONFIG || undefined);
const findings = checkPacks(readPacks(), tenant.config);
for (const f of findings) console.log(`${f.level === "error" ? "ERROR  " : "warning"} ${f.where}: ${f.message}`);
const errors = findings.filter((f) => f.level === "error").length;
console.log(errors ? `${errors} error(s)` : `locale packs OK (${findings.length} warning(s))`);
process.exit(errors ? 1 : 0);
