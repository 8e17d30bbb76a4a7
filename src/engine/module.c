/* module.c: what every module kind shares: the module-kind table, one shared
 * parameter block per tree, lifecycle, containers' plumbing, introspection, modes,
 * freezing, regularisation, and the forward and backward that dispatch through the
 * table. Each kind's own code is in its mod_<kind>.c (see module_internal.h for
 * the recipe of a new kind); the graph built from ops is in module_graph.c. */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"

/* The module-kind table, indexed by nn_module_kind: one line a kind, whose def is
 * the one of its mod_<kind>.c declared here. */
extern const nn_module_def nn_mod_linear, nn_mod_activation, nn_mod_dropout, nn_mod_batchnorm,
    nn_mod_sequential, nn_mod_residual, nn_mod_flatten, nn_mod_reshape, nn_mod_callback,
    nn_mod_conv2d, nn_mod_pool2d;
extern const nn_module_def nn_mod_conv_transpose2d, nn_mod_dropout2d, nn_mod_concat;
extern const nn_module_def nn_mod_embedding, nn_mod_rnn, nn_mod_lstm, nn_mod_gru;
const nn_module_def *const nn_module_defs[NN_MOD_COUNT] = {
    [NN_MOD_LINEAR] = &nn_mod_linear,
    [NN_MOD_ACTIVATION] = &nn_mod_activation,
    [NN_MOD_DROPOUT] = &nn_mod_dropout,
    [NN_MOD_BATCHNORM] = &nn_mod_batchnorm,
    [NN_MOD_SEQUENTIAL] = &nn_mod_sequential,
    [NN_MOD_RESIDUAL] = &nn_mod_residual,
    [NN_MOD_FLATTEN] = &nn_mod_flatten,
    [NN_MOD_RESHAPE] = &nn_mod_reshape,
    [NN_MOD_CONV2D] = &nn_mod_conv2d,
    [NN_MOD_POOL2D] = &nn_mod_pool2d,
    [NN_MOD_CALLBACK] = &nn_mod_callback,
    [NN_MOD_CONV_TRANSPOSE2D] = &nn_mod_conv_transpose2d,
    [NN_MOD_DROPOUT2D] = &nn_mod_dropout2d,
    [NN_MOD_CONCAT] = &nn_mod_concat,
    [NN_MOD_EMBEDDING] = &nn_mod_embedding,
    [NN_MOD_RNN] = &nn_mod_rnn,
    [NN_MOD_LSTM] = &nn_mod_lstm,
    [NN_MOD_GRU] = &nn_mod_gru,
};

/* ---- blocks and lifecycle -------------------------------------------------- */

static nn_block *block_new(nn_ctx *ctx, int64_t n) {
    if (n > INT32_MAX) {
        nn_errorf(ctx, NN_EARG, "model: %lld parameters are too many", (long long)n);
        return NULL;
    }
    nn_block *b = nn_calloc(ctx, 1, sizeof *b);
    if (!b) return NULL;
    int size = (int)n;
    b->pt = nn_zeros(ctx, 1, &size);
    b->gt = b->pt ? nn_zeros(ctx, 1, &size) : NULL;
    if (!b->gt) {
        nn_tensor_free(b->pt);
        nn_mfree(b);
        return NULL;
    }
    b->p = b->pt->data, b->g = b->gt->data;
    b->n = n;
    b->refs = 1;
    return b;
}

static void block_release(nn_block *b) {
    if (b && --b->refs == 0) {
        nn_tensor_free(b->pt);
        nn_tensor_free(b->gt);
        nn_mfree(b);
    }
}

int nn_grow(nn_ctx *ctx, float **buf, int64_t *cap, int64_t n) {
    if (n <= *cap) return NN_OK;
    float *p = nn_malloc(ctx, (size_t)n * sizeof(float));
    if (!p) return NN_ENOMEM;
    nn_mfree(*buf);
    *buf = p;
    *cap = n;
    return NN_OK;
}

/* Drops the module's reference to its parameter tensors; one still held elsewhere
 * (a Lua handle) keeps its struct, and the binding keeps the module alive with it. */
static void drop_param_tensors(nn_module *m) {
    for (int i = 0; i < 2; i++) {
        nn_tensor_free(m->pt[i]);
        m->pt[i] = NULL;
    }
}

nn_module *nn_module_alloc(nn_ctx *ctx, nn_module_kind kind, int in, int out, int64_t np) {
    nn_module *m = nn_calloc(ctx, 1, sizeof *m);
    if (!m) return NULL;
    m->ctx = ctx;
    m->kind = kind;
    m->refs = 1;
    m->in = in;
    m->out = out;
    m->np = np;
    m->training = true;
    if (np > 0 && !(m->blk = block_new(ctx, np))) {
        nn_mfree(m);
        return NULL;
    }
    return m;
}

