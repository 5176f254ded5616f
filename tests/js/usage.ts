// A usage file type-checked with `tsc --strict` against the generated monocypher.d.ts (tsc.test.mjs).
import { Monocypher, CryptoBlake2bCtx, StatusError, TimeoutError, TrapError, Error as WbError, CRYPTO_ARGON2_ID, type CryptoArgon2Config, type CryptoArgon2Extras } from "./monocypher.js";

export async function main(): Promise<string> {
  const m: Monocypher = await Monocypher.load(new URL("monocypher.wasm", import.meta.url), { maxMemory: 1 << 24, timeout: 1000 });
  const hash: Uint8Array = m.crypto_blake2b(64, new TextEncoder().encode("abc"));
  const ctx = new CryptoBlake2bCtx(m);
  m.crypto_blake2b_init(ctx, 64);
  m.crypto_blake2b_update(ctx, new DataView(new ArrayBuffer(3)));
  const again: Uint8Array = m.crypto_blake2b_final(ctx);
  ctx[Symbol.dispose]();
  const viaMethods = new CryptoBlake2bCtx(m);
  viaMethods.init(64);
  viaMethods.update(new Uint8Array(3));
  const methodHash: Uint8Array = viaMethods.final();
  const [cipher, ctr]: [Uint8Array, bigint] = m.crypto_chacha20_djb(hash, new Uint8Array(32), new Uint8Array(8), 0n);
  const [mac, box]: [Uint8Array, Uint8Array] = [...m.crypto_aead_lock(new Uint8Array(32), new Uint8Array(24), hash, hash)].reverse() as [Uint8Array, Uint8Array];
  const config: CryptoArgon2Config = { algorithm: CRYPTO_ARGON2_ID, nb_blocks: 8, nb_passes: 1, nb_lanes: 1 };
  const extras: CryptoArgon2Extras = m.crypto_argon2_no_extras;
  const derived: Uint8Array = m.crypto_argon2(32, config, { pass: hash, salt: hash }, extras);
  const nothing: void = m.crypto_verify16(new Uint8Array(16), new Uint8Array(16));
  try {
    m.crypto_aead_unlock(mac, new Uint8Array(32), new Uint8Array(24), hash, box);
  } catch (e) {
    if (e instanceof StatusError) return `${e.function} ${e.status} ${e instanceof WbError}`;
    if (e instanceof TimeoutError) return `${e.function} ${e.timeout} ${e instanceof TrapError}`;
  }
  return `${again.length} ${methodHash.length} ${cipher.length} ${ctr} ${nothing} ${derived.length}`;
}
