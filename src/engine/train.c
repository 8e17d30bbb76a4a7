/* train.c: the training loop in C: epochs over shuffled mini-batches, validation,
 * metrics, early stopping that restores the best weights, callbacks every N steps
 * or M milliseconds, and time slicing (nn_run_for) so the REPL can run it as a
 * background job. All buffers are sized when the run is made: a step allocates
 * nothing. Also the evaluation of a model on a set and the LR range test. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "module_internal.h"

#define EVAL_BATCH 256

struct nn_run {
    nn_ctx *ctx;
    nn_module *m;
    nn_optim *o;
    const nn_dataset *tr, *va;
    nn_fit_opts opts;
    float *cw; /* copied class weights */
    int batch, spe, k;
    int xnd, xshape[NN_MAX_DIMS]; /* a batch's shape (the last batch may be smaller) */
    bool regularized;             /* the loss reported includes the penalty */
    int *perm;
    float *xb, *yb, *tb, *dy; /* batch inputs, targets, one-hot targets, d(loss)/dy */
    int epoch, pos;
    int64_t step;
    double ep_loss;
    int64_t ep_correct, ep_labels; /* labels right and counted (a tagger's: its steps) */
    int ep_seen;
    nn_epoch_rec *hist;
    float *losses; /* one per step, sized epochs*spe */
    float *best;   /* the best epoch's parameters, then its batch-norm statistics */
    /* The last safe point: parameters, batch-norm statistics, the optimizer's state and
     * step count at the start of the run, or of the epoch after the lowest epoch loss
     * (safe_loss; the first step's loss for the start). Put back when the loss stops
     * being finite, so that the message's advice (a smaller lr) can be followed on the
     * same model and optimizer: weights that merely grew huge before the NaN are not. */
    float *safe;
    int64_t safe_steps;
    double safe_loss;
    int safe_epoch;
    double first_loss; /* the first step's, to tell a diverging run (see DIVERGED) */
    float *lrs;        /* opts.lr_steps copied, or NULL */
    int classes;       /* of the training set; 0 for regression */
    bool val_classes;  /* the validation set has the same classes (copied: the sets may
                        * be freed once the run has ended, and its records still read) */
    /* Confusion matrices classes x classes: of this epoch's training batches so far,
     * then of the last finished epoch's training batches and validation set. */
    int64_t *cm_epoch, *cm_train, *cm_val;
    double best_val;
    int best_epoch, since_best;
    nn_run_state state;
    char msg[2 * NN_ERR_LEN]; /* a NaN message with its advice is longer than an error */
    double t0_epoch, last_cb_ms;
    int64_t last_cb_step;
};

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double run_clock(const nn_run *r) {
    return r->opts.clock_ms ? r->opts.clock_ms(r->opts.user) : now_ms();
}

/* Kept here, beside the loop that saves and restores the mode, because module.c has
 * only the setter. */
bool nn_module_training(const nn_module *m) {
    const nn_module_def *d = nn_module_def_of(m);
    return d->is_training ? d->is_training(m) : m->training;
}

nn_metrics nn_metrics_reported(const int64_t *cm, int classes) {
    if (classes != 2) return nn_metrics_from_confusion(cm, classes);
    nn_metrics mt = nn_metrics_from_confusion(cm, classes);            /* its accuracy */
    double tp = (double)cm[3], fp = (double)cm[1], fn = (double)cm[2]; /* row = true */
    mt.precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    mt.recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    mt.f1 = mt.precision + mt.recall > 0 ? 2 * mt.precision * mt.recall / (mt.precision + mt.recall)
                                         : 0;
    return mt;
}

static bool needs_index(nn_loss_kind l) {
    return l == NN_LOSS_CE || l == NN_LOSS_MULTI_HINGE;
}

/* The class threshold of a single output: 0 for logits, 1/2 for probabilities. */
static float threshold_of(nn_loss_kind l) {
    return l == NN_LOSS_BCE || l == NN_LOSS_HINGE ? 0.0f : 0.5f;
}

/* Targets of rows [0,B) for the loss: labels as they are, or one-hot rows when the
 * loss wants one column per class of a classification set. */
static const float *targets(const nn_dataset *d, const float *y, int B, int k, nn_loss_kind l,
                            float *tb, int *tcols) {
    if (d->classes > 0 && k > 1 && !needs_index(l) && d->ny == 1) {
        memset(tb, 0, (size_t)B * k * sizeof(float));
        for (int r = 0; r < B; r++) {
            int c = (int)y[r];
            if (c >= 0 && c < k) tb[(int64_t)r * k + c] = 1;
        }
        *tcols = k;
        return tb;
    }
    *tcols = d->ny;
    return y;
}

