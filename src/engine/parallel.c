/* parallel.c: one worker thread, started at the first use and kept, that runs the
 * second half of a kernel's batch while the caller runs the first (parallel.h). A
 * handoff is a mutex and a condition variable: a few microseconds against the
 * milliseconds of a pass, where creating a thread per call would cost tens. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static struct {
    pthread_once_t once;
    pthread_mutex_t busy, mu; /* busy: one caller at a time owns the worker */
    pthread_cond_t cv;
    bool started;
    int env_threads;
    atomic_int set_threads; /* 0: the environment's */
    void (*half)(void *, int);
    void *arg;
    uint64_t posted, done;
} pool = {.once = PTHREAD_ONCE_INIT,
          .busy = PTHREAD_MUTEX_INITIALIZER,
          .mu = PTHREAD_MUTEX_INITIALIZER,
          .cv = PTHREAD_COND_INITIALIZER};

static void *worker(void *unused) {
    (void)unused;
    pthread_mutex_lock(&pool.mu);
    for (;;) {
        while (pool.done == pool.posted) pthread_cond_wait(&pool.cv, &pool.mu);
        pthread_mutex_unlock(&pool.mu);
        pool.half(pool.arg, 1);
        pthread_mutex_lock(&pool.mu);
        pool.done = pool.posted;
        pthread_cond_broadcast(&pool.cv);
    }
    return NULL;
}

static void read_env(void) {
    const char *env = getenv("OPENBLAS_NUM_THREADS");
    if (!env || !*env) env = getenv("OMP_NUM_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    pool.env_threads = n >= 2 ? 2 : 1;
}

int nn_par_threads(void) {
    pthread_once(&pool.once, read_env);
    int set = atomic_load(&pool.set_threads);
    return set ? set : pool.env_threads;
}

void nn_par_set_threads(int threads) {
    atomic_store(&pool.set_threads, threads <= 0 ? 0 : threads >= 2 ? 2 : 1);
}

/* Starts the worker, under busy; false when it cannot be had. */
static bool worker_ready(void) {
    if (pool.started) return true;
    pthread_t th;
    pthread_attr_t at;
    if (pthread_attr_init(&at) != 0) return false;
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pool.started = pthread_create(&th, &at, worker, NULL) == 0;
    pthread_attr_destroy(&at);
    return pool.started;
}

void nn_par_halves(void (*half)(void *arg, int part), void *arg) {
    if (nn_par_threads() < 2 || pthread_mutex_trylock(&pool.busy) != 0) {
        half(arg, 0), half(arg, 1);
        return;
    }
    if (!worker_ready()) {
        pthread_mutex_unlock(&pool.busy);
        half(arg, 0), half(arg, 1);
        return;
    }
    pthread_mutex_lock(&pool.mu);
    pool.half = half, pool.arg = arg, pool.posted++;
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
    half(arg, 0);
    pthread_mutex_lock(&pool.mu);
    while (pool.done != pool.posted) pthread_cond_wait(&pool.cv, &pool.mu);
    pthread_mutex_unlock(&pool.mu);
    pthread_mutex_unlock(&pool.busy);
}
