import { createSealer } from "../../server/lib/seal.js";

const A = "a".repeat(32);
const B = "b".repeat(32);

test("a sealed link opens with the same secret and hides its content", async () => {
  const sealer = createSealer([A]);
  const sealed = await sealer.seal({ link: "https://x.example/invite/secret-token" });
  expect(sealed).not.toContain("secret-token");
  expect(await sealer.unseal(sealed)).toEqual({ link: "https://x.example/invite/secret-token" });
});

test("after a key rotation (new,old) old seals still open and new ones use the new key", async () => {
  const before = await createSealer([A]).seal({ n: 1 });
  const rotated = createSealer([B, A]);
  expect(await rotated.unseal(before)).toEqual({ n: 1 });
  const after = await rotated.seal({ n: 2 });
  expect(await createSealer([B]).unseal(after)).toEqual({ n: 2 });
  expect(await createSealer([A]).unseal(after)).toBeUndefined();
});

test("a tampered or foreign seal does not open", async () => {
  const sealer = createSealer([A]);
  const sealed = await sealer.seal({ link: "x" });
  const parts = sealed.split(".");
  parts[3] = Buffer.from("forged").toString("base64url");
  expect(await sealer.unseal(parts.join("."))).toBeUndefined();
  expect(await sealer.unseal("garbage")).toBeUndefined();
  expect(await createSealer([B]).unseal(sealed)).toBeUndefined();
});
