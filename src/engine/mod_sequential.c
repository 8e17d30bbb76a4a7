/* mod_sequential.c: the sequential container y = f_n(...f_1(x)): a chain of
 * modules whose shapes are checked when it is built (each child's output shape must
 * fit the next child's input, as far as it is known without data) and again on
 * every forward. Its parameters are its children's, in order, in one block. */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"

/* Walks the children's shapes from the input (ndim, in); ndim 0 = unknown, and a
 * child that cannot tell its output without its input leaves it unknown. Returns
 * the output ndim (0 = unknown) or an error naming the child. */
static int walk_shapes(nn_ctx *ctx, nn_module *const *kids, int n, int ndim, const int *in,
                       int *out) {
    int cur[NN_MAX_DIMS], nd = ndim;
    int before[NN_MAX_DIMS], bnd = 0; /* the shape the previous child took */
    for (int i = 0; i < nd; i++) cur[i] = in[i];
    for (int i = 0; i < n; i++) {
        const nn_module *k = kids[i];
        int next[NN_MAX_DIMS];
        int rc = nn_module_def_of(k)->shape(k, nd, cur, next);
        if (rc < 0) {
            char msg[NN_ERR_LEN], hint[96] = "";
            snprintf(msg, sizeof msg, "%s", nn_error(ctx));
            /* a linear after a flatten of maps: the width it needs, worked out */
            if (k->kind == NN_MOD_LINEAR && i > 0 && kids[i - 1]->kind == NN_MOD_FLATTEN &&
                bnd == 4 && nd == 2 && k->out > 0)
                snprintf(hint, sizeof hint,
                         "; the flatten before it gives %dx%dx%d = %d: nn.linear(%d, %d)",
                         before[1], before[2], before[3], cur[1], cur[1], k->out);
            return nn_errorf(ctx, rc, "sequential: module %d: %s%s", i + 1, msg, hint);
        }
        if (rc > 0 && nd > 0) next[0] = cur[0];
        bnd = nd;
        for (int j = 0; j < nd; j++) before[j] = cur[j];
        nd = rc;
        for (int j = 0; j < nd; j++) cur[j] = next[j];
    }
    for (int j = 0; j < nd; j++) out[j] = cur[j];
    return nd;
}

nn_module *nn_sequential_new(nn_ctx *ctx, nn_module *const *children, int n) {
    if (n < 1) {
        nn_errorf(ctx, NN_EARG, "sequential: needs at least one module");
        return NULL;
    }
    int in = 0;
    bool looking = true; /* for the input width, through modules that keep the shape */
    for (int i = 0; i < n; i++) {
        nn_module *k = children[i];
        if (!k) {
            nn_errorf(ctx, NN_EARG, "sequential: module %d is missing", i + 1);
            return NULL;
        }
        if (nn_module_in_use(ctx, "sequential", k, children, i)) return NULL;
        if (looking && k->in) in = k->in;
        looking = looking && !k->in && nn_module_def_of(k)->keeps_shape;
    }
    int out[NN_MAX_DIMS], nd = walk_shapes(ctx, children, n, 0, NULL, out);
    if (nd < 0) return NULL;
    return nn_module_container(ctx, NN_MOD_SEQUENTIAL, children, n, in, nd == 2 ? out[1] : 0);
}

static int seq_shape(const nn_module *m, int ndim, const int *in, int *out) {
    return walk_shapes(m->ctx, m->kids, m->nkids, ndim, in, out);
}

/* The ReLU of a fused conv + ReLU pair takes the conv's rectified output as its own:
 * what nn_module_fwd records for a module that keeps the shape, without the pass. */
static void pass_through(nn_module *k, const float *x, int nd, const int *shape) {
    k->in_nd = k->out_nd = nd;
    for (int i = 0; i < nd; i++) k->ishape[i] = k->oshape[i] = shape[i];
    k->nin = k->nout = nn_dims_prod(nd, shape, 0);
    k->shape_known = true;
    k->yout = x;
}

static int seq_forward(nn_module *m, const float *x) {
    const float *h = x;
    int nd = m->in_nd;
    const int *shape = m->ishape;
    for (int i = 0; i < m->nkids; i++) {
        nn_module *k = m->kids[i];
        bool fused = i + 1 < m->nkids && nn_conv2d_fuse_relu(k, m->kids[i + 1]);
        int rc = nn_module_fwd(k, h, nd, shape);
        if (rc) {
            nn_conv2d_fuse_relu(k, NULL); /* a forward of k alone rectifies nothing */
            return rc;
        }
        h = k->yout, nd = k->out_nd, shape = k->oshape;
        if (fused) pass_through(m->kids[++i], h, nd, shape);
    }
    m->yout = h;
    m->out_nd = nd;
    memcpy(m->oshape, shape, (size_t)nd * sizeof(int));
    m->nout = m->kids[m->nkids - 1]->nout;
    return NN_OK;
}

/* Back through the children, last first: each one's d(loss)/d(input) goes to its
 * own dx buffer (grown to its input), which is the previous child's dy. The ReLU of a
 * fused pair is skipped: the conv's backward applies its mask. */
static int seq_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    const float *d = dy;
    for (int i = m->nkids - 1; i >= 0; i--) {
        nn_module *k = m->kids[i];
        if (i > 0 && nn_conv2d_relu_fused(m->kids[i - 1])) continue;
        const float *kin = i > 0 ? m->kids[i - 1]->yout : x;
        float *kdx = dx;
        if (i > 0) {
            if (nn_grow(m->ctx, &k->dx, &k->dxcap, k->nin)) return NN_ENOMEM;
            kdx = k->dx;
        }
        int rc = nn_module_bwd(k, kin, d, kdx);
        if (rc) return rc;
        d = kdx;
    }
    return NN_OK;
}

static nn_tensor *seq_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_tensor *h = x;
    for (int i = 0; i < m->nkids && h; i++) {
        nn_tensor *next = nn_module_graph(ctx, m->kids[i], h);
        if (h != x && !ctx->in_step) nn_tensor_free(h); /* next holds what it needs */
        h = next;
    }
    return h;
}

static nn_module *seq_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)r;
    return nn_sequential_new(ctx, kids, rec->nkids);
}

const nn_module_def nn_mod_sequential = {.kind = "sequential",
                                         .container = true,
                                         .shape = seq_shape,
                                         .forward = seq_forward,
                                         .backward = seq_backward,
                                         .graph = seq_graph,
                                         .load = seq_load};
