/* optim.c: the optimizers as update rules over three flat arrays: parameters p[n],
 * gradients g[n] and the optimizer's state (one block of nstate*n floats). The rules
 * follow the course notes (../shared/notes) and the standard papers where the
 * course gives none or writes one wrongly; each rule's comment says which. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "module_internal.h"
#include "parallel.h"

struct nn_optim {
    nn_ctx *ctx;
    nn_optim_kind kind;
    nn_optim_hp hp;
    int64_t n, t; /* parameters, steps taken */
    int nstate;
    float *state; /* nstate arrays of n floats */
};

static const char *const optim_names[NN_OPT_COUNT] = {
    "gd",       "sgd",  "momentum", "nesterov", "adagrad", "rmsprop",
    "adadelta", "adam", "adamw",    "nadam",    "rprop",
};

const char *nn_optim_name(nn_optim_kind kind) {
    return (unsigned)kind < NN_OPT_COUNT ? optim_names[kind] : NULL;
}

int nn_optim_from_name(const char *name) {
    return nn_kind_from_name(name, optim_names, NN_OPT_COUNT, NULL);
}

/* Defaults. The course gives only RMSProp's (rho 0.9, eps 1e-10, seeds-002:1601);
 * the rest are the papers' and PyTorch's/Keras' usual values. */
nn_optim_hp nn_optim_defaults(nn_optim_kind kind) {
    nn_optim_hp h = {.lr = 0.01f,
                     .momentum = 0.9f,
                     .beta1 = 0.9f,
                     .beta2 = 0.999f,
                     .rho = 0.9f,
                     .eps = 1e-8f,
                     .eta_plus = 1.2f,
                     .eta_minus = 0.5f,
                     .step_min = 1e-6f,
                     .step_max = 50.0f};
    switch (kind) {
    case NN_OPT_GD:
    case NN_OPT_SGD: /* PyTorch's SGD: plain unless momentum is given */
        h.momentum = 0;
        break;
    case NN_OPT_ADAGRAD:
        h.eps = 1e-10f;
        break;
    case NN_OPT_RMSPROP:
        h.lr = 0.001f, h.eps = 1e-10f;
        break;
    case NN_OPT_ADADELTA:
        h.lr = 1.0f, h.eps = 1e-6f;
        break;
    case NN_OPT_ADAM:
        h.lr = 0.001f;
        break;
    case NN_OPT_ADAMW:
        h.lr = 0.001f, h.weight_decay = 0.01f;
        break;
    case NN_OPT_NADAM:
        h.lr = 0.002f;
        break;
    default:
        break;
    }
    return h;
}

static int nstate_of(nn_optim_kind k) {
    switch (k) {
    case NN_OPT_GD:
        return 0;
    case NN_OPT_SGD: /* its momentum buffer, used when momentum > 0 */
    case NN_OPT_MOMENTUM:
    case NN_OPT_NESTEROV:
    case NN_OPT_ADAGRAD:
    case NN_OPT_RMSPROP:
        return 1;
    default:
        return 2;
    }
}

const char *nn_optim_state_name(const nn_optim *o, int i) {
    static const char *const names[NN_OPT_COUNT][2] = {
        {NULL, NULL},     {"velocity", NULL}, {"velocity", NULL},        {"velocity", NULL},
        {"sum_sq", NULL}, {"mean_sq", NULL},  {"mean_sq", "mean_dx_sq"}, {"m", "v"},
        {"m", "v"},       {"m", "v"},         {"prev_grad", "step"},
    };
    return i >= 0 && i < o->nstate ? names[o->kind][i] : NULL;
}

