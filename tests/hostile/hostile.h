/* hostile.h: the C API of the hostile test guests in tests/hostile/ (*.wat, one per misbehaviour).
 *
 * good.wat implements it honestly; every other .wat is good.wat with one thing broken (its first
 * comment line says what). Used by the Python (tests/python/test_hostile_*.py) and Rust hardening
 * tests: bindings are generated from this header, then each .wat is loaded in place of good.wat.
 * Most misbehaviours fire only when key[0] == 0xEE, so the same object can be called again honestly.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stddef.h>
#include <stdint.h>

/* out[i] = key[i] ^ (XOR of all message bytes). */
void hostile_mix(uint8_t out[32], const uint8_t key[32], const uint8_t *message, size_t message_size);

/* hash[i] = (message_size ? message[i % message_size] : 0) ^ (i & 0xff). */
void hostile_hash(uint8_t *hash, size_t hash_size, const uint8_t *message, size_t message_size);

#endif
