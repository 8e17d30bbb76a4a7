/* module_graph.c: a module's forward built from autograd ops on tensors, for the
 * prompt (m(x) with w.grad afterwards, modules composed in Lua) and as the
 * reference the direct kernels are tested against. Each kind builds its own graph
 * (the def's graph in mod_<kind>.c); this file checks the input's shape and makes
 * the parameter tensors: views of the shared block whose .grad is a view of the
 * gradient block, so backward through the graph accumulates where the kernels do. */
#include "module_internal.h"

/* The i-th parameter tensor of a leaf, made once and kept until the block moves. */
nn_tensor *nn_module_param_tensor(nn_module *m, int i) {
    if (i < 0 || i > 1) return NULL;
    if (m->pt[i]) return m->pt[i];
    const nn_module_def *d = nn_module_def_of(m);
    nn_param_desc p;
    if (!d->param || !d->param(m, i, &p)) {
        nn_errorf(m->ctx, NN_EARG, "%s has no parameter %d", nn_module_name(m), i + 1);
        return NULL;
    }
    float *data = m->blk->p + m->off + p.at, *grad = m->blk->g + m->off + p.at;
    int shape[2] = {p.rows, p.cols};
    const int *sh = p.ndim == 1 ? &shape[1] : shape; /* W [in,out]; the rest vectors */
    nn_tensor *t = nn_wrap(m->ctx, p.ndim, sh, data);
    nn_tensor *g = t ? nn_wrap(m->ctx, p.ndim, sh, grad) : NULL;
    if (!g) {
        nn_tensor_free(t);
        return NULL;
    }
    nn_tn(t)->base = nn_tensor_retain(m->blk->pt); /* views: the block's memory outlives m */
    nn_tn(g)->base = nn_tensor_retain(m->blk->gt);
    m->blk->g_used = true; /* autograd adds into it */
    t->grad = g;
    t->requires_grad = !m->frozen;
    return m->pt[i] = t;
}

nn_tensor *nn_module_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    if (!x) return NULL;
    const nn_module_def *d = nn_module_def_of(m);
    if (x->ndim < 2 && d->keeps_shape && !d->container && !m->in)
        return d->graph(ctx, m, x); /* an activation of a vector at the prompt */
    if (x->ndim < 2) {
        char s[32];
        nn_errorf(ctx, NN_ESHAPE, "%s: takes [batch, ...], got %s", nn_module_name(m),
                  nn_shape_str(x, s, sizeof s));
        return NULL;
    }
    int out[NN_MAX_DIMS];
    if (!d->container && d->shape(m, x->ndim, x->shape, out) < 0) return NULL;
    return d->graph(ctx, m, x);
}