nn_optim *nn_optim_new(nn_ctx *ctx, nn_optim_kind kind, nn_optim_hp hp, int64_t n) {
    if ((unsigned)kind >= NN_OPT_COUNT) {
        nn_errorf(ctx, NN_EARG, "optimizer: unknown kind %d", (int)kind);
        return NULL;
    }
    if (n < 1) {
        nn_errorf(ctx, NN_EARG, "%s: nothing to optimize (%lld parameters)", optim_names[kind],
                  (long long)n);
        return NULL;
    }
    const char *name; /* settings from a model file, or a binding's, all >= 0 */
    for (int i = 0; (name = nn_optim_hp_name(i)); i++) {
        float v = *nn_optim_hp_field(&hp, name);
        if (!isfinite(v) || v < 0) {
            nn_errorf(ctx, NN_EARG, "%s: %s must be a finite number >= 0, got %g",
                      optim_names[kind], name, v);
            return NULL;
        }
    }
    if (kind == NN_OPT_SGD && hp.nesterov != 0 && !(hp.momentum > 0)) { /* as PyTorch */
        nn_errorf(ctx, NN_EARG, "sgd: nesterov needs a momentum > 0, got momentum %g", hp.momentum);
        return NULL;
    }
    nn_optim *o = nn_calloc(ctx, 1, sizeof *o);
    if (!o) return NULL;
    o->ctx = ctx;
    o->kind = kind;
    o->hp = hp;
    o->n = n;
    o->nstate = nstate_of(kind);
    if (o->nstate && !(o->state = nn_calloc(ctx, (size_t)(o->nstate * n), sizeof(float)))) {
        nn_mfree(o);
        return NULL;
    }
    nn_optim_reset(o);
    return o;
}

void nn_optim_free(nn_optim *o) {
    if (!o) return;
    nn_mfree(o->state);
    nn_mfree(o);
}

void nn_optim_reset(nn_optim *o) {
    if (o->nstate) memset(o->state, 0, (size_t)(o->nstate * o->n) * sizeof(float));
    if (o->kind == NN_OPT_RPROP) /* Rprop's step sizes start at lr */
        for (int64_t i = 0; i < o->n; i++) o->state[o->n + i] = o->hp.lr;
    o->t = 0;
}

nn_optim_hp *nn_optim_hparams(nn_optim *o) {
    return &o->hp;
}

/* The fields of nn_optim_hp by name, in the order of the struct. */
static const struct {
    const char *name;
    size_t offset;
} hp_fields[] = {
    {"lr", offsetof(nn_optim_hp, lr)},
    {"momentum", offsetof(nn_optim_hp, momentum)},
    {"beta1", offsetof(nn_optim_hp, beta1)},
    {"beta2", offsetof(nn_optim_hp, beta2)},
    {"rho", offsetof(nn_optim_hp, rho)},
    {"eps", offsetof(nn_optim_hp, eps)},
    {"weight_decay", offsetof(nn_optim_hp, weight_decay)},
    {"clip_norm", offsetof(nn_optim_hp, clip_norm)},
    {"clip_value", offsetof(nn_optim_hp, clip_value)},
    {"eta_plus", offsetof(nn_optim_hp, eta_plus)},
    {"eta_minus", offsetof(nn_optim_hp, eta_minus)},
    {"step_min", offsetof(nn_optim_hp, step_min)},
    {"step_max", offsetof(nn_optim_hp, step_max)},
    {"nesterov", offsetof(nn_optim_hp, nesterov)},
};
#define NHP_FIELDS ((int)(sizeof hp_fields / sizeof hp_fields[0]))

const char *nn_optim_hp_name(int i) {
    return i >= 0 && i < NHP_FIELDS ? hp_fields[i].name : NULL;
}

float *nn_optim_hp_field(nn_optim_hp *hp, const char *name) {
    for (int i = 0; i < NHP_FIELDS; i++)
        if (strcmp(name, hp_fields[i].name) == 0)
            return (float *)((char *)hp + hp_fields[i].offset);
    return NULL;
}
/* The settings each rule reads, in the order they are listed to the user; the rest of
 * nn_optim_hp does nothing in it and is refused by the bindings. */
