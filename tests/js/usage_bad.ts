// Must NOT type-check (tsc.test.mjs): the .d.ts types are real, not `any`.
import { Monocypher, CryptoBlake2bCtx, CRYPTO_ARGON2_ID } from "./monocypher.js";

export async function bad(): Promise<void> {
  const m = await Monocypher.load();
  m.crypto_blake2b("64", new Uint8Array(3)); // hash_size is a number
  const n: number = m.crypto_blake2b(64, new Uint8Array(3)); // returns a Uint8Array
  m.crypto_chacha20_djb(new Uint8Array(1), new Uint8Array(32), new Uint8Array(8), 1); // ctr is a bigint
  m.crypto_argon2(32, { algorithm: 2, nb_blocks: 8, nb_passes: 1 }, { pass: n, salt: n }, { key: n, ad: n }); // nb_lanes missing
  new CryptoBlake2bCtx(m).update("text"); // handle methods are typed like the module methods
  m.crypto_argon2_no_extras = { key: n, ad: n }; // a global is read-only
  const s: string = CRYPTO_ARGON2_ID; // constants are numbers
  console.log(n, s);
}
