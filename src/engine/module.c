/* module.c: the C modules (linear, activation, dropout, batch norm, sequential,
 * residual): construction into one shared parameter block, the direct forward and
 * backward over [batch, width] matrices (the kernels are the backend's: linear,
 * act, prelu, dropout, batchnorm), modes, freezing, regularisation.
 * The same forward built from ops is in module_graph.c; initialisers in init.c. */
#include <math.h>
#include <string.h>

#include "train_internal.h"

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

static nn_module *module_new(nn_ctx *ctx, nn_module_kind kind, int in, int out, int64_t np) {
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
    if (m->kind == NN_MOD_CALLBACK) nn_callback_release(m);
    for (int i = 0; i < m->nkids; i++) {
        m->kids[i]->parents--;
        nn_module_free(m->kids[i]);
    }
    nn_mfree(m->kids);
    drop_param_tensors(m);
    block_release(m->blk);
    nn_mfree(m->running);
    nn_mfree(m->y);
    nn_mfree(m->saved);
    nn_mfree(m->dx);
    nn_mfree(m);
}

/* ---- constructors ------------------------------------------------------------ */

nn_module *nn_linear_new(nn_ctx *ctx, int in, int out, nn_init w_init, nn_init b_init) {
    if (in < 1 || out < 1) {
        nn_errorf(ctx, NN_EARG, "linear: sizes must be >= 1, got in=%d out=%d", in, out);
        return NULL;
    }
    nn_module *m = module_new(ctx, NN_MOD_LINEAR, in, out, (int64_t)in * out + out);
    if (!m) return NULL;
    m->w_init = w_init;
    m->b_init = b_init;
    float *p = m->blk->p;
    if (nn_init_fill(ctx, w_init, p, in, out) != NN_OK ||
        nn_init_fill(ctx, b_init, p + (int64_t)in * out, 1, out) != NN_OK) {
        nn_module_free(m);
        return NULL;
    }
    return m;
}

nn_module *nn_activation_new(nn_ctx *ctx, nn_act_kind kind, float a) {
    if ((unsigned)kind >= NN_ACT_COUNT) {
        nn_errorf(ctx, NN_EARG, "activation: unknown kind %d", (int)kind);
        return NULL;
    }
    if (kind == NN_ACT_PRELU) return nn_prelu_new(ctx, 0, a);
    nn_module *m = module_new(ctx, NN_MOD_ACTIVATION, 0, 0, 0);
    if (!m) return NULL;
    m->act = kind;
    m->a = a;
    return m;
}

nn_module *nn_prelu_new(nn_ctx *ctx, int features, float init) {
    if (features < 0) {
        nn_errorf(ctx, NN_EARG, "prelu: features must be >= 1 (or 0 for one shared slope), got %d",
                  features);
        return NULL;
    }
    /* the slopes are the parameters; width is checked only when they are per feature */
    nn_module *m = module_new(ctx, NN_MOD_ACTIVATION, features, features, features ? features : 1);
    if (!m) return NULL;
    m->act = NN_ACT_PRELU;
    m->a = init;
    for (int64_t j = 0; j < m->np; j++) m->blk->p[j] = init;
    return m;
}

nn_module *nn_dropout_new(nn_ctx *ctx, float p) {
    if (!(p >= 0 && p < 1)) {
        nn_errorf(ctx, NN_EARG, "dropout: p must be in [0, 1), got %g", p);
        return NULL;
    }
    nn_module *m = module_new(ctx, NN_MOD_DROPOUT, 0, 0, 0);
    if (m) m->a = p;
    return m;
}

nn_module *nn_batchnorm_new(nn_ctx *ctx, int features, float momentum, float eps) {
    if (features < 1 || !(momentum > 0 && momentum <= 1) || !(eps > 0)) {
        nn_errorf(ctx, NN_EARG,
                  "batchnorm: need features >= 1, 0 < momentum <= 1, eps > 0; got %d, %g, %g",
                  features, momentum, eps);
        return NULL;
    }
    nn_module *m = module_new(ctx, NN_MOD_BATCHNORM, features, features, 2 * (int64_t)features);
    if (!m) return NULL;
    m->a = momentum;
    m->eps = eps;
    m->running = nn_malloc(ctx, 2 * (size_t)features * sizeof(float));
    if (!m->running) {
        nn_module_free(m);
        return NULL;
    }
    for (int j = 0; j < features; j++) {
        m->blk->p[j] = 1; /* gamma = 1, beta = 0: the identity at start */
        m->running[j] = 0;
        m->running[features + j] = 1;
    }
    return m;
}

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
            nn_tensor_free(t->base); /* the old block's memory may go now */
            nn_tensor_free(t->grad->base);
            t->base = nn_tensor_retain(b->pt);
            t->grad->base = nn_tensor_retain(b->gt);
        }
    }
    for (int i = 0; i < m->nkids; i++) {
        rebase(m->kids[i], b, off);
        off += m->kids[i]->np;
    }
}