#define CLIPS_AND_DECAY "weight_decay", "clip_norm", "clip_value"
#define MAX_OPTIONS     11 /* rprop's 8 and room for the NULL that ends a list */
static const char *const kind_options[NN_OPT_COUNT][MAX_OPTIONS] = {
    [NN_OPT_GD] = {"lr", CLIPS_AND_DECAY},
    [NN_OPT_SGD] = {"lr", "momentum", "nesterov", CLIPS_AND_DECAY},
    [NN_OPT_MOMENTUM] = {"lr", "momentum", CLIPS_AND_DECAY},
    [NN_OPT_NESTEROV] = {"lr", "momentum", CLIPS_AND_DECAY},
    [NN_OPT_ADAGRAD] = {"lr", "eps", CLIPS_AND_DECAY},
    [NN_OPT_RMSPROP] = {"lr", "rho", "eps", CLIPS_AND_DECAY},
    [NN_OPT_ADADELTA] = {"lr", "rho", "eps", CLIPS_AND_DECAY},
    [NN_OPT_ADAM] = {"lr", "beta1", "beta2", "eps", CLIPS_AND_DECAY},
    [NN_OPT_ADAMW] = {"lr", "beta1", "beta2", "eps", CLIPS_AND_DECAY},
    [NN_OPT_NADAM] = {"lr", "beta1", "beta2", "eps", CLIPS_AND_DECAY},
    [NN_OPT_RPROP] = {"lr", "eta_plus", "eta_minus", "step_min", "step_max", CLIPS_AND_DECAY},
};

const char *nn_optim_option(nn_optim_kind kind, int i) {
    if ((unsigned)kind >= NN_OPT_COUNT || i < 0 || i >= MAX_OPTIONS) return NULL;
    return kind_options[kind][i];
}

bool nn_optim_takes(nn_optim_kind kind, const char *name) {
    const char *o;
    for (int i = 0; (o = nn_optim_option(kind, i)); i++)
        if (!strcmp(o, name)) return true;
    return false;
}

nn_optim_kind nn_optim_kind_of(const nn_optim *o) {
    return o->kind;
}
int64_t nn_optim_steps(const nn_optim *o) {
    return o->t;
}
int nn_optim_nstate(const nn_optim *o) {
    return o->nstate;
}
int64_t nn_optim_size(const nn_optim *o) {
    return o->n;
}
float *nn_optim_state(nn_optim *o, int i) {
    return i >= 0 && i < o->nstate ? o->state + i * o->n : NULL;
}
void nn_optim_set_steps(nn_optim *o, int64_t t) {
    o->t = t;
}

/* The update runs with subnormal floats flushed to zero (FTZ: results; DAZ: inputs),
 * the caller's mode put back after. A weight whose gradient is zero in most batches
 * (a border pixel of Fashion-MNIST, a dead ReLU) has its first moment decay by beta1
 * each step: from the last nonzero gradient it passes through the subnormal range
 * (below 1.2e-38) for some sixty steps before it reaches zero, and x86 cores take a
 * microcode assist of a hundred cycles or more per subnormal operand or result. In the
 * MLP benchmark this made the Adam pass twice as slow inside training as alone. A
 * flushed moment was below 1.2e-38 and its step below lr * 1.2e-38 / eps (about
 * 1e-33 for Adam's defaults): no weight moves by a visible amount. Both threads flush
 * the same way, so one thread and two still give the same bits. Elsewhere (no SSE
 * control register) the update keeps IEEE subnormals: the same numbers but those. */
#if defined(__x86_64__) || defined(__i386__)
#define FLUSH_MODE (_MM_FLUSH_ZERO_ON | 0x0040) /* FTZ | DAZ (0x40, no portable macro) */
static inline unsigned flush_subnormals(void) {
    unsigned was = _mm_getcsr();
    _mm_setcsr(was | FLUSH_MODE);
    return was;
}
static inline void restore_subnormals(unsigned was) {
    _mm_setcsr(was);
}
#else
static inline unsigned flush_subnormals(void) {
    return 0;
}
static inline void restore_subnormals(unsigned was) {
    (void)was;
}
#endif

