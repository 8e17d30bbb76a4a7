/* parallel.c: one worker thread, started at the first use and kept, that runs the
 * second half of a kernel's work while the caller runs the first (parallel.h).
 *
 * A call is a ticket: the caller bumps `posted` to it and runs half 0; half 1 goes to
 * whichever of the worker and the caller claims the ticket first (a compare-and-swap on
 * `claimed`), and the caller waits for `done` only when the worker has it. On a loaded
 * machine, where the worker may not run for a whole time slice, the caller so never
 * stalls: it runs both halves, as one thread would. Each side polls the other's
 * counter for up to SPIN_NS before it sleeps on a condition variable: a training step
 * of the MLP benchmark hands off six times in about half a millisecond, and a futex
 * wake and a reschedule each time (tens of microseconds when the idle core has dropped
 * into a sleep state) would be a tenth of the step, while a kernel called once in a
 * while (a conv, an LSTM pass) loses only the bounded poll of a core that had nothing
 * else to do. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* How long a side polls before it sleeps: longer than the serial work between two
 * handoffs of a training step (a bias, a ReLU, the loss: a few microseconds), short
 * beside anything a user waits for. */
#define SPIN_NS 50000

static struct {
    pthread_once_t once;
    pthread_mutex_t busy, mu; /* busy: one caller at a time owns the worker */
    pthread_cond_t cv;
    bool started;
    int env_threads;
    atomic_int set_threads; /* 0: the environment's */
    void (*half)(void *, int);
    void *arg;
    /* half and arg are written before posted is bumped (release) and read after it is
     * seen (acquire) and the ticket claimed; the half's results are written before done
     * is bumped, the same way back */
    atomic_uint_fast64_t posted, claimed, done;
} pool = {.once = PTHREAD_ONCE_INIT,
          .busy = PTHREAD_MUTEX_INITIALIZER,
          .mu = PTHREAD_MUTEX_INITIALIZER,
          .cv = PTHREAD_COND_INITIALIZER};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Waits until *counter (which only grows) reaches `target`: polls for SPIN_NS
 * (yielding the core now and then to a thread that wants it), then sleeps on the
 * condition variable (the other side broadcasts under mu after each change). */
static void await_reach(atomic_uint_fast64_t *counter, uint64_t target) {
    int64_t t0 = 0;
    for (unsigned i = 1; atomic_load_explicit(counter, memory_order_acquire) < target; i++) {
        cpu_relax();
        if (i % 64) continue; /* the clock every 64 polls: a few microseconds */
        int64_t t = now_ns();
        if (!t0) {
            t0 = t;
        } else if (t - t0 > SPIN_NS) {
            pthread_mutex_lock(&pool.mu);
            while (atomic_load_explicit(counter, memory_order_acquire) < target)
                pthread_cond_wait(&pool.cv, &pool.mu);
            pthread_mutex_unlock(&pool.mu);
            return;
        }
        sched_yield();
    }
}

/* Sets *counter to v and wakes a side that sleeps on it. The broadcast goes under mu,
 * so that a side that checked the counter under mu before the change is already
 * waiting. */
static void publish(atomic_uint_fast64_t *counter, uint64_t v) {
    atomic_store_explicit(counter, v, memory_order_release);
    pthread_mutex_lock(&pool.mu);
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
}

/* Claims half 1 of ticket t: true for the first of the worker and the caller to ask. */
static bool claim(uint64_t t) {
    uint_fast64_t prev = t - 1;
    return atomic_compare_exchange_strong_explicit(&pool.claimed, &prev, t, memory_order_acq_rel,
                                                   memory_order_relaxed);
}

static void *worker(void *unused) {
    (void)unused;
    for (uint64_t seen = 0;;) {
        await_reach(&pool.posted, seen + 1);
        seen = atomic_load_explicit(&pool.posted, memory_order_acquire);
        /* a claim of the newest ticket succeeds only while its caller has not taken
         * half 1 back, so half and arg are still that caller's */
        if (!claim(seen)) continue;
        pool.half(pool.arg, 1);
        publish(&pool.done, seen);
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
    pool.half = half, pool.arg = arg;
    uint64_t ticket = atomic_load_explicit(&pool.posted, memory_order_relaxed) + 1;
    publish(&pool.posted, ticket);
    half(arg, 0);
    if (claim(ticket))
        half(arg, 1); /* the worker had not started it: no waiting on a thread that may not run */
    else
        await_reach(&pool.done, ticket); /* done holds the last ticket the worker ran */
    pthread_mutex_unlock(&pool.busy);
}