/* The shape of a batch of b samples of d's x into shape[]; returns its ndim. */
static int batch_shape(const nn_dataset *d, int b, int *shape) {
    shape[0] = b;
    for (int i = 0; i < d->x_ndim; i++) shape[i + 1] = d->x_shape[i];
    return d->x_ndim + 1;
}

/* Floats of one sample of m's output on d's samples (the loss reads outputs as
 * [batch, k]), or a negative code with the message "<who>: ..." naming the shapes. */
static int out_width(nn_ctx *ctx, const char *who, nn_module *m, const nn_dataset *d) {
    int in[NN_MAX_DIMS], out[NN_MAX_DIMS];
    int nd = nn_module_out_shape(m, batch_shape(d, 1, in), in, out);
    if (nd < 0) {
        char msg[NN_ERR_LEN];
        snprintf(msg, sizeof msg, "%s", nn_error(ctx));
        return nn_errorf(ctx, nd, "%s: %s", who, msg);
    }
    if (nd == 0)
        return nn_errorf(ctx, NN_ESHAPE, "%s: the output shape of %s is known only by running it",
                         who, nn_module_name(m));
    int64_t k = 1;
    for (int i = 1; i < nd; i++) k *= out[i];
    return (int)k;
}

int nn_evaluate(nn_ctx *ctx, nn_module *m, const nn_dataset *d, nn_loss_kind loss, float delta,
                double *loss_out, double *acc_out, int64_t *cm) {
    int k = out_width(ctx, "evaluate", m, d), B = d->n < EVAL_BATCH ? d->n : EVAL_BATCH;
    if (k < 0) return k;
    int shape[NN_MAX_DIMS], nd = batch_shape(d, B, shape);
    float *tb = nn_malloc(ctx, (size_t)B * k * sizeof(float));
    if (!tb) return NN_ENOMEM;
    bool was = nn_module_training(m);
    nn_module_train(m, false);
    double tot = 0;
    int64_t correct = 0, labels = 0;
    int rc = NN_OK;
    for (int s = 0; s < d->n && rc == NN_OK; s += B) {
        int b = d->n - s < B ? d->n - s : B, tcols;
        const float *y, *yl = d->y + (int64_t)s * d->ny;
        shape[0] = b;
        if ((rc = nn_module_forward(m, d->x + (int64_t)s * d->nx, nd, shape, &y))) break;
        const float *t = targets(d, yl, b, k, loss, tb, &tcols);
        double l;
        if ((rc = nn_loss(ctx, loss, y, b, k, t, tcols, NULL, delta, &l, NULL))) break;
        tot += l * b;
        if (d->classes > 0) {
            int64_t right;
            labels +=
                nn_labels_score(y, b, k, yl, d->ny, d->classes, threshold_of(loss), cm, &right);
            correct += right;
        }
    }
    nn_module_train(m, was);
    nn_mfree(tb);
    if (rc) return rc;
    if (loss_out) *loss_out = tot / d->n;
    if (acc_out) *acc_out = d->classes > 0 && labels > 0 ? (double)correct / labels : NAN;
    return NN_OK;
}

int nn_fit_batch(int batch, int n) {
    return batch <= 0 || batch > n ? n : batch;
}

/* The options' values, each named with its value when out of range. */
static int check_opts(nn_ctx *ctx, const nn_fit_opts *o) {
    if (o->epochs < 1)
        return nn_errorf(ctx, NN_EARG, "fit: epochs must be >= 1, got %d", o->epochs);
    if (o->batch < 0)
        return nn_errorf(ctx, NN_EARG, "fit: batch must be >= 1 (or 0: the whole set), got %d",
                         o->batch);
    if (o->patience < 0)
        return nn_errorf(ctx, NN_EARG, "fit: patience must be >= 0 (0: no early stopping), got %d",
                         o->patience);
    if (!(o->min_delta >= 0))
        return nn_errorf(ctx, NN_EARG, "fit: min_delta must be >= 0, got %g", o->min_delta);
    if (o->loss == NN_LOSS_HUBER && !(o->huber_delta > 0))
        return nn_errorf(ctx, NN_EARG, "fit: delta (of the Huber loss) must be > 0, got %g",
                         o->huber_delta);
    if (o->every_steps < 0)
        return nn_errorf(ctx, NN_EARG, "fit: every must be >= 0 steps, got %d", o->every_steps);
    if (!(o->every_ms >= 0))
        return nn_errorf(ctx, NN_EARG, "fit: every_ms must be >= 0, got %g", o->every_ms);
    if (o->sched.lr0 > 0 && nn_sched_check(ctx, &o->sched)) return NN_EARG;
    return NN_OK;
}

