/* sched.c: learning-rate schedules, a pure function of the step number. The
 * training loop writes the schedule's rate into the optimizer before each step. */
#include <math.h>
#include <string.h>

#include "train_internal.h"

static const char *const sched_names[NN_SCHED_COUNT] = {"constant", "step",   "exponential",
                                                        "cosine",   "cyclic", "warmup"};

const char *nn_sched_name(nn_sched_kind kind) {
    return (unsigned)kind < NN_SCHED_COUNT ? sched_names[kind] : NULL;
}

int nn_sched_from_name(const char *name) {
    return nn_kind_from_name(name, sched_names, NN_SCHED_COUNT, NULL);
}

float nn_sched_lr(const nn_sched *s, int64_t t) {
    double p = s->period > 0 ? s->period : 1, lr0 = s->lr0, lo = s->lr_min;
    switch (s->kind) {
    case NN_SCHED_STEP:
        return (float)(lr0 * pow(s->gamma, floor((double)t / p)));
    case NN_SCHED_EXPONENTIAL:
        return (float)(lr0 * pow(s->gamma, (double)t));
    case NN_SCHED_COSINE: {
        double u = fmin((double)t, p) / p;
        return (float)(lo + (lr0 - lo) * 0.5 * (1 + cos(M_PI * u)));
    }
    case NN_SCHED_CYCLIC: { /* triangular (Smith 2017): lo -> lr0 -> lo every 2 periods */
        double c = fmod((double)t, 2 * p) / p;
        return (float)(lo + (lr0 - lo) * (c <= 1 ? c : 2 - c));
    }
    case NN_SCHED_WARMUP:
        return (float)(lr0 * fmin(1.0, (double)(t + 1) / p));
    default:
        return s->lr0;
    }
}
