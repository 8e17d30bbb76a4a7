/* fuzz_csv.c: libFuzzer harness of the CSV reader (nn_csv_load). The first byte
 * picks the options (label column -1..2, classify, label by the name "y"); the
 * rest is the file. */
#include "fuzz.h"
#include "nn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int label_col = (data[0] & 3) - 1;
    bool classify = data[0] & 4, by_name = data[0] & 8;
    const char *path = fuzz_file(0, data + 1, size - 1);
    nn_ctx *ctx = nn_ctx_new();
    nn_csv_names names;
    nn_dataset *d = nn_csv_load(ctx, path, by_name ? "y" : NULL, label_col, classify, &names);
    if (d) nn_csv_names_free(&names);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
    return 0;
}