static nn_module *container_new(nn_ctx *ctx, nn_module_kind kind, nn_module *const *kids, int n,
                                int in, int out) {
    int64_t np = 0;
    for (int i = 0; i < n; i++) np += kids[i]->np;
    nn_module *m = module_new(ctx, kind, in, out, np);
    if (!m) return NULL;
    m->kids = nn_calloc(ctx, (size_t)n, sizeof *m->kids);
    if (!m->kids) {
        nn_module_free(m);
        return NULL;
    }
    int64_t off = 0;
    for (int i = 0; i < n; i++) {
        nn_module *k = kids[i];
        if (k->np > 0) {
            ctx->backend->copy(m->blk->p + off, k->blk->p + k->off, k->np);
            ctx->backend->copy(m->blk->g + off, k->blk->g + k->off, k->np);
        }
        m->kids[i] = nn_module_retain(k);
        k->parents++;
        off += k->np;
    }
    m->nkids = n;
    if (np > 0) {
        off = 0;
        for (int i = 0; i < n; i++) {
            rebase(m->kids[i], m->blk, off);
            off += m->kids[i]->np;
        }
    }
    return m;
}

/* A module has buffers of its own and its parameters live in its container's
 * block, so it can sit in one container, once: reuse is refused with a hint. */
static bool in_use(nn_ctx *ctx, const char *who, const nn_module *k, nn_module *const *earlier,
                   int i) {
    bool dup = k->parents > 0;
    for (int j = 0; j < i && !dup; j++) dup = earlier[j] == k;
    if (dup)
        nn_errorf(ctx, NN_EARG,
                  "%s: module %d (%s) is already part of a model; make a new one for each place",
                  who, i + 1, nn_module_name(k));
    return dup;
}

nn_module *nn_sequential_new(nn_ctx *ctx, nn_module *const *children, int n) {
    if (n < 1) {
        nn_errorf(ctx, NN_EARG, "sequential: needs at least one module");
        return NULL;
    }
    int in = 0, w = 0;
    for (int i = 0; i < n; i++) {
        nn_module *k = children[i];
        if (!k) {
            nn_errorf(ctx, NN_EARG, "sequential: module %d is missing", i + 1);
            return NULL;
        }
        if (in_use(ctx, "sequential", k, children, i)) return NULL;
        if (k->in && w && k->in != w) {
            nn_errorf(ctx, NN_ESHAPE, "sequential: module %d (%s) takes %d features but gets %d",
                      i + 1, nn_module_name(k), k->in, w);
            return NULL;
        }
        if (!w && !in && k->in) in = k->in;
        if (k->out) w = k->out;
    }
    return container_new(ctx, NN_MOD_SEQUENTIAL, children, n, in, w);
}

nn_module *nn_residual_new(nn_ctx *ctx, nn_module *inner) {
    if (!inner) {
        nn_errorf(ctx, NN_EARG, "residual: the inner module is missing");
        return NULL;
    }
    if (in_use(ctx, "residual", inner, NULL, 0)) return NULL;
    if (inner->in != inner->out) {
        nn_errorf(ctx, NN_ESHAPE, "residual: x + f(x) needs f to keep the width, got %d -> %d",
                  inner->in, inner->out);
        return NULL;
    }
    return container_new(ctx, NN_MOD_RESIDUAL, &inner, 1, inner->in, inner->out);
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
    if (m->kind == NN_MOD_ACTIVATION && m->act == NN_ACT_PRELU) return m->blk->p[m->off];
    return m->a;
}
int64_t nn_module_nparams(const nn_module *m) {
    return m->np;
}
float *nn_module_params(nn_module *m) {
    return m->blk ? m->blk->p + m->off : NULL; /* a callback's are its caller's tensors */
}
float *nn_module_grads(nn_module *m) {
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
    static const char *const names[NN_MOD_COUNT] = {
        "linear", "activation", "dropout", "batchnorm", "sequential", "residual", "callback"};
    if (m->kind == NN_MOD_ACTIVATION) return nn_act_name(m->act);
    return names[m->kind];
}