nn_module *nn_module_retain(nn_module *m) {
    if (m) m->refs++;
    return m;
}

void nn_module_free(nn_module *m) {
    if (!m || --m->refs > 0) return;
    const nn_module_def *d = nn_module_def_of(m);
    if (d->release) d->release(m); /* before the generic release of the children */
    for (int i = 0; i < m->nkids; i++) {
        m->kids[i]->parents--;
        nn_module_free(m->kids[i]);
    }
    nn_mfree(m->kids);
    if (nn_module_def_of(m)->free) nn_module_def_of(m)->free(m);
    drop_param_tensors(m);
    block_release(m->blk);
    nn_mfree(m->running);
    nn_mfree(m->y);
    nn_mfree(m->saved);
    nn_mfree(m->dx);
    nn_mfree(m);
}

/* ---- containers ------------------------------------------------------------ */

/* Points m and its subtree at block b from offset off on (params already copied).
 * Parameter tensors already handed out follow their module into the new block. */
static void rebase(nn_module *m, nn_block *b, int64_t off) {
    if (m->np > 0) {
        b->refs++;
        block_release(m->blk);
        m->blk = b;
    }
    m->off = off;
    for (int i = 0; i < 2; i++) {
        float *data, *grad;
        nn_tensor *t = m->pt[i];
        if (t && nn_module_param(m, i, NULL, &data, &grad, NULL, NULL) == NN_OK) {
            t->data = data;
            t->grad->data = grad;
            nn_tensor_free(nn_tn(t)->base); /* the old block's memory may go now */
            nn_tensor_free(nn_tn(t->grad)->base);
            nn_tn(t)->base = nn_tensor_retain(b->pt);
            nn_tn(t->grad)->base = nn_tensor_retain(b->gt);
        }
    }
    for (int i = 0; i < m->nkids; i++) {
        rebase(m->kids[i], b, off);
        off += m->kids[i]->np;
    }
}

nn_module *nn_module_container(nn_ctx *ctx, nn_module_kind kind, nn_module *const *kids, int n,
                               int in, int out) {
    int64_t np = 0;
    for (int i = 0; i < n; i++) np += kids[i]->np;
    nn_module *m = nn_module_alloc(ctx, kind, in, out, np);
    if (!m) return NULL;
    m->kids = nn_calloc(ctx, (size_t)n, sizeof *m->kids);
    if (!m->kids) {
        nn_module_free(m);
        return NULL;
    }
    /* each child moves in at once, so that its old block (when nothing else holds it)
     * goes before the next is copied: the peak is the model and one child, not two models */
    int64_t off = 0;
    for (int i = 0; i < n; i++) {
        nn_module *k = kids[i];
        if (k->np > 0) {
            ctx->backend->copy(m->blk->p + off, k->blk->p + k->off, k->np);
            if (k->blk->g_used) {
                ctx->backend->copy(m->blk->g + off, k->blk->g + k->off, k->np);
                m->blk->g_used = true;
            }
            rebase(k, m->blk, off);
        }
        m->kids[i] = nn_module_retain(k);
        k->parents++;
        off += k->np;
    }
    m->nkids = n;
    return m;
}

/* A module has buffers of its own and its parameters live in its container's
 * block, so it can sit in one container, once: reuse is refused with a hint. */
bool nn_module_in_use(nn_ctx *ctx, const char *who, const nn_module *k, nn_module *const *earlier,
                      int i) {
    bool dup = k->parents > 0;
    for (int j = 0; j < i && !dup; j++) dup = earlier[j] == k;
    if (dup)
        nn_errorf(ctx, NN_EARG,
                  "%s: module %d (%s) is already part of a model; make a new one for each place",
                  who, i + 1, nn_module_name(k));
    return dup;
}

/* ---- introspection ----------------------------------------------------------- */

nn_module_kind nn_module_kind_of(const nn_module *m) {
    return m->kind;
}
int nn_module_in(const nn_module *m) {
    return m->in;
}
int nn_module_out(const nn_module *m) {
    return m->out;
}
nn_act_kind nn_module_act(const nn_module *m) {
    return m->act;
}
float nn_module_arg(const nn_module *m) {
    const nn_module_def *d = nn_module_def_of(m);
    return d->arg ? d->arg(m) : m->a;
}
int64_t nn_module_nparams(const nn_module *m) {
    return m->np;
}
float *nn_module_params(nn_module *m) {
    return m->blk ? m->blk->p + m->off : NULL; /* a callback's are its caller's tensors */
}
float *nn_module_grads(nn_module *m) {
    if (m->blk) m->blk->g_used = true; /* the caller may write them */
    return m->blk ? m->blk->g + m->off : NULL;
}
float *nn_module_running(nn_module *m) {
    return m->running;
}
bool nn_module_frozen(const nn_module *m) {
    return m->frozen;
}

