/* main.c: the nnlab executable; everything is in the REPL library (start.c) so that
 * tests can link it. */
#include <stdlib.h>
#include <unistd.h>

#include "nn.h"
#include "replint.h"

int main(int argc, char **argv) {
    /* OpenBLAS picks its kernels when it loads, from the CPU's model name; a model it
     * does not know gets the generic ones, several times slower. Start again with the
     * kernels the CPU's features allow, unless the user chose (OPENBLAS_CORETYPE set:
     * under valgrind, which lacks AVX-512, set it to Haswell). */
    const char *core = getenv("OPENBLAS_CORETYPE") ? NULL : nn_blas_better_core();
    if (core && setenv("OPENBLAS_CORETYPE", core, 1) == 0) execv("/proc/self/exe", argv);
    return repl_main(argc, argv); /* exec failed: the generic kernels still compute right */
}
