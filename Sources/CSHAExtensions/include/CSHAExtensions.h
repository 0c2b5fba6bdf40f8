#ifndef CSHAEXTENSIONS_H
#define CSHAEXTENSIONS_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the x86 SHA extensions (plus SSSE3 and SSE4.1), else 0.
int paylink_sha256_hardware_available(void);

/// SHA-256 compression of `block_count` 64-byte blocks into `state` (H0..H7, native order),
/// with the x86 SHA instructions. Only call when paylink_sha256_hardware_available() is 1.
void paylink_sha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t block_count);

#endif
