/* fuzz_idx.c: libFuzzer harness of the IDX reader (nn_idx_load). Byte 0 is the
 * limit (0: none), bytes 1-2 (big-endian) where the images file ends and the
 * labels file begins; gzip or raw, as the bytes say. */
#include "fuzz.h"
#include "nn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) return 0;
    int limit = data[0];
    size_t split = (size_t)data[1] << 8 | data[2];
    data += 3, size -= 3;
    if (split > size) split = size;
    const char *images = fuzz_file(0, data, split);
    const char *labels = fuzz_file(1, data + split, size - split);
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset_free(nn_idx_load(ctx, images, labels, limit));
    nn_ctx_free(ctx);
    return 0;
}
