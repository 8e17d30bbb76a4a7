/* fuzz.h: what the fuzz harnesses share: the input as a file. The readers take a
 * path, so each input is written to an anonymous in-memory file (memfd) and
 * handed over as /proc/self/fd/N: no disk, nothing to clean up, and a regular
 * file as far as nn_open_regular can tell. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Fills the in-memory file number slot (0 or 1) with n bytes; returns its path. */
const char *fuzz_file(int slot, const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