/* Updates p[i] for i in [0, n), whose state sits at [soff, soff+n) of each state
 * array, at step t (1-based; bias corrections use it). One loop per rule, in float,
 * so that the compiler vectorizes the common ones (the MLP benchmark's Adam touches
 * 235k parameters a step). Called by update(), with subnormals flushed. */
NN_VECTOR_CLONES static void update_rule(nn_optim *o, float *restrict p, const float *restrict g,
                                         int64_t n, int64_t soff) {
    const nn_optim_hp *h = &o->hp;
    const float lr = h->lr, wd = o->kind == NN_OPT_ADAMW ? 0 : h->weight_decay, eps = h->eps;
    const float mu = h->momentum, rho = h->rho, b1 = h->beta1, b2 = h->beta2;
    float *restrict s0 = o->state ? o->state + soff : NULL;
    float *restrict s1 = o->state ? o->state + o->n + soff : NULL;
    /* bias corrections, once per call: pow per element would cost more than the update */
    bool adam = o->kind >= NN_OPT_ADAM && o->kind <= NN_OPT_NADAM;
    const float c1 = adam ? (float)(1 - pow(b1, (double)o->t)) : 1;
    const float c2 = adam ? (float)(1 - pow(b2, (double)o->t)) : 1;
    switch (o->kind) {
    case NN_OPT_GD: /* w <- w - lr g (g plus wd w: L2 in the gradient, for every rule) */
        for (int64_t i = 0; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
        break;
    case NN_OPT_SGD:
        /* PyTorch's SGD (no dampening): g' = g + wd w; v <- mu v + g'; w <- w - lr v, or
         * with nesterov w <- w - lr (g' + mu v); mu = 0: w <- w - lr g' */
        if (mu == 0) {
            for (int64_t i = 0; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
        } else if (h->nesterov != 0) {
            for (int64_t i = 0; i < n; i++) {
                float gi = g[i] + wd * p[i];
                s0[i] = mu * s0[i] + gi;
                p[i] -= lr * (gi + mu * s0[i]);
            }
        } else {
            for (int64_t i = 0; i < n; i++) {
                s0[i] = mu * s0[i] + (g[i] + wd * p[i]);
                p[i] -= lr * s0[i];
            }
        }
        break;
    case NN_OPT_MOMENTUM: /* v <- mu v - lr g; w <- w + v (notes O-03, standard form) */
        for (int64_t i = 0; i < n; i++) {
            s0[i] = mu * s0[i] - lr * (g[i] + wd * p[i]);
            p[i] += s0[i];
        }
        break;
    case NN_OPT_NESTEROV:
        /* The course's look-ahead w - mu v needs the gradient at another point; with
         * w' = w + mu v (Sutskever 2013; PyTorch's form) it is: v <- mu v - lr g;
         * w <- w + mu v - lr g, g taken at the current (look-ahead) weights. */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            s0[i] = mu * s0[i] - lr * gi;
            p[i] += mu * s0[i] - lr * gi;
        }
        break;
    case NN_OPT_ADAGRAD: /* a <- a + g^2; w <- w - lr/sqrt(a + eps) g (course O-06) */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            s0[i] += gi * gi;
            p[i] -= lr / sqrtf(s0[i] + eps) * gi;
        }
        break;
    case NN_OPT_RMSPROP: /* v <- rho v + (1-rho) g^2; w <- w - lr/sqrt(v + eps) g (002:1571) */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            s0[i] = rho * s0[i] + (1 - rho) * gi * gi;
            p[i] -= lr / sqrtf(s0[i] + eps) * gi;
        }
        break;
    case NN_OPT_ADADELTA:
        /* s <- rho s + (1-rho) g^2; g' = sqrt(dx + eps)/sqrt(s + eps) g;
         * w <- w - lr g'; dx <- rho dx + (1-rho) g'^2 (course O-09, lr = 1) */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            s0[i] = rho * s0[i] + (1 - rho) * gi * gi;
            float gp = sqrtf(s1[i] + eps) / sqrtf(s0[i] + eps) * gi;
            p[i] -= lr * gp;
            s1[i] = rho * s1[i] + (1 - rho) * gp * gp;
        }
        break;
    case NN_OPT_ADAM:
    case NN_OPT_ADAMW: {
        /* m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; w <- w - lr m^/(sqrt(v^) + eps),
         * m^ = m/(1-b1^t), v^ = v/(1-b2^t): eps outside the root as in the paper (the
         * course puts it inside, 001:811). AdamW first decays w <- w - lr wd w
         * (decoupled, Loshchilov & Hutter) and adds nothing to g. */
        const float decay = o->kind == NN_OPT_ADAMW ? lr * h->weight_decay : 0;
        const float a = lr / c1, ic2 = 1 / c2;
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            p[i] -= decay * p[i];
            s0[i] = b1 * s0[i] + (1 - b1) * gi;
            s1[i] = b2 * s1[i] + (1 - b2) * gi * gi;
            p[i] -= a * s0[i] / (sqrtf(s1[i] * ic2) + eps);
        }
        break;
    }
    case NN_OPT_NADAM:
        /* Adam with a Nesterov look-ahead on m (Dozat 2016, no momentum schedule):
         * w <- w - lr (b1 m^ + (1-b1) g/(1-b1^t)) / (sqrt(v^) + eps) */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            s0[i] = b1 * s0[i] + (1 - b1) * gi;
            s1[i] = b2 * s1[i] + (1 - b2) * gi * gi;
            float mbar = (b1 * s0[i] + (1 - b1) * gi) / c1;
            p[i] -= lr * mbar / (sqrtf(s1[i] / c2) + eps);
        }
        break;
    case NN_OPT_RPROP:
        /* iRprop- (Igel & Huesken): the sign of g g_prev grows (eta+) or shrinks
         * (eta-) the step, clamped to [step_min, step_max]; after a sign change the
         * step is skipped and g_prev forgotten. w <- w - sign(g) step. */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i], sg = gi * s0[i];
            if (sg > 0) {
                s1[i] = fminf(s1[i] * h->eta_plus, h->step_max);
            } else if (sg < 0) {
                s1[i] = fmaxf(s1[i] * h->eta_minus, h->step_min);
                gi = 0;
            }
            p[i] -= (float)((gi > 0) - (gi < 0)) * s1[i];
            s0[i] = gi;
        }
        break;
    case NN_OPT_COUNT:
        break;
    }
}

