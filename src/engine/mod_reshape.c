/* mod_reshape.c: reshape each sample to a given shape, [batch, ...] -> [batch,
 * t1, ..., tk] with as many values a sample (one target size may be -1: what the
 * others leave). Like flatten, the output is the input itself, read in another
 * shape, and the gradient passes through unchanged. Its record in the model file
 * adds u32 k and i32 t[k] (the target as given). */
#include <stdio.h>

#include "module_internal.h"

nn_module *nn_reshape_new(nn_ctx *ctx, int ndim, const int *shape) {
    if (ndim < 1 || ndim > NN_MAX_DIMS - 1) {
        nn_errorf(ctx, NN_EARG, "reshape: a sample's shape has 1 to %d sizes, got %d",
                  NN_MAX_DIMS - 1, ndim);
        return NULL;
    }
    int free_dims = 0;
    for (int i = 0; i < ndim; i++) {
        free_dims += shape[i] == -1;
        if ((shape[i] < 1 && shape[i] != -1) || free_dims > 1) {
            nn_errorf(ctx, NN_EARG,
                      "reshape: sizes must be >= 1, with at most one -1 (the rest), got %d at %d",
                      shape[i], i + 1);
            return NULL;
        }
    }
    /* sizes come from users and from model files: their product must stay a size */
    int64_t values = 1;
    for (int i = 0; i < ndim; i++)
        if (shape[i] > 0 && (values *= shape[i]) > INT32_MAX) {
            nn_errorf(ctx, NN_EARG, "reshape: a sample of more than %d values (sizes up to %d)",
                      INT32_MAX, shape[i]);
            return NULL;
        }
    nn_module *m = nn_module_alloc(ctx, NN_MOD_RESHAPE, 0, 0, 0);
    if (!m) return NULL;
    m->tshape_nd = ndim;
    for (int i = 0; i < ndim; i++) m->tshape[i] = shape[i];
    return m;
}

static int reshape_shape(const nn_module *m, int ndim, const int *in, int *out) {
    int64_t known = 1;
    int free_at = -1;
    for (int i = 0; i < m->tshape_nd; i++) {
        out[i + 1] = m->tshape[i];
        if (m->tshape[i] == -1)
            free_at = i + 1;
        else
            known *= m->tshape[i];
    }
    out[0] = ndim ? in[0] : 1;
    if (ndim == 0) return free_at < 0 ? m->tshape_nd + 1 : 0;
    int64_t per = nn_dims_prod(ndim, in, 1);
    if (free_at >= 0 && per % known == 0) out[free_at] = (int)(per / known);
    if ((free_at >= 0 && per % known != 0) || (free_at < 0 && per != known)) {
        char target[64], want[160];
        nn_batch_shape_str(m->tshape_nd + 1, out, target, sizeof target);
        if (free_at >= 0)
            snprintf(want, sizeof want, "a multiple of %lld values a sample (to make %s)",
                     (long long)known, target);
        else
            snprintf(want, sizeof want, "%lld values a sample (to make %s)", (long long)known,
                     target);
        return nn_module_shape_error(m, want, ndim, in, NULL);
    }
    return m->tshape_nd + 1;
}

static int reshape_forward(nn_module *m, const float *x) {
    m->yout = x; /* the same floats in another shape */
    return NN_OK;
}

/* forward: y = x (another shape), so dx = dy */
static int reshape_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    if (dx) m->ctx->backend->copy(dx, dy, m->nin);
    return NN_OK;
}

static nn_tensor *reshape_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    int shape[NN_MAX_DIMS];
    int nd = reshape_shape(m, x->ndim, x->shape, shape);
    return nd < 0 ? NULL : nn_reshape(ctx, x, nd, shape);
}

static void reshape_save(const nn_module *m, nn_mfile_out *w) {
    uint32_t nd = (uint32_t)m->tshape_nd;
    nn_mfile_write(w, &nd, 4);
    nn_mfile_write(w, m->tshape, nd * sizeof(int32_t));
}

static nn_module *reshape_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                               nn_mfile_in *r) {
    (void)rec, (void)kids;
    uint32_t nd = 0;
    int32_t shape[NN_MAX_DIMS] = {0};
    if (!nn_mfile_read(r, &nd, 4)) return NULL;
    if (nd < 1 || nd > NN_MAX_DIMS - 1) {
        nn_errorf(ctx, NN_EFORMAT, "reshape: the record has %u sizes", nd);
        return NULL;
    }
    if (!nn_mfile_read(r, shape, nd * sizeof(int32_t))) return NULL;
    return nn_reshape_new(ctx, (int)nd, shape);
}

const nn_module_def nn_mod_reshape = {.kind = "reshape",
                                      .shape = reshape_shape,
                                      .forward = reshape_forward,
                                      .backward = reshape_backward,
                                      .graph = reshape_graph,
                                      .save = reshape_save,
                                      .load = reshape_load};
