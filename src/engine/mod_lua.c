/* mod_lua.c: the module kind whose forward is a function of the caller's (a model
 * written in Lua at the REPL; the engine knows only a function pointer and its user
 * data, never Lua). Forward calls it on a new tensor over the batch, recording the
 * graph in training mode, and keeps the output; backward is autograd from that output
 * seeded with d(loss)/dy, plus the L1/L2 gradient of the built-in layers inside. The
 * parameters are the caller's tensors, taken part by part by the optimizer
 * (nn_optim_step_parts) and by the training loop's copies (safe point, best epoch).
 * The built-in modules inside are the module's children, so their penalties,
 * batch-norm statistics and modes follow the generic code of module.c; the def's
 * release, zero_grad, params_copy, optim_step and training hooks reach the caller's
 * tensors where the generic code reaches the block. */
#include <string.h>

#include "module_internal.h"

typedef struct callback_state {
    nn_callback_fns fns;
    void *user;
    nn_tensor **params; /* retained */
    int nparams;
    float **p, **g; /* the optimizer's parts, filled at each step */
    int64_t *n;
    nn_tensor *y; /* the last forward's output (its graph), until the next forward */
} callback_state;

nn_module *nn_callback_new(nn_ctx *ctx, const nn_callback_fns *fns, void *user,
                           nn_tensor *const *params, int nparams, nn_module *const *inner,
                           int ninner, int out) {
    if (!fns || !fns->forward || nparams < 0 || ninner < 0 || out < 1 || (nparams && !params) ||
        (ninner && !inner)) {
        nn_errorf(ctx, NN_EARG,
                  "callback module: need a forward, out >= 1 and the lists; got %d parameters, "
                  "%d modules, out %d",
                  nparams, ninner, out);
        return NULL;
    }
    int64_t np = 0;
    for (int i = 0; i < nparams; i++) {
        if (!params[i] || params[i]->device != NN_CPU) {
            nn_errorf(ctx, NN_EARG, "callback module: parameter %d is missing or not on the CPU",
                      i + 1);
            return NULL;
        }
        np += params[i]->size;
    }
    for (int i = 0; i < ninner; i++)
        if (!inner[i]) {
            nn_errorf(ctx, NN_EARG, "callback module: inner module %d is missing", i + 1);
            return NULL;
        }
    /* no block: the parameters are the caller's tensors (np counts them) */
    nn_module *m = nn_module_alloc(ctx, NN_MOD_CALLBACK, 0, out, 0);
    callback_state *s = m ? nn_calloc(ctx, 1, sizeof *s) : NULL;
    size_t ptrs = (size_t)(nparams ? nparams : 1);
    if (s) {
        m->kstate = s;
        s->params = nn_calloc(ctx, ptrs, sizeof *s->params);
        s->p = nn_calloc(ctx, ptrs, sizeof *s->p);
        s->g = nn_calloc(ctx, ptrs, sizeof *s->g);
        s->n = nn_calloc(ctx, ptrs, sizeof *s->n);
        m->kids = nn_calloc(ctx, (size_t)(ninner ? ninner : 1), sizeof *m->kids);
    }
    if (!s || !s->params || !s->p || !s->g || !s->n || !m->kids) {
        if (s) nn_mfree(s->params), nn_mfree(s->p), nn_mfree(s->g), nn_mfree(s->n);
        if (m) m->kstate = NULL;
        nn_mfree(s);
        nn_module_free(m);
        return NULL;
    }
    m->np = np;
    s->fns = *fns, s->user = user, s->nparams = nparams;
    for (int i = 0; i < nparams; i++) s->params[i] = nn_tensor_retain(params[i]);
    /* children for the generic walks, but not "in a container": they may still be put
     * into a sequential of the user's (parents is left alone) */
    for (int i = 0; i < ninner; i++) m->kids[i] = nn_module_retain(inner[i]);
    m->nkids = ninner;
    return m;
}

/* Called by nn_module_free before the generic release: drops what only this kind holds
 * and the children (without the parents count, which it never took). */
static void callback_release(nn_module *m) {
    callback_state *s = m->kstate;
    for (int i = 0; i < m->nkids; i++) nn_module_free(m->kids[i]);
    m->nkids = 0;
    if (!s) return;
    for (int i = 0; i < s->nparams; i++) nn_tensor_free(s->params[i]);
    nn_tensor_free(s->y);
    nn_mfree(s->params);
    nn_mfree(s->p);
    nn_mfree(s->g);
    nn_mfree(s->n);
    nn_mfree(s);
    m->kstate = NULL;
}

/* The output is [batch, out] whatever the input's shape; the caller's forward says
 * whether it takes that input. */
static int callback_shape(const nn_module *m, int ndim, const int *in, int *out) {
    out[0] = ndim > 0 ? in[0] : 0;
    out[1] = m->out;
    return 2;
}