/* Whether v[0..n) holds a NaN or an infinity: x * 0 is NaN exactly for those, summed
 * in 8 float lanes a block (vectorizes: about the cost of reading the set once). */
static bool any_nonfinite(const float *v, int64_t n) {
    for (int64_t i0 = 0; i0 < n; i0 += 4096) {
        float acc[8] = {0};
        int64_t end = i0 + 4096 < n ? i0 + 4096 : n, i = i0;
        for (; i + 8 <= end; i += 8)
            for (int k = 0; k < 8; k++) acc[k] += v[i + k] * 0.0f;
        for (; i < end; i++) acc[0] += v[i] * 0.0f;
        for (int k = 0; k < 8; k++)
            if (acc[k] != acc[k]) return true;
    }
    return false;
}

/* A NaN or infinity in d's inputs or targets, refused before the run starts (else it
 * surfaces as a NaN loss blamed on the learning rate), named by its row and column
 * (1-based, as Lua counts; columns of a sample flattened). Checked once per set per
 * fit: one pass over the data, small beside an epoch. */
static int check_finite_data(nn_ctx *ctx, const nn_dataset *d, const char *which) {
    for (int part = 0; part < 2; part++) {
        const float *v = part ? d->y : d->x;
        int w = part ? d->ny : d->nx;
        if (!v || !any_nonfinite(v, (int64_t)d->n * w)) continue;
        for (int64_t i = 0; i < (int64_t)d->n * w; i++)
            if (!isfinite(v[i]))
                return nn_errorf(ctx, NN_EARG, "fit: the %s %s a %s at row %lld, column %lld",
                                 which, part ? "targets have" : "data has",
                                 isnan(v[i]) ? "NaN"
                                 : v[i] > 0  ? "+inf"
                                             : "-inf",
                                 (long long)(i / w + 1), (long long)(i % w + 1));
    }
    return NN_OK;
}