static void update(nn_optim *o, float *p, const float *g, int64_t n, int64_t soff) {
    unsigned mode = flush_subnormals();
    update_rule(o, p, g, n, soff);
    restore_subnormals(mode);
}

/* A span [a, b) of the parameters. */
typedef struct range {
    int64_t a, b;
} range;

/* Sum of squares in four independent vectors of 8 float lanes, added up in double per
 * block of 4096 (in a fixed order: the same bits whatever calls it). One vector was a
 * chain of dependent adds, bound by their latency: the pass over the MLP's 235k
 * gradients took a third as long as the Adam update after it; four chains keep the
 * adder busy and the pass bound by the loads. */
typedef float ss_lanes __attribute__((vector_size(8 * sizeof(float))));
NN_VECTOR_CLONES static double sum_sq(const float *g, int64_t n) {
    double tot = 0;
    for (int64_t i0 = 0; i0 < n; i0 += 4096) {
        ss_lanes a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, x0, x1, x2, x3;
        int64_t end = i0 + 4096 < n ? i0 + 4096 : n, i = i0;
        for (; i + 32 <= end; i += 32) {
            memcpy(&x0, g + i, sizeof x0), memcpy(&x1, g + i + 8, sizeof x1);
            memcpy(&x2, g + i + 16, sizeof x2), memcpy(&x3, g + i + 24, sizeof x3);
            a0 += x0 * x0, a1 += x1 * x1, a2 += x2 * x2, a3 += x3 * x3;
        }
        float rest = 0;
        for (; i < end; i++) rest += g[i] * g[i];
        ss_lanes sum = (a0 + a1) + (a2 + a3);
        for (int k = 0; k < 8; k++) tot += sum[k];
        tot += rest;
    }
    return tot;
}