int nn_module_param(nn_module *m, int i, const char **name, float **data, float **grad, int *rows,
                    int *cols) {
    int r = 0, c = 0;
    int64_t at = 0;
    const char *nm = NULL;
    if (m->kind == NN_MOD_LINEAR && i == 0) nm = "weight", r = m->in, c = m->out;
    if (m->kind == NN_MOD_LINEAR && i == 1)
        nm = "bias", r = 1, c = m->out, at = (int64_t)m->in * m->out;
    if (m->kind == NN_MOD_BATCHNORM && i == 0) nm = "gamma", r = 1, c = m->out;
    if (m->kind == NN_MOD_BATCHNORM && i == 1) nm = "beta", r = 1, c = m->out, at = m->out;
    if (m->kind == NN_MOD_ACTIVATION && m->act == NN_ACT_PRELU && i == 0)
        nm = "alpha", r = 1, c = (int)m->np;
    if (!nm) return nn_errorf(m->ctx, NN_EARG, "%s has no parameter %d", nn_module_name(m), i + 1);
    if (name) *name = nm;
    if (data) *data = m->blk->p + m->off + at;
    if (grad) *grad = m->blk->g + m->off + at;
    if (rows) *rows = r;
    if (cols) *cols = c;
    return NN_OK;
}

/* ---- modes ---------------------------------------------------------------------- */

void nn_module_train(nn_module *m, bool on) {
    m->training = on;
    for (int i = 0; i < m->nkids; i++) nn_module_train(m->kids[i], on);
    if (m->kind == NN_MOD_CALLBACK) nn_callback_train(m, on);
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
    double s = 0;
    if (m->kind == NN_MOD_LINEAR && (m->l1 != 0 || m->l2 != 0)) {
        const float *w = m->blk->p + m->off;
        for (int64_t i = 0; i < (int64_t)m->in * m->out; i++)
            s += m->l1 * fabsf(w[i]) + m->l2 * (double)w[i] * w[i];
    }
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
    if (m->kind == NN_MOD_CALLBACK) return nn_callback_params_copy(m, buf, save);
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
    if (m->kind == NN_MOD_CALLBACK) return nn_callback_zero_grad(m);
    if (m->np) m->ctx->backend->fill(m->blk->g + m->off, m->np, 0.0f);
}

void nn_module_each_leaf(nn_module *m, void (*fn)(nn_module *leaf, void *user), void *user) {
    if (m->nkids == 0) {
        if (m->np > 0) fn(m, user);
        return;
    }
    for (int i = 0; i < m->nkids; i++) nn_module_each_leaf(m->kids[i], fn, user);
}

/* ---- forward and backward ------------------------------------------------------------ */

static int width_out(const nn_module *m, int w) {
    return m->out ? m->out : w;
}

static int check_width(nn_module *m, int width) {
    if (m->in && width != m->in)
        return nn_errorf(m->ctx, NN_ESHAPE, "%s: takes %d features, got %d", nn_module_name(m),
                         m->in, width);
    return NN_OK;
}

static int fwd(nn_module *m, const float *x, int B, int width) {
    nn_ctx *ctx = m->ctx;
    int rc = check_width(m, width);
    if (rc) return rc;
    m->width = width;
    int ow = width_out(m, width);
    int64_t n = (int64_t)B * ow;
    const float *p = m->blk ? m->blk->p + m->off : NULL;
    switch (m->kind) {
    case NN_MOD_LINEAR:
        if (nn_grow(ctx, &m->y, &m->ycap, n)) return NN_ENOMEM;
        ctx->backend->linear(x, p, p + (int64_t)m->in * m->out, m->y, B, m->in, m->out);
        m->yout = m->y;
        return NN_OK;
    case NN_MOD_ACTIVATION:
        if (nn_grow(ctx, &m->y, &m->ycap, n)) return NN_ENOMEM;
        if (m->act == NN_ACT_PRELU)
            ctx->backend->prelu(x, p, (int)m->np, m->y, B, width);
        else
            ctx->backend->act(m->act, m->a, x, m->y, B, width);
        m->yout = m->y;
        return NN_OK;
    case NN_MOD_DROPOUT:
        if (!m->training || m->a == 0) {
            m->yout = x; /* identity in evaluation: no copy */
            return NN_OK;
        }
        if (nn_grow(ctx, &m->y, &m->ycap, n) || nn_grow(ctx, &m->saved, &m->scap, n))
            return NN_ENOMEM;
        ctx->backend->dropout(x, m->saved, m->y, n, 1 - m->a, ctx->rng);
        m->yout = m->y;
        return NN_OK;
    case NN_MOD_BATCHNORM:
        if (nn_grow(ctx, &m->y, &m->ycap, n) || nn_grow(ctx, &m->saved, &m->scap, n + ow))
            return NN_ENOMEM;
        ctx->backend->batchnorm(x, m->blk->p + m->off, m->blk->p + m->off + ow, m->running,
                                m->saved, m->saved + n, m->y, B, ow, m->training, m->a, m->eps);
        m->yout = m->y;
        return NN_OK;
    case NN_MOD_SEQUENTIAL: {
        const float *h = x;
        int w = width;
        for (int i = 0; i < m->nkids; i++) {
            if ((rc = fwd(m->kids[i], h, B, w))) return rc;
            h = m->kids[i]->yout;
            w = width_out(m->kids[i], w);
        }
        m->yout = h;
        return NN_OK;
    }
    case NN_MOD_RESIDUAL:
        if ((rc = fwd(m->kids[0], x, B, width))) return rc;
        if (nn_grow(ctx, &m->y, &m->ycap, n)) return NN_ENOMEM;
        ctx->backend->copy(m->y, x, n);
        ctx->backend->acc(m->y, m->kids[0]->yout, n);
        m->yout = m->y;
        return NN_OK;
    case NN_MOD_CALLBACK:
        return nn_callback_forward(m, x, B, width);
    case NN_MOD_COUNT:
        break;
    }
    return nn_errorf(ctx, NN_EARG, "module of unknown kind %d", (int)m->kind);
}

