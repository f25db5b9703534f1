/* hash.h -- FNV-1a 64: fingerprints of configurations and files.
 *
 * Not a cryptographic hash: it detects accidental change (a different
 * plugin build, an edited checkpoint header), not a malicious one.
 */
#ifndef HASH_H
#define HASH_H

#include <stdint.h>

/* The FNV-1a 64 offset basis: start every hash from it. */
#define HASH_FNV_INIT 0xcbf29ce484222325ULL

/* Continue hash h over n bytes at data. Pure; any thread. */
uint64_t hash_fnv(uint64_t h, const void *data, uint64_t n);

/* Hash of a whole file's bytes into *out. 0, or -1 when it cannot be read
 * (errno set). Any thread. */
int hash_file(const char *path, uint64_t *out);

/* Hash of the first n bytes of a file into *out. 0, or -1 when it cannot
 * be read or is shorter than n bytes. Any thread. */
int hash_file_prefix(const char *path, uint64_t n, uint64_t *out);

#endif