/* Clips g over the ranges by the settings; norm is g's before clipping, returned. */
static double clip(const nn_optim_hp *h, float *g, const range *r, int nr, double norm) {
    if (h->clip_value > 0)
        for (int k = 0; k < nr; k++)
            for (int64_t i = r[k].a; i < r[k].b; i++)
                g[i] = fminf(fmaxf(g[i], -h->clip_value), h->clip_value);
    if (h->clip_norm > 0) {
        double ss2 = 0;
        for (int k = 0; k < nr; k++)
            for (int64_t i = r[k].a; i < r[k].b; i++) ss2 += (double)g[i] * g[i];
        double n2 = sqrt(ss2);
        if (n2 > h->clip_norm) {
            float s = (float)(h->clip_norm / n2);
            for (int k = 0; k < nr; k++)
                for (int64_t i = r[k].a; i < r[k].b; i++) g[i] *= s;
        }
    }
    return norm;
}

/* A gradient with a NaN (or an infinity that clip_value does not clamp) would turn
 * every parameter it reaches into NaN: refused (true) with a message naming the
 * first such component, 1-based over the parts (at, bad: its place and value), before
 * anything changes: the parameters, state and step count stay as they were. */
static bool refuse_nonfinite(nn_optim *o, double norm, int64_t at, float bad) {
    if (at == 0 || (!isnan(norm) && !(isinf(norm) && !(o->hp.clip_value > 0)))) return false;
    nn_errorf(o->ctx, NN_EARG,
              "%s: the gradient has a%s at component %lld, so the parameters were left "
              "unchanged; look for a NaN in the data or the loss, or a learning rate so high "
              "that the weights overflowed (try a smaller lr or clip_norm)",
              optim_names[o->kind], isnan(bad) ? " NaN" : "n infinity", (long long)at);
    return true;
}

/* The first component of g over the ranges that is not finite (1-based), and its value. */
static int64_t first_nonfinite(const float *g, const range *r, int nr, float *bad) {
    int64_t seen = 0;
    for (int k = 0; k < nr; seen += r[k].b - r[k].a, k++)
        for (int64_t i = r[k].a; i < r[k].b; i++)
            if (!isfinite(g[i])) return *bad = g[i], seen + (i - r[k].a) + 1;
    return *bad = NAN, 0;
}

/* From this many parameters on, a step's two passes over them (the sum of squares,
 * then the update) each run as two fixed halves of the parameters (nn_par_halves): on
 * the engine's two threads when it may use two. The halves are fixed by the count
 * alone and the two sums of squares added in half order, so one thread and two give
 * the same bits; the update is elementwise, so the split changes none of it. The MLP
 * benchmark's Adam (235k parameters, 28 bytes each a step) is bound by memory, and a
 * core's share of it is: two cores move it in about half the time. */
#define SPLIT_PARAMS (1 << 16)

typedef struct ranges_job {
    nn_optim *o;
    float *p, *g;
    const range *r;
    int nr;
    bool update;   /* the update; else the sums of squares */
    int64_t split; /* half 1 starts here, counted over the ranges laid end to end */
    int64_t total; /* parameters over the ranges */
    double ss[2];  /* each half's sum of squares */
} ranges_job;