nn_run *nn_run_new(nn_ctx *ctx, nn_module *m, nn_optim *o, const nn_dataset *tr,
                   const nn_dataset *va, const nn_fit_opts *opts) {
    int in = nn_module_in(m);
    if (in && tr->x_ndim == 1 && in != tr->nx) {
        nn_errorf(ctx, NN_ESHAPE, "fit: the model takes %d features, the data has %d", in, tr->nx);
        return NULL;
    }
    if (va && va->nx != tr->nx) {
        nn_errorf(ctx, NN_ESHAPE, "fit: validation data has %d features, training data %d", va->nx,
                  tr->nx);
        return NULL;
    }
    bool same_shape = !va || va->x_ndim == tr->x_ndim;
    for (int i = 0; va && same_shape && i < tr->x_ndim; i++)
        same_shape = va->x_shape[i] == tr->x_shape[i];
    if (!same_shape) {
        int a[NN_MAX_DIMS], b[NN_MAX_DIMS];
        char sa[64], sb[64];
        nn_errorf(ctx, NN_ESHAPE, "fit: validation samples are %s, training samples %s",
                  nn_dims_str(batch_shape(va, 1, a) - 1, a + 1, sa, sizeof sa),
                  nn_dims_str(batch_shape(tr, 1, b) - 1, b + 1, sb, sizeof sb));
        return NULL;
    }
    int k = out_width(ctx, "fit", m, tr);
    if (k < 0) return NULL;
    if (nn_optim_size(o) != nn_module_nparams(m)) {
        nn_errorf(ctx, NN_ESHAPE, "fit: the optimizer is for %lld parameters, the model has %lld",
                  (long long)nn_optim_size(o), (long long)nn_module_nparams(m));
        return NULL;
    }
    if (check_opts(ctx, opts)) return NULL;
    if (check_finite_data(ctx, tr, "training") || (va && check_finite_data(ctx, va, "validation")))
        return NULL;
    /* said before the run starts rather than as a failure of its first step */
    if (nn_loss_check_weights(ctx, opts->loss, opts->class_weights)) return NULL;
    nn_run *r = nn_calloc(ctx, 1, sizeof *r);
    if (!r) return NULL;
    r->ctx = ctx, r->m = m, r->o = o, r->tr = tr, r->va = va, r->opts = *opts;
    r->batch = nn_fit_batch(opts->batch, tr->n);
    r->spe = (tr->n + r->batch - 1) / r->batch;
    r->k = k;
    r->xnd = batch_shape(tr, r->batch, r->xshape);
    r->regularized = nn_module_regularized(m);
    int64_t B = r->batch, total = (int64_t)opts->epochs * r->spe;
    int ncw = tr->classes > 0 ? tr->classes : 2;
    r->perm = nn_malloc(ctx, (size_t)tr->n * sizeof(int));
    r->xb = nn_malloc(ctx, (size_t)(B * tr->nx) * sizeof(float));
    r->yb = nn_malloc(ctx, (size_t)(B * tr->ny) * sizeof(float));
    r->tb = nn_malloc(ctx, (size_t)(B * r->k) * sizeof(float));
    r->dy = nn_malloc(ctx, (size_t)(B * r->k) * sizeof(float));
    r->hist = nn_calloc(ctx, (size_t)opts->epochs, sizeof *r->hist);
    r->losses = nn_malloc(ctx, (size_t)total * sizeof(float));
    r->best =
        nn_malloc(ctx, (size_t)(nn_module_nparams(m) + nn_module_stats_size(m)) * sizeof(float));
    r->safe = nn_malloc(
        ctx, (size_t)(nn_module_nparams(m) * (1 + nn_optim_nstate(o)) + nn_module_stats_size(m)) *
                 sizeof(float));
    if (opts->class_weights && (r->cw = nn_malloc(ctx, (size_t)ncw * sizeof(float))))
        memcpy(r->cw, opts->class_weights, (size_t)ncw * sizeof(float));
    bool lrs_ok = true;
    if (opts->lr_steps && opts->n_lr_steps > 0) {
        r->lrs = nn_malloc(ctx, (size_t)opts->n_lr_steps * sizeof(float));
        if ((lrs_ok = r->lrs != NULL))
            memcpy(r->lrs, opts->lr_steps, (size_t)opts->n_lr_steps * sizeof(float));
    }
    r->classes = tr->classes > 0 ? tr->classes : 0;
    r->val_classes = va && va->classes == r->classes;
    bool cm_ok = true;
    if (r->classes > 0 && r->classes <= NN_CONFUSION_MAX_CLASSES) {
        size_t cc = (size_t)r->classes * r->classes;
        r->cm_epoch = nn_calloc(ctx, 3 * cc, sizeof(int64_t));
        cm_ok = r->cm_epoch != NULL;
        if (cm_ok) r->cm_train = r->cm_epoch + cc, r->cm_val = r->cm_epoch + 2 * cc;
    }
    if (!r->perm || !r->xb || !r->yb || !r->tb || !r->dy || !r->hist || !r->losses || !r->best ||
        !r->safe || (opts->class_weights && !r->cw) || !lrs_ok || !cm_ok) {
        nn_run_free(r);
        return NULL;
    }
    r->opts.class_weights = r->cw;
    for (int i = 0; i < tr->n; i++) r->perm[i] = i;
    r->best_val = INFINITY;
    r->state = NN_RUN_RUNNING;
    r->last_cb_ms = run_clock(r);
    return r;
}

void nn_run_free(nn_run *r) {
    if (!r) return;
    nn_mfree(r->perm);
    nn_mfree(r->xb);
    nn_mfree(r->yb);
    nn_mfree(r->tb);
    nn_mfree(r->dy);
    nn_mfree(r->hist);
    nn_mfree(r->losses);
    nn_mfree(r->best);
    nn_mfree(r->safe);
    nn_mfree(r->cw);
    nn_mfree(r->lrs);
    nn_mfree(r->cm_epoch);
    nn_mfree(r);
}