int nn_module_children(const nn_module *m, nn_module **out, int max) {
    for (int i = 0; i < m->nkids && i < max; i++) out[i] = m->kids[i];
    return m->nkids;
}

const char *nn_module_name(const nn_module *m) {
    const nn_module_def *d = nn_module_def_of(m);
    return d->name ? d->name(m) : d->kind;
}

const char *nn_module_kind_name(const nn_module *m) {
    return nn_module_def_of(m)->kind;
}

bool nn_module_is_container(const nn_module *m) {
    return nn_module_def_of(m)->container;
}

int nn_module_param(nn_module *m, int i, const char **name, float **data, float **grad, int *rows,
                    int *cols) {
    const nn_module_def *d = nn_module_def_of(m);
    nn_param_desc p;
    if (!d->param || !d->param(m, i, &p))
        return nn_errorf(m->ctx, NN_EARG, "%s has no parameter %d", nn_module_name(m), i + 1);
    if (name) *name = p.name;
    if (data) *data = m->blk->p + m->off + p.at;
    if (grad) *grad = m->blk->g + m->off + p.at, m->blk->g_used = true;
    if (rows) *rows = p.rows;
    if (cols) *cols = p.cols;
    return NN_OK;
}

/* ---- modes ---------------------------------------------------------------------- */

void nn_module_train(nn_module *m, bool on) {
    m->training = on;
    for (int i = 0; i < m->nkids; i++) nn_module_train(m->kids[i], on);
    const nn_module_def *d = nn_module_def_of(m);
    if (d->set_training) d->set_training(m, on);
}

/* Also flips requires_grad of the parameter tensors already made for autograd, so a
 * graph built after freezing leaves their .grad alone and an optimizer over the
 * tensors (a module written in Lua) skips them. */
void nn_module_freeze(nn_module *m, bool on) {
    m->frozen = on;
    for (int i = 0; i < 2; i++)
        if (m->pt[i]) m->pt[i]->requires_grad = !on;
    for (int i = 0; i < m->nkids; i++) nn_module_freeze(m->kids[i], on);
}

void nn_module_regularize(nn_module *m, float l1, float l2) {
    m->l1 = l1;
    m->l2 = l2;
    for (int i = 0; i < m->nkids; i++) nn_module_regularize(m->kids[i], l1, l2);
}

double nn_module_penalty(const nn_module *m) {
    const nn_module_def *d = nn_module_def_of(m);
    double s = d->penalty && (m->l1 != 0 || m->l2 != 0) ? d->penalty(m) : 0;
    for (int i = 0; i < m->nkids; i++) s += nn_module_penalty(m->kids[i]);
    return s;
}

bool nn_module_regularized(const nn_module *m) {
    if (m->l1 != 0 || m->l2 != 0) return true;
    for (int i = 0; i < m->nkids; i++)
        if (nn_module_regularized(m->kids[i])) return true;
    return false;
}

int64_t nn_module_stats_size(const nn_module *m) {
    int64_t n = m->running ? 2 * (int64_t)m->out : 0;
    for (int i = 0; i < m->nkids; i++) n += nn_module_stats_size(m->kids[i]);
    return n;
}

float *nn_module_params_copy(nn_module *m, float *buf, bool save) {
    const nn_module_def *d = nn_module_def_of(m);
    if (d->params_copy) return d->params_copy(m, buf, save);
    if (m->np)
        memcpy(save ? buf : nn_module_params(m), save ? nn_module_params(m) : buf,
               (size_t)m->np * sizeof(float));
    return buf + m->np;
}

/* Copies the running statistics of every batch norm in m to buf (save) or back. */
float *nn_module_stats_copy(nn_module *m, float *buf, bool save) {
    if (m->running) {
        size_t bytes = 2 * (size_t)m->out * sizeof(float);
        memcpy(save ? buf : m->running, save ? m->running : buf, bytes);
        buf += 2 * m->out;
    }
    for (int i = 0; i < m->nkids; i++) buf = nn_module_stats_copy(m->kids[i], buf, save);
    return buf;
}

void nn_module_zero_grad(nn_module *m) {
    const nn_module_def *d = nn_module_def_of(m);
    if (d->zero_grad) {
        d->zero_grad(m);
        return;
    }
    if (m->np && m->blk->g_used) m->ctx->backend->fill(m->blk->g + m->off, m->np, 0.0f);
}