int nn_module_forward(nn_module *m, const float *x, int batch, int width, const float **y) {
    if (batch < 1) return nn_errorf(m->ctx, NN_EARG, "forward: batch must be >= 1, got %d", batch);
    int rc = fwd(m, x, batch, width);
    if (rc == NN_OK && y) *y = m->yout;
    return rc;
}

/* dx (may be NULL) = d(loss)/dx; params get += unless frozen. */
static int bwd(nn_module *m, const float *x, const float *dy, float *dx, int B) {
    int width = m->width, ow = width_out(m, width);
    int64_t nin = (int64_t)B * width;
    bool params = m->np > 0 && !m->frozen;
    float *p = m->blk ? m->blk->p + m->off : NULL, *g = m->blk ? m->blk->g + m->off : NULL;
    const nn_backend *be = m->ctx->backend;
    switch (m->kind) {
    case NN_MOD_LINEAR:
        be->linear_back(x, p, dy, params ? g : NULL, params ? g + (int64_t)m->in * m->out : NULL,
                        dx, B, m->in, m->out);
        if (params && (m->l1 != 0 || m->l2 != 0))
            be->penalty_back(p, g, (int64_t)m->in * m->out, m->l1, m->l2);
        return NN_OK;
    case NN_MOD_ACTIVATION:
        if (!dx && !(params && m->act == NN_ACT_PRELU)) return NN_OK;
        if (dx) be->fill(dx, nin, 0.0f); /* the kernels add */
        if (m->act == NN_ACT_PRELU)      /* the slopes need their gradient even without dx */
            be->prelu_back(x, p, (int)m->np, dy, dx, params ? g : NULL, B, width);
        else if (dx)
            be->act_back(m->act, m->a, x, m->yout, dy, dx, B, width);
        return NN_OK;
    case NN_MOD_DROPOUT:
        if (!dx) return NN_OK;
        if (!m->training || m->a == 0)
            be->copy(dx, dy, nin);
        else
            be->dropout_back(dy, m->saved, dx, nin, true);
        return NN_OK;
    case NN_MOD_BATCHNORM:
        be->batchnorm_back(dy, p, m->saved, m->saved + (int64_t)B * ow, params ? g : NULL,
                           params ? g + ow : NULL, dx, B, ow, m->training);
        return NN_OK;
    case NN_MOD_SEQUENTIAL: {
        const float *d = dy;
        for (int i = m->nkids - 1; i >= 0; i--) {
            nn_module *k = m->kids[i];
            const float *kin = i > 0 ? m->kids[i - 1]->yout : x;
            float *kdx = dx;
            if (i > 0) {
                if (nn_grow(m->ctx, &k->dx, &k->dxcap, (int64_t)B * k->width)) return NN_ENOMEM;
                kdx = k->dx;
            }
            int rc = bwd(k, kin, d, kdx, B);
            if (rc) return rc;
            d = kdx;
        }
        return NN_OK;
    }
    case NN_MOD_RESIDUAL: {
        int rc = bwd(m->kids[0], x, dy, dx, B);
        if (rc) return rc;
        if (dx) be->acc(dx, dy, (int64_t)B * ow);
        return NN_OK;
    }
    case NN_MOD_CALLBACK:
        return nn_callback_backward(m, dy, dx, B);
    case NN_MOD_COUNT:
        break;
    }
    return nn_errorf(m->ctx, NN_EARG, "module of unknown kind %d", (int)m->kind);
}

int nn_module_backward(nn_module *m, const float *x, const float *dy, float *dx, int batch) {
    if (!m->yout) return nn_errorf(m->ctx, NN_ESTATE, "backward: no forward before it");
    return bwd(m, x, dy, dx, batch);
}