/* Half `part` of a pass: the pieces of the ranges in its span [a, b) of the count. */
static void ranges_half(void *arg, int part) {
    ranges_job *j = arg;
    int64_t a = part ? j->split : 0, b = part ? j->total : j->split, seen = 0;
    double ss = 0;
    for (int k = 0; k < j->nr && seen < b; k++) {
        int64_t len = j->r[k].b - j->r[k].a;
        int64_t lo = a > seen ? a - seen : 0, hi = b < seen + len ? b - seen : len;
        seen += len;
        if (lo >= hi) continue;
        int64_t at = j->r[k].a + lo;
        if (j->update)
            update(j->o, j->p + at, j->g + at, hi - lo, at);
        else
            ss += sum_sq(j->g + at, hi - lo);
    }
    j->ss[part] = ss;
}

static void ranges_pass(ranges_job *j, bool upd) {
    j->update = upd;
    if (j->split < j->total) {
        nn_par_halves(ranges_half, j);
    } else {
        ranges_half(j, 0);
        j->ss[1] = 0;
    }
}

static double step_ranges(nn_optim *o, float *p, float *g, const range *r, int nr) {
    ranges_job j = {.o = o, .p = p, .g = g, .r = r, .nr = nr};
    for (int k = 0; k < nr; k++) j.total += r[k].b - r[k].a;
    j.split = j.total >= SPLIT_PARAMS ? j.total / 2 / 16 * 16 : j.total; /* on a 64-byte line */
    ranges_pass(&j, false);
    double ss = j.ss[0] + j.ss[1];
    if (!isfinite(ss)) {
        float bad;
        int64_t at = first_nonfinite(g, r, nr, &bad);
        if (refuse_nonfinite(o, sqrt(ss), at, bad)) return NAN;
    }
    double norm = clip(&o->hp, g, r, nr, sqrt(ss));
    o->t++;
    ranges_pass(&j, true);
    return norm;
}

double nn_optim_step(nn_optim *o, float *p, float *g) {
    range all = {0, o->n};
    return step_ranges(o, p, g, &all, 1);
}

double nn_optim_step_parts(nn_optim *o, float *const *p, float *const *g, const int64_t *n,
                           int parts) {
    int64_t tot = 0;
    double ss = 0;
    for (int k = 0; k < parts; k++) {
        tot += n[k];
        if (p[k])
            for (int64_t i = 0; i < n[k]; i++) ss += (double)g[k][i] * g[k][i];
    }
    if (tot != o->n) {
        nn_errorf(o->ctx, NN_ESHAPE, "%s: made for %lld parameters, given %lld",
                  optim_names[o->kind], (long long)o->n, (long long)tot);
        return NAN;
    }
    double norm = sqrt(ss), scale = 1;
    if (!isfinite(norm)) {
        int64_t seen = 0, at = 0;
        float bad = NAN;
        for (int k = 0; k < parts && !at; seen += n[k], k++)
            for (int64_t i = 0; p[k] && i < n[k]; i++)
                if (!isfinite(g[k][i])) {
                    at = seen + i + 1, bad = g[k][i];
                    break;
                }
        if (refuse_nonfinite(o, norm, at, bad)) return NAN;
    }
    const nn_optim_hp *h = &o->hp;
    if (h->clip_value > 0 || h->clip_norm > 0) { /* as clip(), across the parts */
        double ss2 = 0;
        for (int k = 0; k < parts; k++)
            for (int64_t i = 0; p[k] && i < n[k]; i++) {
                if (h->clip_value > 0)
                    g[k][i] = fminf(fmaxf(g[k][i], -h->clip_value), h->clip_value);
                ss2 += (double)g[k][i] * g[k][i];
            }
        if (h->clip_norm > 0 && sqrt(ss2) > h->clip_norm) scale = h->clip_norm / sqrt(ss2);
        if (scale != 1)
            for (int k = 0; k < parts; k++)
                for (int64_t i = 0; p[k] && i < n[k]; i++) g[k][i] *= (float)scale;
    }
    o->t++;
    int64_t off = 0;
    for (int k = 0; k < parts; k++) {
        if (p[k]) update(o, p[k], g[k], n[k], off);
        off += n[k];
    }
    return norm;
}

