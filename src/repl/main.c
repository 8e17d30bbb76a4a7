/* main.c: the nnlab executable; everything is in the REPL library (start.c) so that
 * tests can link it. */
#include "replint.h"

int main(int argc, char **argv) {
    return repl_main(argc, argv);
}