static void fail(nn_run *r, nn_run_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(nn_run *r, nn_run_state st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    r->state = st;
}

/* Keeps (or, with keep false, puts back) the parameters, batch-norm statistics and the
 * optimizer's state and step count as the safe point. */
static void safe_copy(nn_run *r, bool keep) {
    int64_t np = nn_module_nparams(r->m);
    size_t bytes = (size_t)np * sizeof(float);
    float *at = nn_module_params_copy(r->m, r->safe, keep);
    at = nn_module_stats_copy(r->m, at, keep);
    for (int i = 0; i < nn_optim_nstate(r->o); i++, at += np) {
        float *state = nn_optim_state(r->o, i);
        memcpy(keep ? at : state, keep ? state : at, bytes);
    }
    if (keep)
        r->safe_steps = nn_optim_steps(r->o);
    else
        nn_optim_set_steps(r->o, r->safe_steps);
}

/* The best epoch's weights and batch-norm statistics, kept and put back. */
static void save_best(nn_run *r) {
    nn_module_stats_copy(r->m, nn_module_params_copy(r->m, r->best, true), true);
}

static void restore_best(nn_run *r) {
    if (r->best_epoch <= 0) return;
    nn_module_stats_copy(r->m, nn_module_params_copy(r->m, r->best, false), false);
}

/* A run whose epoch loss grows past DIVERGED times its first step's has diverged
 * (Adam at lr 1e6 ends near 1e10 from 0.7): it ends "failed", as a non-finite loss
 * does, with the weights put back, rather than "done" with useless weights. Checked
 * on epochs, not steps, so one noisy batch does not end a run; 1000x is far past the
 * noise of a working run (a few x early on) and well before floats overflow. A model
 * trained before starts near 0 (1e-7), where 1000x is still a tiny loss, so the base
 * is at least DIVERGED_FLOOR: a loss must also be large to count as diverged. */
#define DIVERGED       1e3
#define DIVERGED_FLOOR 1e-2

/* Epoch end: validation, history, early stopping. Returns false when the run ended. */
static bool end_epoch(nn_run *r) {
    nn_epoch_rec *h = &r->hist[r->epoch];
    h->loss = r->ep_loss / r->ep_seen;
    if (h->loss < r->safe_loss) { /* the weights now start the next epoch */
        safe_copy(r, true);
        r->safe_loss = h->loss, r->safe_epoch = r->epoch + 2;
    }
    h->acc = r->classes > 0 && r->ep_labels > 0 ? (double)r->ep_correct / r->ep_labels : NAN;
    h->val_loss = h->val_acc = NAN;
    h->precision = h->recall = h->f1 = NAN;
    h->val_precision = h->val_recall = h->val_f1 = NAN;
    int c = r->classes;
    size_t cm_bytes = (size_t)c * c * sizeof(int64_t);
    if (r->cm_epoch) {
        memcpy(r->cm_train, r->cm_epoch, cm_bytes);
        memset(r->cm_epoch, 0, cm_bytes);
        nn_metrics mt = nn_metrics_reported(r->cm_train, c);
        h->precision = mt.precision, h->recall = mt.recall, h->f1 = mt.f1;
    }
    if (r->va) {
        if (r->cm_epoch) memset(r->cm_val, 0, cm_bytes);
        int64_t *cm = r->cm_epoch && r->va->classes == c ? r->cm_val : NULL;
        int rc = nn_evaluate(r->ctx, r->m, r->va, r->opts.loss, r->opts.huber_delta, &h->val_loss,
                             &h->val_acc, cm);
        if (rc) { /* stopped in the model's forward (Ctrl-C): stays stopped */
            if (r->state == NN_RUN_RUNNING) fail(r, NN_RUN_FAILED, "%s", nn_error(r->ctx));
            return false;
        }
        if (cm) {
            nn_metrics mt = nn_metrics_reported(cm, c);
            h->val_precision = mt.precision, h->val_recall = mt.recall, h->val_f1 = mt.f1;
        }
    }
    h->seconds = (run_clock(r) - r->t0_epoch) / 1e3;
    r->epoch++;
    r->pos = 0;
    r->ep_loss = 0;
    r->ep_correct = r->ep_labels = 0;
    r->ep_seen = 0;
    double base = r->first_loss > DIVERGED_FLOOR ? r->first_loss : DIVERGED_FLOOR;
    if (r->first_loss > 0 && h->loss > DIVERGED * base) {
        safe_copy(r, false);
        fail(r, NN_RUN_FAILED,
             "the loss diverged: epoch %d's loss %.4g is over %g times the first step's (%.4g): "
             "the learning rate (%g) is too high; try a smaller lr or gradient clipping "
             "(clip_norm). The weights and the optimizer are put back as they were at the "
             "start of epoch %d (loss %.4g)",
             r->epoch, h->loss, DIVERGED, r->first_loss, (double)nn_optim_hparams(r->o)->lr,
             r->safe_epoch, r->safe_loss);
        return false;
    }
    if (r->opts.patience > 0) {
        double v = r->va ? h->val_loss : h->loss;
        if (v < r->best_val - r->opts.min_delta) {
            r->best_val = v;
            r->best_epoch = r->epoch;
            r->since_best = 0;
            save_best(r);
        } else if (++r->since_best >= r->opts.patience) {
            restore_best(r);
            fail(r, NN_RUN_STOPPED,
                 "early stopping after epoch %d: no improvement of the %s loss for %d epochs; "
                 "restored the weights of epoch %d",
                 r->epoch, r->va ? "validation" : "training", r->opts.patience, r->best_epoch);
        }
    }
    if (r->opts.callback && r->opts.callback(r, true, r->opts.user) && r->state == NN_RUN_RUNNING)
        fail(r, NN_RUN_STOPPED, "stopped by the callback after epoch %d", r->epoch);
    if (r->state == NN_RUN_RUNNING && r->epoch >= r->opts.epochs) {
        if (r->opts.patience > 0) restore_best(r);
        r->state = NN_RUN_DONE;
    }
    return r->state == NN_RUN_RUNNING;
}

/* One mini-batch step. Returns false when the run ended. */
static bool step(nn_run *r) {
    const nn_dataset *d = r->tr;
    if (r->pos == 0) {
        r->t0_epoch = run_clock(r);
        if (r->step == 0) safe_copy(r, true), r->safe_loss = INFINITY, r->safe_epoch = 1;
        if (r->opts.shuffle)
            for (int i = d->n - 1; i > 0; i--) {
                int j = (int)nn_rand_below(r->ctx, (uint32_t)i + 1), t = r->perm[i];
                r->perm[i] = r->perm[j], r->perm[j] = t;
            }
    }
    int s = r->pos * r->batch, B = d->n - s < r->batch ? d->n - s : r->batch, k = r->k, tcols;
    for (int i = 0; i < B; i++) {
        int row = r->perm[s + i];
        memcpy(r->xb + (int64_t)i * d->nx, d->x + (int64_t)row * d->nx,
               (size_t)d->nx * sizeof(float));
        memcpy(r->yb + (int64_t)i * d->ny, d->y + (int64_t)row * d->ny,
               (size_t)d->ny * sizeof(float));
    }
    nn_optim_hp *hp = nn_optim_hparams(r->o);
    if (r->lrs)
        hp->lr = r->lrs[r->step < r->opts.n_lr_steps ? r->step : r->opts.n_lr_steps - 1];
    else if (r->opts.sched.lr0 > 0)
        hp->lr = nn_sched_lr(&r->opts.sched, r->step);
    const float *y;
    double loss;
    nn_module_zero_grad(r->m);
    r->xshape[0] = B;
    int rc = nn_module_forward(r->m, r->xb, r->xnd, r->xshape, &y);
    const float *t = targets(d, r->yb, B, k, r->opts.loss, r->tb, &tcols);
    if (!rc)
        rc = nn_loss(r->ctx, r->opts.loss, y, B, k, t, tcols, r->opts.class_weights,
                     r->opts.huber_delta, &loss, r->dy);
    if (rc) { /* a run stopped during the forward (Ctrl-C in a model's callback) stays so */
        if (r->state == NN_RUN_RUNNING)
            fail(r, NN_RUN_FAILED, "step %lld: %s", (long long)r->step + 1, nn_error(r->ctx));
        return false;
    }
    if (!isfinite(loss)) {
        safe_copy(r, false);
        fail(r, NN_RUN_FAILED,
             "the loss became %s at step %lld (epoch %d, batch %d of %d): the learning rate "
             "(%g) may be too high or the gradients exploding; try a smaller lr, gradient "
             "clipping (clip_norm) or standardised inputs. The weights and the optimizer are "
             "put back as they were at the start of epoch %d (loss %.4g)",
             isnan(loss) ? "NaN" : "infinite", (long long)r->step + 1, r->epoch + 1, r->pos + 1,
             r->spe, hp->lr, r->safe_epoch, r->safe_loss);
        return false;
    }
    if (r->regularized) loss += nn_module_penalty(r->m);   /* reported as Keras does */
    if (r->step == 0) r->safe_loss = r->first_loss = loss; /* to compare epochs with */
    if ((rc = nn_module_backward(r->m, r->xb, r->dy, NULL, B))) {
        fail(r, NN_RUN_FAILED, "step %lld: %s", (long long)r->step + 1, nn_error(r->ctx));
        return false;
    }
    nn_clear_error(r->ctx);
    /* A gradient with a NaN is refused by the optimizer (nothing changes). The step's
     * loss was finite and counts: its epoch, when this was the last batch, is recorded
     * (and may be found diverged); then the run ends, put back as for a NaN loss. */
    char grad_err[NN_ERR_LEN] = "";
    if (isnan(nn_optim_step_module(r->o, r->m)) && nn_error(r->ctx)[0])
        snprintf(grad_err, sizeof grad_err, "%s", nn_error(r->ctx));
    if (d->classes > 0) { /* accuracy and the confusion matrix: one argmax a label */
        int64_t right;
        r->ep_labels += nn_labels_score(y, B, k, r->yb, d->ny, r->classes,
                                        threshold_of(r->opts.loss), r->cm_epoch, &right);
        r->ep_correct += right;
    }
    r->losses[r->step] = (float)loss;
    r->ep_loss += loss * B;
    r->ep_seen += B;
    r->step++;
    r->pos++;
    bool more = r->pos == r->spe ? end_epoch(r) : true;
    if (grad_err[0] && r->state != NN_RUN_FAILED) {
        safe_copy(r, false);
        fail(r, NN_RUN_FAILED,
             "step %lld: %s (lr %g). The weights and the optimizer are put back as they were at "
             "the start of epoch %d (loss %.4g)",
             (long long)r->step, grad_err, (double)hp->lr, r->safe_epoch, r->safe_loss);
        return false;
    }
    return more;
}

static bool callback_due(nn_run *r, double t) {
    if (!r->opts.callback) return false;
    if (r->opts.every_steps > 0 && r->step - r->last_cb_step >= r->opts.every_steps) return true;
    return r->opts.every_ms > 0 && t - r->last_cb_ms >= r->opts.every_ms;
}

/* Reading the clock costs about 0.1 us (more on some VMs), a few percent of a
 * Playground step, so steps shorter than CLOCK_EVERY_US are timed in groups of
 * CLOCK_STRIDE; step-counted callbacks need no clock and are checked every step. */
#define CLOCK_EVERY_US 20.0
#define CLOCK_STRIDE   16

/* The model trains in training mode (dropout on, batch norm on batch statistics and
 * updating its running ones) whatever mode the user left it in, and gets that mode
 * back at the end of each slice, so predict/evaluate between slices see the user's. */
nn_run_state nn_run_for(nn_run *r, double ms) {
    double t0 = run_clock(r), t = t0, tlast = t0;
    int stride = 1, since = 0;
    bool user_mode = nn_module_training(r->m);
    nn_module_train(r->m, true);
    while (r->state == NN_RUN_RUNNING) {
        bool more = step(r); /* the last step's callback still comes */
        bool by_steps = r->opts.callback && r->opts.every_steps > 0 &&
                        r->step - r->last_cb_step >= r->opts.every_steps;
        if (!by_steps && ++since < stride && more) continue;
        t = run_clock(r);
        if (since > 0) stride = (t - tlast) * 1e3 / since < CLOCK_EVERY_US ? CLOCK_STRIDE : 1;
        tlast = t, since = 0;
        if (callback_due(r, t)) {
            r->last_cb_step = r->step;
            r->last_cb_ms = t;
            if (r->opts.callback(r, false, r->opts.user) && r->state == NN_RUN_RUNNING)
                fail(r, NN_RUN_STOPPED, "stopped by the callback at step %lld", (long long)r->step);
        }
        if (!more) break;
        if (ms > 0 && t - t0 >= ms) break;
    }
    nn_module_train(r->m, user_mode);
    return r->state;
}

void nn_run_stop(nn_run *r) {
    if (r->state == NN_RUN_RUNNING)
        fail(r, NN_RUN_STOPPED, "stopped at step %lld (epoch %d)", (long long)r->step,
             r->epoch + 1);
}

nn_run_state nn_run_status(const nn_run *r) {
    return r->state;
}
const char *nn_run_message(const nn_run *r) {
    return r->msg;
}
int nn_run_epoch(const nn_run *r) {
    return r->epoch;
}
int64_t nn_run_step(const nn_run *r) {
    return r->step;
}
int nn_run_steps_per_epoch(const nn_run *r) {
    return r->spe;
}
int nn_run_step_in_epoch(const nn_run *r) {
    return r->pos;
}
double nn_run_last_loss(const nn_run *r) {
    return r->step > 0 ? r->losses[r->step - 1] : NAN;
}
double nn_run_epoch_loss(const nn_run *r) {
    return r->ep_seen > 0 ? r->ep_loss / r->ep_seen : NAN;
}
double nn_run_epoch_acc(const nn_run *r) {
    return r->ep_labels > 0 && r->classes > 0 ? (double)r->ep_correct / r->ep_labels : NAN;
}
int nn_run_best_epoch(const nn_run *r) {
    return r->best_epoch;
}
const nn_epoch_rec *nn_run_history(const nn_run *r, int *n) {
    *n = r->epoch;
    return r->hist;
}
const float *nn_run_step_losses(const nn_run *r, int64_t *n) {
    *n = r->step;
    return r->losses;
}
const int64_t *nn_run_confusion(const nn_run *r, bool validation, int *classes) {
    *classes = r->classes;
    if (r->classes == 0 || r->epoch == 0 || (validation && !r->val_classes)) return NULL;
    return validation ? r->cm_val : r->cm_train;
}

/* What the LR range test changes and puts back: the weights, the batch-norm
 * statistics, the optimizer's state, step count and settings, and the training mode. */
typedef struct saved_model {
    float *buf; /* parameters, then batch-norm statistics, then the optimizer's state */
    int64_t np, steps;
    nn_optim_hp hp;
    bool training;
} saved_model;

static int save_model(nn_ctx *ctx, nn_module *m, nn_optim *o, saved_model *sv) {
    int64_t np = nn_module_nparams(m), ns = nn_module_stats_size(m);
    int nst = nn_optim_nstate(o);
    sv->buf = nn_malloc(ctx, (size_t)(np * (1 + nst) + ns) * sizeof(float));
    if (!sv->buf) return NN_ENOMEM;
    sv->np = np, sv->steps = nn_optim_steps(o), sv->hp = *nn_optim_hparams(o);
    sv->training = nn_module_training(m);
    float *at = nn_module_stats_copy(m, nn_module_params_copy(m, sv->buf, true), true);
    for (int i = 0; i < nst; i++, at += np)
        memcpy(at, nn_optim_state(o, i), (size_t)np * sizeof(float));
    return NN_OK;
}

static void restore_model(nn_module *m, nn_optim *o, saved_model *sv) {
    int64_t np = sv->np;
    float *at = nn_module_stats_copy(m, nn_module_params_copy(m, sv->buf, false), false);
    for (int i = 0; i < nn_optim_nstate(o); i++, at += np)
        memcpy(nn_optim_state(o, i), at, (size_t)np * sizeof(float));
    nn_optim_set_steps(o, sv->steps);
    *nn_optim_hparams(o) = sv->hp;
    nn_module_train(m, sv->training);
    nn_mfree(sv->buf);
    sv->buf = NULL;
}

int nn_lr_range_test(nn_ctx *ctx, nn_module *m, nn_optim *o, const nn_dataset *d, nn_loss_kind loss,
                     int batch, float lr_min, float lr_max, int n, float *lr, float *loss_out) {
    if (!(lr_min > 0 && lr_max > lr_min) || n < 2 || batch < 1)
        return nn_errorf(ctx, NN_EARG,
                         "lr range test: need 0 < lr_min < lr_max, n >= 2, batch >= 1; got %g, %g, "
                         "%d, %d",
                         lr_min, lr_max, n, batch);
    int64_t np = nn_module_nparams(m);
    bool own = o == NULL;
    if (own && !(o = nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), np)))
        return NN_ENOMEM;
    saved_model sv = {0};
    int spe = (d->n + batch - 1) / batch; /* enough epochs for n steps */
    nn_fit_opts fo = {.loss = loss,
                      .huber_delta = 1,
                      .epochs = (n + spe - 1) / spe + 1,
                      .batch = batch,
                      .shuffle = true};
    nn_run *r = save_model(ctx, m, o, &sv) == NN_OK ? nn_run_new(ctx, m, o, d, NULL, &fo) : NULL;
    if (!r) {
        int rc = sv.buf ? (int)NN_ESHAPE : (int)NN_ENOMEM; /* nn_run_new's message stays */
        nn_mfree(sv.buf);
        if (own) nn_optim_free(o);
        return rc;
    }
    nn_module_train(m, true);
    double best = INFINITY, g = pow((double)lr_max / lr_min, 1.0 / (n - 1));
    int i = 0;
    for (; i < n && r->state == NN_RUN_RUNNING; i++) {
        lr[i] = (float)(lr_min * pow(g, i)); /* exponential growth per batch */
        nn_optim_hparams(o)->lr = lr[i];
        if (!step(r)) break;
        loss_out[i] = r->losses[r->step - 1];
        if (loss_out[i] < best) best = loss_out[i];
        if (loss_out[i] > 4 * best) {
            i++;
            break;
        }
    }
    if (r->state == NN_RUN_FAILED) { /* a NaN is where the test ends, not an error */
        loss_out[i] = NAN;
        i++;
    }
    restore_model(m, o, &sv);
    nn_run_free(r);
    if (own) nn_optim_free(o);
    return i;
}
