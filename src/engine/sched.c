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

double nn_sched_rate(const nn_sched *s, int64_t t) {
    double p = s->period > 0 ? s->period : 1, lr0 = s->lr0, lo = s->lr_min;
    switch (s->kind) {
    case NN_SCHED_STEP:
        return lr0 * pow(s->gamma, floor((double)t / p));
    case NN_SCHED_EXPONENTIAL:
        return lr0 * pow(s->gamma, (double)t);
    case NN_SCHED_COSINE: {
        double u = fmin((double)t, p) / p;
        return lo + (lr0 - lo) * 0.5 * (1 + cos(M_PI * u));
    }
    case NN_SCHED_CYCLIC: { /* triangular (Smith 2017): lo -> lr0 -> lo every 2 periods */
        double c = fmod((double)t, 2 * p) / p;
        return lo + (lr0 - lo) * (c <= 1 ? c : 2 - c);
    }
    case NN_SCHED_WARMUP:
        return lr0 * fmin(1.0, (double)(t + 1) / p);
    default:
        return lr0;
    }
}

float nn_sched_lr(const nn_sched *s, int64_t t) {
    return (float)nn_sched_rate(s, t);
}

int nn_sched_check(nn_ctx *ctx, const nn_sched *s) {
    const char *kind = nn_sched_name(s->kind);
    if (!kind) return nn_errorf(ctx, NN_EARG, "schedule: unknown kind %d", (int)s->kind);
    if (!(s->lr0 >= 0) || isinf(s->lr0))
        return nn_errorf(ctx, NN_EARG, "schedule %s: lr0 must be a rate >= 0, got %g", kind,
                         s->lr0);
    if (!(s->lr_min >= 0) || isinf(s->lr_min))
        return nn_errorf(ctx, NN_EARG, "schedule %s: lr_min must be a rate >= 0, got %g", kind,
                         s->lr_min);
    if (!(s->gamma > 0) || isinf(s->gamma))
        return nn_errorf(ctx, NN_EARG, "schedule %s: gamma must be > 0, got %g", kind, s->gamma);
    if (s->period < 1)
        return nn_errorf(ctx, NN_EARG, "schedule %s: period must be a whole number >= 1, got %d",
                         kind, s->period);
    return NN_OK;
}