static int callback_forward(nn_module *m, const float *x) {
    callback_state *s = m->kstate;
    nn_ctx *ctx = m->ctx;
    int batch = m->ishape[0];
    nn_tensor *xt = nn_from_array(ctx, m->in_nd, m->ishape, x); /* the caller may keep it */
    if (!xt) return NN_ENOMEM;
    char err[NN_ERR_LEN] = "";
    bool was = nn_set_grad_enabled(ctx, m->training); /* evaluation records no graph */
    nn_tensor *y = s->fns.forward(s->user, xt, err, sizeof err);
    nn_set_grad_enabled(ctx, was);
    nn_tensor_free(xt);
    if (!y) return nn_errorf(ctx, NN_EARG, "%s", err[0] ? err : "the model's forward failed");
    if (y->ndim != 2 || y->shape[0] != batch || y->shape[1] != m->out || y->device != NN_CPU) {
        char sy[64];
        nn_shape_str(y, sy, sizeof sy);
        nn_tensor_free(y);
        return nn_errorf(ctx, NN_ESHAPE,
                         "the model's forward gave %s for a batch of %d rows; expected [%d,%d]", sy,
                         batch, batch, m->out);
    }
    nn_tensor_free(s->y); /* the previous step's graph goes */
    s->y = y;
    m->yout = y->data;
    return NN_OK;
}

/* Adds the gradient of the L1/L2 penalties of the built-in linear layers under k
 * (autograd's graph of them has no penalty term). */
static void penalty_grads(nn_module *k) {
    if (k->kind == NN_MOD_LINEAR && !k->frozen && (k->l1 != 0 || k->l2 != 0))
        k->ctx->backend->penalty_back(k->blk->p + k->off, k->blk->g + k->off,
                                      (int64_t)k->in * k->out, k->l1, k->l2);
    for (int i = 0; i < k->nkids; i++) penalty_grads(k->kids[i]);
}

static int callback_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    callback_state *s = m->kstate;
    (void)x; /* the kept output's graph holds what backward needs */
    if (dx)
        return nn_errorf(m->ctx, NN_EARG,
                         "%s: no gradient with respect to its input (it must be the whole model)",
                         nn_module_name(m));
    if (!s->y) return nn_errorf(m->ctx, NN_ESTATE, "backward: no forward before it");
    int rc = nn_backward_grad(m->ctx, s->y, dy);
    if (rc) return rc;
    for (int i = 0; i < m->nkids; i++) penalty_grads(m->kids[i]);
    return NN_OK;
}

/* At the prompt a model written in Lua is its own graph: its forward on tensors. */
static nn_tensor *callback_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    callback_state *s = m->kstate;
    char err[NN_ERR_LEN] = "";
    nn_tensor *y = s->fns.forward(s->user, x, err, sizeof err);
    if (!y) nn_errorf(ctx, NN_EARG, "%s", err[0] ? err : "the model's forward failed");
    return y;
}

/* Zeroes the gradients, and makes those not made yet (a tensor that no backward has
 * reached, or one unfrozen since), so that each part has one for the optimizer. */
static void callback_zero_grad(nn_module *m) {
    callback_state *s = m->kstate;
    for (int i = 0; i < s->nparams; i++) {
        nn_tensor *t = s->params[i];
        if (t->grad)
            nn_zero_grad(t);
        else if (t->requires_grad)
            nn_ensure_grad(m->ctx, t); /* zeroed; out of memory leaves it frozen this step */
    }
}

static float *callback_params_copy(nn_module *m, float *buf, bool save) {
    callback_state *s = m->kstate;
    for (int i = 0; i < s->nparams; i++) {
        nn_tensor *t = s->params[i];
        size_t bytes = (size_t)t->size * sizeof(float);
        memcpy(save ? buf : t->data, save ? t->data : buf, bytes);
        buf += t->size;
    }
    return buf;
}

/* A part that does not require grad now (a layer frozen, even mid-run) keeps its
 * place in the optimizer's state and is left alone. */
static double callback_optim_step(nn_optim *o, nn_module *m) {
    callback_state *s = m->kstate;
    for (int i = 0; i < s->nparams; i++) {
        nn_tensor *t = s->params[i];
        bool live = t->requires_grad && t->grad;
        s->p[i] = live ? t->data : NULL;
        s->g[i] = live ? t->grad->data : NULL;
        s->n[i] = t->size;
    }
    return nn_optim_step_parts(o, s->p, s->g, s->n, s->nparams);
}

static void callback_set_training(nn_module *m, bool on) {
    callback_state *s = m->kstate;
    if (s->fns.train) s->fns.train(s->user, on);
}

static bool callback_is_training(const nn_module *m) {
    const callback_state *s = m->kstate;
    return s->fns.training ? s->fns.training(s->user) : m->training;
}

/* No load: a model written in Lua is saved by its own parameters (nn.save_params). */
const nn_module_def nn_mod_callback = {.kind = "callback",
                                       .shape = callback_shape,
                                       .forward = callback_forward,
                                       .backward = callback_backward,
                                       .graph = callback_graph,
                                       .release = callback_release,
                                       .set_training = callback_set_training,
                                       .is_training = callback_is_training,
                                       .zero_grad = callback_zero_grad,
                                       .params_copy = callback_params_copy,
                                       .optim_step = callback_optim_step};