void nn_module_each_leaf(nn_module *m, void (*fn)(nn_module *leaf, void *user), void *user) {
    if (m->nkids == 0) {
        if (m->np > 0) fn(m, user);
        return;
    }
    for (int i = 0; i < m->nkids; i++) nn_module_each_leaf(m->kids[i], fn, user);
}

/* ---- shapes, forward and backward -------------------------------------------- */

char *nn_batch_shape_str(int ndim, const int *shape, char *buf, size_t len) {
    if (ndim < 1) {
        snprintf(buf, len, "[batch, ...]");
        return buf;
    }
    size_t at = (size_t)snprintf(buf, len, "[batch");
    for (int i = 1; i < ndim && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, ", %d", shape[i]);
    if (at < len) snprintf(buf + at, len - at, "]");
    return buf;
}

int nn_module_shape_error(const nn_module *m, const char *want, int ndim, const int *in,
                          const char *hint) {
    char got[64];
    nn_batch_shape_str(ndim, in, got, sizeof got);
    return nn_errorf(m->ctx, NN_ESHAPE, "%s expects %s, got %s%s%s", nn_module_name(m), want, got,
                     hint ? ": " : "", hint ? hint : "");
}

static int check_full_shape(nn_ctx *ctx, const char *who, int ndim, const int *shape) {
    if (ndim < 2 || ndim > NN_MAX_DIMS)
        return nn_errorf(ctx, NN_ESHAPE,
                         "%s: input must be [batch, ...] of 2 to %d dimensions, got %d", who,
                         NN_MAX_DIMS, ndim);
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 1)
            return nn_errorf(ctx, NN_ESHAPE, "%s: sizes must be >= 1, got %d in dimension %d", who,
                             shape[i], i + 1);
    return NN_OK;
}

int nn_module_out_shape(nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 0) return nn_module_def_of(m)->shape(m, 0, NULL, out); /* without the input */
    int rc = check_full_shape(m->ctx, nn_module_name(m), ndim, in);
    if (rc) return rc;
    int nd = nn_module_def_of(m)->shape(m, ndim, in, out);
    if (nd > 0) out[0] = in[0];
    return nd;
}

/* Whether (ndim, shape) is the input shape of m's last good forward. */
static bool same_input(const nn_module *m, int ndim, const int *shape) {
    if (ndim != m->in_nd) return false;
    for (int i = 0; i < ndim; i++)
        if (shape[i] != m->ishape[i]) return false;
    return true;
}

/* A step's batch has the shape of the step before (but for an epoch's last), so a
 * leaf's shapes are checked and worked out again only when its input shape changes:
 * a shape that passed once passes again and gives the same output (a kind's shape
 * depends only on the input shape and on what the constructor fixed). */
int nn_module_fwd(nn_module *m, const float *x, int ndim, const int *shape) {
    const nn_module_def *d = nn_module_def_of(m);
    if (same_input(m, ndim, shape) && (m->shape_known || d->container))
        return d->forward(m, x); /* a container's forward works out its shape anew */
    m->shape_known = false;
    if (!d->container) {
        int out[NN_MAX_DIMS], nd = d->shape(m, ndim, shape, out);
        if (nd < 0) return nd;
        if (nd > 0) { /* else the kind's forward sets them */
            out[0] = shape[0];
            m->out_nd = nd;
            for (int i = 0; i < nd; i++) m->oshape[i] = out[i];
            m->nout = nn_dims_prod(nd, out, 0);
        }
        m->shape_known = nd > 0;
    }
    m->in_nd = ndim;
    for (int i = 0; i < ndim; i++) m->ishape[i] = shape[i];
    m->nin = nn_dims_prod(ndim, shape, 0);
    return d->forward(m, x);
}

int nn_module_forward(nn_module *m, const float *x, int ndim, const int *shape, const float **y) {
    int rc = check_full_shape(m->ctx, "forward", ndim, shape);
    if (rc == NN_OK) rc = nn_module_fwd(m, x, ndim, shape);
    if (rc == NN_OK && y) *y = m->yout;
    return rc;
}

int nn_module_bwd(nn_module *m, const float *x, const float *dy, float *dx) {
    if (m->blk) m->blk->g_used = true;
    return nn_module_def_of(m)->backward(m, x, dy, dx);
}

int nn_module_backward(nn_module *m, const float *x, const float *dy, float *dx, int batch) {
    if (!m->yout) return nn_errorf(m->ctx, NN_ESTATE, "backward: no forward before it");
    if (batch != m->ishape[0])
        return nn_errorf(m->ctx, NN_EARG, "backward: batch %d, the forward had %d", batch,
                         m->ishape[0]);
    return nn_module_bwd(m, x, dy, dx);
}