/* The ranges of the leaves that are not frozen, merged when adjacent. Up to
 * SMALL_RANGES of them fit in the struct (no allocation in a training step); a model
 * with more separate trainable parts (every other layer of a deep net frozen) grows
 * a heap array for that step. */
#define SMALL_RANGES 64
typedef struct ranges {
    range small[SMALL_RANGES];
    range *r; /* small, or the heap */
    int n, cap;
    bool oom;
    int64_t base;
    nn_ctx *ctx;
} ranges;

static void add_leaf(nn_module *leaf, void *user) {
    ranges *rs = user;
    if (leaf->frozen || rs->oom) return;
    int64_t a = leaf->off - rs->base, b = a + leaf->np;
    if (rs->n > 0 && rs->r[rs->n - 1].b == a) {
        rs->r[rs->n - 1].b = b;
        return;
    }
    if (rs->n == rs->cap) {
        range *bigger = nn_malloc(rs->ctx, (size_t)rs->cap * 2 * sizeof *bigger);
        if (!bigger) {
            rs->oom = true;
            return;
        }
        memcpy(bigger, rs->r, (size_t)rs->n * sizeof *bigger);
        if (rs->r != rs->small) nn_mfree(rs->r);
        rs->r = bigger, rs->cap *= 2;
    }
    rs->r[rs->n++] = (range){a, b};
}

double nn_optim_step_module(nn_optim *o, nn_module *m) {
    if (m->np != o->n) {
        nn_errorf(o->ctx, NN_ESHAPE, "%s: made for %lld parameters, the model has %lld",
                  optim_names[o->kind], (long long)o->n, (long long)m->np);
        return NAN;
    }
    const nn_module_def *d = nn_module_def_of(m);
    if (d->optim_step) return d->optim_step(o, m);
    float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
    if (!m->frozen && m->nkids == 0) return nn_optim_step(o, p, g);
    ranges rs = {.cap = SMALL_RANGES, .base = m->off, .ctx = o->ctx};
    rs.r = rs.small;
    nn_module_each_leaf(m, add_leaf, &rs);
    double norm = NAN;
    if (rs.oom)
        nn_errorf(o->ctx, NN_ENOMEM, "%s: out of memory for %d trainable parts",
                  optim_names[o->kind], rs.n);
    else
        norm = step_ranges(o, p, g, rs.r, rs.n);
    if (rs.r != rs.small) nn_mfree(rs.r);
    return norm;
}

void nn_optim_effective_lr(const nn_optim *o, float *out) {
    const nn_optim_hp *h = &o->hp;
    const float *s0 = o->state, *s1 = o->state ? o->state + o->n : NULL;
    double t = o->t > 0 ? (double)o->t : 1;
    for (int64_t i = 0; i < o->n; i++) {
        switch (o->kind) {
        case NN_OPT_ADAGRAD:
        case NN_OPT_RMSPROP:
            out[i] = h->lr / sqrtf(s0[i] + h->eps);
            break;
        case NN_OPT_ADADELTA:
            out[i] = h->lr * sqrtf(s1[i] + h->eps) / sqrtf(s0[i] + h->eps);
            break;
        case NN_OPT_ADAM:
        case NN_OPT_ADAMW:
        case NN_OPT_NADAM: /* the factor in front of the first moment m */
            out[i] = (float)(h->lr / (1 - pow(h->beta1, t)) /
                             (sqrt(s1[i] / (1 - pow(h->beta2, t))) + h->eps));
            break;
        case NN_OPT_RPROP:
            out[i] = s1[i];
            break;
        default:
            out[i] = h->lr;
            break;
        }
    }
}
