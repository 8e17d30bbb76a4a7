/* mod_residual.c: the residual container y = x + f(x), with f keeping its input's
 * shape (checked when it is built, as far as f's input is known, and on every
 * forward). */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"

static int shape_kept_error(nn_ctx *ctx, int ndim, const int *in, int ondim, const int *out) {
    char si[64], so[64];
    return nn_errorf(ctx, NN_ESHAPE, "residual: x + f(x) needs f to keep the shape, got %s -> %s",
                     nn_batch_shape_str(ndim, in, si, sizeof si),
                     nn_batch_shape_str(ondim, out, so, sizeof so));
}

static bool same(int nd1, const int *s1, int nd2, const int *s2) {
    if (nd1 != nd2) return false;
    for (int i = 1; i < nd1; i++)
        if (s1[i] != s2[i]) return false;
    return true;
}

nn_module *nn_residual_new(nn_ctx *ctx, nn_module *inner) {
    if (!inner) {
        nn_errorf(ctx, NN_EARG, "residual: the inner module is missing");
        return NULL;
    }
    if (nn_module_in_use(ctx, "residual", inner, NULL, 0)) return NULL;
    if (inner->in) {
        int in[2] = {1, inner->in}, out[NN_MAX_DIMS];
        int nd = nn_module_def_of(inner)->shape(inner, 2, in, out);
        if (nd < 0) return NULL;
        if (!same(2, in, nd, out)) {
            shape_kept_error(ctx, 2, in, nd, out);
            return NULL;
        }
    }
    return nn_module_container(ctx, NN_MOD_RESIDUAL, &inner, 1, inner->in, inner->out);
}

static int res_shape(const nn_module *m, int ndim, const int *in, int *out) {
    const nn_module *k = m->kids[0];
    int nd = nn_module_def_of(k)->shape(k, ndim, in, out);
    if (nd < 0 || ndim == 0) return nd;
    if (!same(ndim, in, nd, out)) return shape_kept_error(m->ctx, ndim, in, nd, out);
    return nd;
}

static int res_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    nn_module *k = m->kids[0];
    int rc = nn_module_fwd(k, x, m->in_nd, m->ishape);
    if (rc) return rc;
    if (!same(m->in_nd, m->ishape, k->out_nd, k->oshape))
        return shape_kept_error(ctx, m->in_nd, m->ishape, k->out_nd, k->oshape);
    m->out_nd = m->in_nd;
    memcpy(m->oshape, m->ishape, sizeof m->oshape);
    m->nout = m->nin;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nin)) return NN_ENOMEM;
    ctx->backend->copy(m->y, x, m->nin);
    ctx->backend->acc(m->y, k->yout, m->nin);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = x + f(x), so dx = dy + f'(x)^T dy */
static int res_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    int rc = nn_module_bwd(m->kids[0], x, dy, dx);
    if (rc) return rc;
    if (dx) m->ctx->backend->acc(dx, dy, m->nin);
    return NN_OK;
}

static nn_tensor *res_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_tensor *f = nn_module_graph(ctx, m->kids[0], x), *y = f ? nn_add(ctx, x, f) : NULL;
    if (!ctx->in_step) nn_tensor_free(f);
    return y;
}

static nn_module *res_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)r;
    if (rec->nkids != 1) {
        nn_errorf(ctx, NN_EFORMAT, "residual: the record has %d inner modules, not 1", rec->nkids);
        return NULL;
    }
    return nn_residual_new(ctx, kids[0]);
}

const nn_module_def nn_mod_residual = {.kind = "residual",
                                       .container = true,
                                       .keeps_shape = true,
                                       .shape = res_shape,
                                       .forward = res_forward,
                                       .backward = res_backward,
                                       .graph = res_graph,
                                       .load = res_load};
