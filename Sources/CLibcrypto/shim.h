// OpenSSL's SHA-256 for Swift. The low-level functions are used because their context is a
// plain struct: a hash stopped after a whole number of 64-byte blocks is its eight state
// words and its length (the snapshot's midstate), and loads back into a fresh context.
// OpenSSL 3 marks them deprecated in favour of EVP, which cannot load a midstate, so the
// warning is switched off here, before the header.
#ifndef PTRACK_CLIBCRYPTO_SHIM_H
#define PTRACK_CLIBCRYPTO_SHIM_H

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED 1
#endif
#include <stdint.h>
#include <string.h>
#include <openssl/sha.h>

// A fresh context, as SHA256_Init leaves it, then given the state `words` reached after
// `bytes` bytes (a multiple of 64): nothing is pending, the bit count is the length's.
static inline void ptrack_sha256_resume(SHA256_CTX *context, const uint32_t *words, uint64_t bytes) {
    SHA256_Init(context);
    for (int i = 0; i < 8; i++) context->h[i] = (SHA_LONG)words[i];
    context->Nl = (SHA_LONG)(bytes << 3);
    context->Nh = (SHA_LONG)(bytes >> 29);
    context->num = 0;
}

// The state word `index` (0 to 7).
static inline uint32_t ptrack_sha256_word(const SHA256_CTX *context, int index) { return (uint32_t)context->h[index]; }

// The number of bytes hashed so far.
static inline uint64_t ptrack_sha256_length(const SHA256_CTX *context) {
    return ((uint64_t)context->Nh << 32 | (uint64_t)context->Nl) >> 3;
}

// The bytes added since the last whole block, which the state words do not hold yet.
static inline unsigned int ptrack_sha256_pending(const SHA256_CTX *context) { return context->num; }

// True when two contexts hold the same hash: state, length and pending bytes.
static inline int ptrack_sha256_same(const SHA256_CTX *a, const SHA256_CTX *b) {
    return memcmp(a->h, b->h, sizeof a->h) == 0 && a->Nl == b->Nl && a->Nh == b->Nh && a->num == b->num &&
        memcmp(a->data, b->data, a->num) == 0;
}

#endif
