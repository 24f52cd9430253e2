// The common-password list's cost (`npx tsx bench/common-passwords.ts`, also run by bench/run.ts
// in a process of its own): the time to read it into its Set (wall clock, and CPU time of the
// process, steadier when other work shares the machine), the longest the event loop waited
// meanwhile, the memory it keeps (heap and RSS, after a full GC) and the time of one look-up.
// Prints the figures; with --json prints them as one JSON object instead. See docs/benchmarks.md.
import { performance, monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { commonPasswordList, isCommonPassword } from "../server/lib/common-passwords.js";

const LOOKUPS = Number(process.env.BENCH_PASSWORD_LOOKUPS ?? 200_000);

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const MB = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

/** Passwords a look-up meets: half in the list, half not (which also run the pattern checks). */
function samples(list: ReadonlySet<string>): { password: string; common: boolean }[] {
  const common = [...list].filter((_, i) => i % 97 === 0).slice(0, 500);
  return [
    ...common.map((password) => ({ password, common: true })),
    ...common.map((p, i) => ({ password: `${p}-${i.toString(36)} Zq!`, common: false })),
  ];
}

export async function benchCommonPasswords(): Promise<Record<string, number>> {
  gc();
  const before = process.memoryUsage();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const list = await commonPasswordList();
  const loadMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  delay.disable();
  gc();
  const after = process.memoryUsage();

  const inputs = samples(list);
  for (const { password, common } of inputs)
    if ((await isCommonPassword(password)) !== common) throw new Error(`isCommonPassword(${JSON.stringify(password)}) is not ${common}`);
  const t0 = performance.now();
  for (let i = 0; i < LOOKUPS; i++) await isCommonPassword(inputs[i % inputs.length]!.password);
  const lookupUs = ((performance.now() - t0) * 1000) / LOOKUPS;

  return {
    entries: list.size,
    loadMs: Math.round(loadMs),
    loadCpuMs: Math.round((user + system) / 1000),
    longestEventLoopWaitMs: Math.round(delay.max / 1e6),
    heapDeltaMB: MB(after.heapUsed - before.heapUsed),
    rssDeltaMB: MB(after.rss - before.rss),
    lookupUs: Math.round(lookupUs * 100) / 100,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchCommonPasswords();
  if (process.argv.includes("--json")) console.log(JSON.stringify(figures));
  else for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(24)} ${v}`);
}
