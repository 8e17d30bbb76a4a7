/* test_kill9.c: files that nnlab replaces while it runs survive a kill -9 at any
 * moment: a child nnlab rewrites the lesson progress file (lesson._save_progress)
 * or a model file (nn.save) in a loop and is killed with SIGKILL at varying
 * moments, most of them mid-write; each time a second nnlab must read back a
 * whole file, the previous good one or the new one. (The history file has the
 * same test in test_history.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 8

static char dir[] = "/tmp/nnlab_kill9_XXXXXX";

/* Runs nnlab -e code with XDG_STATE_HOME=dir; returns the child's pid. */
static pid_t spawn(const char *code) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("XDG_STATE_HOME", dir, 1);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        execl(NNLAB_EXE, NNLAB_EXE, "-e", code, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int run(const char *code) {
    int status;
    waitpid(spawn(code), &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void wait_for(const char *path) {
    struct stat st;
    for (int i = 0; i < 3000 && stat(path, &st) != 0; i++) usleep(10000);
    assert_int_equal(stat(path, &st), 0);
}

/* Starts writer, waits until path exists, then kills the writer at varying
 * moments; after each kill, check must run with status 0. */
static void kill_mid_write(const char *writer, const char *path, const char *check) {
    for (int round = 0; round < ROUNDS; round++) {
        pid_t pid = spawn(writer);
        wait_for(path);
        struct timespec ts = {0, (long)(3 + 7 * round) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        if (run(check) != 0) fail_msg("round %d: %s is not whole after kill -9", round, path);
    }
}

static void test_lesson_progress_survives_kill_9(void **unused) {
    (void)unused;
    char path[128];
    snprintf(path, sizeof path, "%s/nnlab/lessons.lua", dir);
    const char *writer =
        "local t = {} for i = 1, 4000 do t['lesson_' .. i] = {page = 1, pages = 9, "
        "tasks = {1, 2, 3}, quizzes = {}} end "
        "for n = 1, math.huge do for _, p in pairs(t) do p.page = n % 9 + 1 end "
        "assert(lesson._save_progress(t)) end";
    char check[512];
    snprintf(check, sizeof check,
             "local t = dofile('%s') local n = 0 for _, p in pairs(t) do n = n + 1 "
             "assert(p.pages == 9) end assert(n == 4000, n)",
             path);
    kill_mid_write(writer, path, check);
}

static void test_model_save_survives_kill_9(void **unused) {
    (void)unused;
    char path[128], writer[512], check[256];
    snprintf(path, sizeof path, "%s/m.nnl", dir);
    snprintf(writer, sizeof writer,
             "local m = nn.sequential{nn.linear(400, 400), nn.relu(), nn.linear(400, 400)} "
             "while true do nn.save(m, '%s') end",
             path);
    snprintf(check, sizeof check,
             "local m = assert(nn.load('%s')) assert(m:forward(nn.zeros{1, 400}):shape()[2] == "
             "400)",
             path);
    kill_mid_write(writer, path, check);
}

static int setup(void **unused) {
    (void)unused;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **unused) {
    (void)unused;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lesson_progress_survives_kill_9),
        cmocka_unit_test(test_model_save_survives_kill_9),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
