/* mod_residual.c: the residual container y = x + f(x), with f keeping its input's
 * shape (checked when it is built, as far as f's input is known, and on every
 * forward), or y = f(x) + s(x) with a shortcut s (a projection: ResNet's 1x1 conv
 * with a stride, when f changes the shape) whose output shape must be f's. */
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

static int shortcut_error(nn_ctx *ctx, int ndim, const int *in, int fnd, const int *fout, int snd,
                          const int *sout) {
    char si[64], sf[64], ss[64];
    return nn_errorf(
        ctx, NN_ESHAPE, "residual: f(x) + shortcut(x) needs one shape, got %s -> %s and %s",
        nn_batch_shape_str(ndim, in, si, sizeof si), nn_batch_shape_str(fnd, fout, sf, sizeof sf),
        nn_batch_shape_str(snd, sout, ss, sizeof ss));
}

nn_module *nn_residual_shortcut_new(nn_ctx *ctx, nn_module *inner, nn_module *shortcut) {
    if (!shortcut) return nn_residual_new(ctx, inner);
    if (!inner) {
        nn_errorf(ctx, NN_EARG, "residual: the inner module is missing");
        return NULL;
    }
    nn_module *kids[2] = {inner, shortcut};
    if (nn_module_in_use(ctx, "residual", inner, NULL, 0) ||
        nn_module_in_use(ctx, "residual", shortcut, kids, 1))
        return NULL;
    return nn_module_container(ctx, NN_MOD_RESIDUAL, kids, 2, inner->in, inner->out);
}

static int res_shape(const nn_module *m, int ndim, const int *in, int *out) {
    const nn_module *k = m->kids[0];
    int nd = nn_module_def_of(k)->shape(k, ndim, in, out);
    if (nd < 0 || ndim == 0) return nd;
    if (m->nkids == 2) {
        const nn_module *s = m->kids[1];
        int sout[NN_MAX_DIMS], snd = nn_module_def_of(s)->shape(s, ndim, in, sout);
        if (snd < 0) return snd;
        if (snd > 0 && nd > 0 && !same(nd, out, snd, sout))
            return shortcut_error(m->ctx, ndim, in, nd, out, snd, sout);
        return nd;
    }
    if (!same(ndim, in, nd, out)) return shape_kept_error(m->ctx, ndim, in, nd, out);
    return nd;
}

/* y = f(x) + s(x) */
static int res_forward_shortcut(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    nn_module *f = m->kids[0], *s = m->kids[1];
    int rc = nn_module_fwd(f, x, m->in_nd, m->ishape);
    if (!rc) rc = nn_module_fwd(s, x, m->in_nd, m->ishape);
    if (rc) return rc;
    if (!same(f->out_nd, f->oshape, s->out_nd, s->oshape))
        return shortcut_error(ctx, m->in_nd, m->ishape, f->out_nd, f->oshape, s->out_nd, s->oshape);
    m->out_nd = f->out_nd;
    memcpy(m->oshape, f->oshape, sizeof m->oshape);
    m->nout = f->nout;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout)) return NN_ENOMEM;
    ctx->backend->copy(m->y, f->yout, m->nout);
    ctx->backend->acc(m->y, s->yout, m->nout);
    m->yout = m->y;
    return NN_OK;
}

static int res_forward(nn_module *m, const float *x) {
    if (m->nkids == 2) return res_forward_shortcut(m, x);
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

/* forward: y = x + f(x), so dx = dy + f'(x)^T dy; with a shortcut y = f(x) + s(x),
 * so dx = f'(x)^T dy + s'(x)^T dy (the second through a scratch in m->saved) */
static int res_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    int rc = nn_module_bwd(m->kids[0], x, dy, dx);
    if (rc) return rc;
    if (m->nkids == 2) {
        if (dx && nn_grow(m->ctx, &m->saved, &m->scap, m->nin)) return NN_ENOMEM;
        rc = nn_module_bwd(m->kids[1], x, dy, dx ? m->saved : NULL);
        if (!rc && dx) m->ctx->backend->acc(dx, m->saved, m->nin);
        return rc;
    }
    if (dx) m->ctx->backend->acc(dx, dy, m->nin);
    return NN_OK;
}

static nn_tensor *res_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_tensor *f = nn_module_graph(ctx, m->kids[0], x);
    nn_tensor *s = m->nkids == 2 && f ? nn_module_graph(ctx, m->kids[1], x) : x;
    nn_tensor *y = f && s ? nn_add(ctx, s, f) : NULL;
    if (!ctx->in_step) {
        nn_tensor_free(f);
        if (s != x) nn_tensor_free(s);
    }
    return y;
}

static nn_module *res_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)r;
    if (rec->nkids != 1 && rec->nkids != 2) {
        nn_errorf(ctx, NN_EFORMAT, "residual: the record has %d inner modules, not 1 or 2",
                  rec->nkids);
        return NULL;
    }
    return nn_residual_shortcut_new(ctx, kids[0], rec->nkids == 2 ? kids[1] : NULL);
}

const nn_module_def nn_mod_residual = {.kind = "residual",
                                       .container = true,
                                       .keeps_shape = true,
                                       .shape = res_shape,
                                       .forward = res_forward,
                                       .backward = res_backward,
                                       .graph = res_graph,
                                       .load = res_load};
