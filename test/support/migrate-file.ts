// Opens (and so migrates) the SQLite file given as argument, then closes it: one process of the
// concurrent-start test in test/store/store.test.ts. Prints "migrated" or the error.
import { openDatabase } from "../../server/store/database.js";

const file = process.argv[2]!;
try {
  const db = await openDatabase(`file:${file}`);
  await db.close();
  console.log("migrated");
} catch (error) {
  console.log(`failed: ${String(error)}`);
  process.exitCode = 1;
}
