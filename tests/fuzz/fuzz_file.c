/* fuzz_file.c: the fuzz inputs as files (fuzz.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

const char *fuzz_file(int slot, const uint8_t *data, size_t n) {
    static int fd[2] = {-1, -1};
    static char path[2][64];
    if (fd[slot] < 0) {
        fd[slot] = memfd_create(slot ? "fuzz_b" : "fuzz_a", 0);
        if (fd[slot] < 0) abort(); /* the harness cannot run: say so loudly */
        snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
    }
    if (ftruncate(fd[slot], 0) != 0) abort();
    for (size_t done = 0; done < n;) {
        ssize_t w = pwrite(fd[slot], data + done, n - done, (off_t)done);
        if (w <= 0) abort();
        done += (size_t)w;
    }
    return path[slot];
}
