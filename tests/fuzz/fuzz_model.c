/* fuzz_model.c: libFuzzer harness of the model-file reader (nn_model_load). A
 * mutated file almost never has a valid CRC-32, and the reader stops there; so the
 * harness writes the payload length (bytes 16..23) and the CRC (the last 4 bytes)
 * that make the input consistent, and the fuzzer reaches the records behind them
 * (a crafted file with a valid CRC is exactly what the issue found crashing). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "nn.h"

#define HEADER 24 /* magic, version, flags, payload length */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *file = malloc(size ? size : 1);
    if (!file) return 0;
    memcpy(file, data, size);
    if (size >= HEADER + 4) {
        uint64_t payload = size - HEADER - 4;
        memcpy(file + 16, &payload, 8); /* little-endian hosts, as the format */
        uint32_t crc = (uint32_t)crc32(0L, file, (uInt)(size - 4));
        memcpy(file + size - 4, &crc, 4);
    }
    const char *path = fuzz_file(0, file, size);
    free(file);
    nn_ctx *ctx = nn_ctx_new();
    nn_optim *o = NULL;
    nn_module *m = nn_model_load(ctx, path, &o);
    nn_optim_free(o);
    nn_module_free(m);
    nn_ctx_free(ctx);
    return 0;
}
