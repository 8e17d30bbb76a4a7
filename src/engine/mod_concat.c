/* mod_concat.c: the container of parallel branches, y = [f_1(x), ..., f_n(x)] joined
 * along axis 1 (the channels of [batch, C, H, W]: GoogLeNet's inception module). Each
 * branch reads the same x; their outputs must agree in every size but the channels
 * (checked on every forward, naming the branches' shapes). */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"

nn_module *nn_concat_new(nn_ctx *ctx, nn_module *const *branches, int n) {
    if (n < 1 || n > 64) {
        nn_errorf(ctx, NN_EARG, "concat: needs 1 to 64 branches, got %d", n);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (!branches[i]) {
            nn_errorf(ctx, NN_EARG, "concat: branch %d is missing", i + 1);
            return NULL;
        }
        if (nn_module_in_use(ctx, "concat", branches[i], branches, i)) return NULL;
    }
    return nn_module_container(ctx, NN_MOD_CONCAT, branches, n, 0, 0);
}

static int mismatch(nn_ctx *ctx, int i, int nd0, const int *s0, int nd, const int *s) {
    char a[64], b[64];
    return nn_errorf(ctx, NN_ESHAPE,
                     "concat: branch %d gives %s, branch 1 %s: only the channels (axis 2) may "
                     "differ",
                     i + 1, nn_batch_shape_str(nd, s, b, sizeof b),
                     nn_batch_shape_str(nd0, s0, a, sizeof a));
}

static bool joinable(int nd0, const int *s0, int nd, const int *s) {
    if (nd != nd0 || nd < 2) return false;
    for (int j = 2; j < nd; j++)
        if (s[j] != s0[j]) return false;
    return true;
}

static int cat_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 0) return 0; /* the branches' outputs depend on the input */
    int nd0 = 0, s[NN_MAX_DIMS];
    for (int i = 0; i < m->nkids; i++) {
        const nn_module *k = m->kids[i];
        int *dst = i ? s : out, nd = nn_module_def_of(k)->shape(k, ndim, in, dst);
        if (nd <= 0) return nd < 0 ? nd : 0;
        if (i == 0) {
            nd0 = nd;
            continue;
        }
        if (!joinable(nd0, out, nd, s)) return mismatch(m->ctx, i, nd0, out, nd, s);
        out[1] += s[1];
    }
    return nd0;
}

/* Per sample b, branch i's block of c_i*rest floats lands after the blocks before. */
static int cat_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    const nn_module *k0 = m->kids[0];
    int64_t row = 0;
    for (int i = 0; i < m->nkids; i++) {
        nn_module *k = m->kids[i];
        int rc = nn_module_fwd(k, x, m->in_nd, m->ishape);
        if (rc) return rc;
        if (i && !joinable(k0->out_nd, k0->oshape, k->out_nd, k->oshape))
            return mismatch(ctx, i, k0->out_nd, k0->oshape, k->out_nd, k->oshape);
        row += k->nout / m->ishape[0];
    }
    int B = m->ishape[0];
    m->out_nd = k0->out_nd;
    memcpy(m->oshape, k0->oshape, sizeof m->oshape);
    m->oshape[1] = (int)(row / (k0->nout / B / k0->oshape[1]));
    m->nout = row * B;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout)) return NN_ENOMEM;
    int64_t at = 0;
    for (int i = 0; i < m->nkids; i++) {
        const nn_module *k = m->kids[i];
        int64_t part = k->nout / B;
        for (int b = 0; b < B; b++)
            ctx->backend->copy(m->y + b * row + at, k->yout + b * part, part);
        at += part;
    }
    m->yout = m->y;
    return NN_OK;
}

/* forward: y's rows are [f_1(x) row, ..., f_n(x) row], so each branch gets its part
 * of dy (gathered into m->saved) and dx = sum of the branches' input gradients (the
 * first written into dx, the others through the scratch after dy's part) */
static int cat_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    nn_ctx *ctx = m->ctx;
    int B = m->ishape[0];
    int64_t row = m->nout / B, at = 0, most = 0;
    for (int i = 0; i < m->nkids; i++)
        if (m->kids[i]->nout > most) most = m->kids[i]->nout;
    if (nn_grow(ctx, &m->saved, &m->scap, most + (dx ? m->nin : 0))) return NN_ENOMEM;
    float *dyk = m->saved, *dxk = m->saved + most;
    for (int i = 0; i < m->nkids; i++) {
        nn_module *k = m->kids[i];
        int64_t part = k->nout / B;
        for (int b = 0; b < B; b++) ctx->backend->copy(dyk + b * part, dy + b * row + at, part);
        at += part;
        int rc = nn_module_bwd(k, x, dyk, dx ? (i ? dxk : dx) : NULL);
        if (rc) return rc;
        if (dx && i) ctx->backend->acc(dx, dxk, m->nin);
    }
    return NN_OK;
}

static nn_tensor *cat_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_tensor *ys[64] = {NULL}, *y = NULL;
    int n = 0;
    for (; n < m->nkids; n++)
        if (!(ys[n] = nn_module_graph(ctx, m->kids[n], x))) break;
    if (n == m->nkids) y = nn_concat_op(ctx, ys, n);
    if (!ctx->in_step)
        for (int i = 0; i < n; i++) nn_tensor_free(ys[i]);
    return y;
}

static nn_module *cat_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)r;
    return nn_concat_new(ctx, kids, rec->nkids);
}

const nn_module_def nn_mod_concat = {.kind = "concat",
                                     .container = true,
                                     .shape = cat_shape,
                                     .forward = cat_forward,
                                     .backward = cat_backward,
                                     .graph = cat_graph,
                                     .load = cat_load};
