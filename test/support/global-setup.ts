// Once per run: the build must exist (npm test builds it; a bare `vitest` builds it here).
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

export default function setup() {
  if (!existsSync("build/index.js") || !existsSync("build/scripts.json")) execSync("npm run build", { stdio: "inherit" });
}
