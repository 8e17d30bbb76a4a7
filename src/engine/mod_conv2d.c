/* mod_conv2d.c: the 2-D convolution layer [batch, C, H, W] -> [batch, K, OH, OW],
 * computed as cross-correlation (the kernel is not flipped), as the course does, or
 * with the flip option as true convolution (the kernel turned by 180 degrees), with
 * stride, dilation, zero padding (per side, or "same"), groups and an optional bias.
 * The weight [K, C/groups, kh, kw] and the bias [K] lie side by side in the block;
 * the kernels are the backend's (im2col and gemm); the im2col scratch is grown and
 * kept, so a steady-state step allocates nothing. Its record in the model file adds
 * i32 {C, K, groups, bias} and the window (i32 kh kw sh sw dh dw pad[4] same), with
 * the flip option in bit 1 of `same` (files from before it read as not flipped). */
#include <stdio.h>

#include "module_internal.h"

typedef struct conv_state {
    nn_window win;
    int C, K, groups;
    bool bias;
    bool flip;      /* true convolution: the kernels are used turned by 180 degrees */
    bool relu_next; /* the next forward applies the ReLU that follows in a sequential */
    bool relu;      /* the last forward did: its output is rectified, its backward masks */
    float *col;     /* the backend's conv scratch */
    int64_t colcap;
    float *wflip; /* flip: the turned weights, then their gradient (2 x K * patch) */
    int64_t wflipcap;
} conv_state;

static conv_state *st(const nn_module *m) {
    return m->kstate;
}

static int patch_of(const conv_state *s) {
    return s->C / s->groups * s->win.kh * s->win.kw;
}

/* dst = the kernels of w [rows, kh*kw] turned by 180 degrees: reversing the flat
 * kh*kw index reverses both axes. */
static void turn_kernels(const float *w, float *dst, int64_t rows, int khw) {
    for (int64_t r = 0; r < rows; r++)
        for (int q = 0; q < khw; q++) dst[r * khw + q] = w[r * khw + khw - 1 - q];
}

void nn_conv2d_flip(nn_module *m, bool on) {
    if (m && m->kind == NN_MOD_CONV2D) st(m)->flip = on;
}

bool nn_conv2d_flipped(const nn_module *m) {
    return m && m->kind == NN_MOD_CONV2D && st(m)->flip;
}

bool nn_window_ok(nn_ctx *ctx, const char *who, const nn_window *w) {
    if (w->kh < 1 || w->kw < 1 || w->sh < 1 || w->sw < 1 || w->dh < 1 || w->dw < 1 ||
        w->kh > NN_WINDOW_MAX || w->kw > NN_WINDOW_MAX || w->sh > NN_WINDOW_MAX ||
        w->sw > NN_WINDOW_MAX || w->dh > NN_WINDOW_MAX || w->dw > NN_WINDOW_MAX) {
        nn_errorf(ctx, NN_EARG,
                  "%s: kernel, stride and dilation must be 1 to 4096, got kernel %dx%d, stride "
                  "%dx%d, dilation %dx%d",
                  who, w->kh, w->kw, w->sh, w->sw, w->dh, w->dw);
        return false;
    }
    for (int i = 0; i < 4; i++)
        if (w->pad[i] < 0 || w->pad[i] > 4096) {
            nn_errorf(ctx, NN_EARG, "%s: padding must be 0 to 4096, got %d", who, w->pad[i]);
            return false;
        }
    return true;
}

nn_module *nn_conv2d_new(nn_ctx *ctx, int in, int out, const nn_window *win, int groups, bool bias,
                         nn_init w_init, nn_init b_init) {
    if (in < 1 || out < 1 || groups < 1) {
        nn_errorf(ctx, NN_EARG,
                  "conv2d: channels and groups must be >= 1, got in=%d out=%d groups=%d", in, out,
                  groups);
        return NULL;
    }
    if (in % groups || out % groups) {
        nn_errorf(ctx, NN_EARG, "conv2d: groups (%d) must divide in (%d) and out (%d) channels",
                  groups, in, out);
        return NULL;
    }
    if (!nn_window_ok(ctx, "conv2d", win)) return NULL;
    int64_t patch = (int64_t)in / groups * win->kh * win->kw, nw = patch * out;
    if (nw > (int64_t)1 << 30) {
        nn_errorf(ctx, NN_EARG, "conv2d: %lld weights is too many", (long long)nw);
        return NULL;
    }
    conv_state *s = nn_calloc(ctx, 1, sizeof *s);
    if (!s) {
        nn_errorf(ctx, NN_ENOMEM, "conv2d: out of memory");
        return NULL;
    }
    *s = (conv_state){.win = *win, .C = in, .K = out, .groups = groups, .bias = bias};
    nn_module *m = nn_module_alloc(ctx, NN_MOD_CONV2D, 0, 0, nw + (bias ? out : 0));
    if (!m) {
        nn_mfree(s);
        return NULL;
    }
    m->kstate = s;
    m->w_init = w_init;
    m->b_init = b_init;
    /* fans of one output: patch inputs; out / groups kernels over each input */
    float *p = m->blk->p;
    if (nn_init_fill(ctx, w_init, p, (int)patch, out) != NN_OK ||
        (bias && nn_init_fill(ctx, b_init, p + nw, 1, out) != NN_OK)) {
        nn_module_free(m);
        return NULL;
    }
    return m;
}

/* One axis: the padding before (*p0) and the output size, or 0 when the window does
 * not fit. */
static int axis_out(int n, int k, int s, int d, int p0, int p1, bool same, int *pbefore) {
    int64_t span = (int64_t)d * (k - 1) + 1; /* window sizes are capped: no overflow */
    if (same) {
        int o = (n + s - 1) / s;
        int64_t total = (int64_t)(o - 1) * s + span - n;
        if (total < 0) total = 0;
        *pbefore = (int)(total / 2);
        return o;
    }
    *pbefore = p0;
    int64_t room = (int64_t)n + p0 + p1 - span;
    return room < 0 ? 0 : (int)(room / s + 1);
}

int nn_window_geom(const nn_module *m, const nn_window *win, int channels, int ndim, const int *in,
                   nn_conv_geom *g) {
    char want[96];
    if (channels)
        snprintf(want, sizeof want, "[batch, %d, H, W]", channels);
    else
        snprintf(want, sizeof want, "[batch, C, H, W]");
    if (ndim != 4 || (channels && in[1] != channels))
        return nn_module_shape_error(
            m, want, ndim, in,
            ndim == 2 ? "images come as [batch, C, H, W]: load them with shape = \"image\" or put "
                        "nn.reshape{C, H, W} before it"
                      : NULL);
    *g = (nn_conv_geom){.B = in[0],
                        .C = in[1],
                        .H = in[2],
                        .W = in[3],
                        .K = in[1],
                        .kh = win->kh,
                        .kw = win->kw,
                        .sh = win->sh,
                        .sw = win->sw,
                        .dh = win->dh,
                        .dw = win->dw,
                        .groups = in[1]};
    g->OH = axis_out(g->H, g->kh, g->sh, g->dh, win->pad[0], win->pad[1], win->same, &g->pt);
    g->OW = axis_out(g->W, g->kw, g->sw, g->dw, win->pad[2], win->pad[3], win->same, &g->pl);
    if (g->OH < 1 || g->OW < 1) {
        char hint[200];
        snprintf(hint, sizeof hint,
                 "the %dx%d window (dilation %dx%d) with padding %d+%d, %d+%d does not fit: "
                 "output size floor((%d - %d + %d)/%d) + 1 < 1",
                 g->kh, g->kw, g->dh, g->dw, win->pad[0], win->pad[1], win->pad[2], win->pad[3],
                 g->OH < 1 ? g->H : g->W,
                 g->OH < 1 ? g->dh * (g->kh - 1) + 1 : g->dw * (g->kw - 1) + 1,
                 g->OH < 1 ? win->pad[0] + win->pad[1] : win->pad[2] + win->pad[3],
                 g->OH < 1 ? g->sh : g->sw);
        snprintf(want, sizeof want, "[batch, %d, H, W] with H, W large enough", g->C);
        return nn_module_shape_error(m, want, ndim, in, hint);
    }
    return NN_OK;
}

/* The geometry of conv m over (ndim, in), refusing one whose im2col scratch of a
 * sample would pass 2^28 floats (1 GiB). */
static int conv_geom(const nn_module *m, int ndim, const int *in, nn_conv_geom *g) {
    const conv_state *s = st(m);
    int rc = nn_window_geom(m, &s->win, s->C, ndim, in, g);
    if (rc != NN_OK) return rc;
    g->K = s->K, g->groups = s->groups;
    int64_t ncol = (int64_t)g->C * g->kh * g->kw * g->OH * g->OW;
    if (ncol > (int64_t)1 << 28) {
        char shape[96];
        nn_batch_shape_str(ndim, in, shape, sizeof shape);
        return nn_errorf(m->ctx, NN_ESHAPE,
                         "conv2d: %s with a %dx%d kernel gives %dx%d maps of %lld values a "
                         "position: too large (at most 2^28 a sample)",
                         shape, g->kh, g->kw, g->OH, g->OW, (long long)g->C * g->kh * g->kw);
    }
    return NN_OK;
}

static int conv_shape(const nn_module *m, int ndim, const int *in, int *out) {
    conv_state *s = st(m);
    if (ndim == 0) return 0; /* the map size depends on the input */
    nn_conv_geom g;
    int rc = conv_geom(m, ndim, in, &g);
    if (rc != NN_OK) return rc;
    out[0] = g.B, out[1] = s->K, out[2] = g.OH, out[3] = g.OW;
    return 4;
}

/* The geometry of the last forward's input (its shape passed the check). */
static nn_conv_geom geom_now(const nn_module *m) {
    nn_conv_geom g;
    conv_geom(m, m->in_nd, m->ishape, &g);
    return g;
}

static int conv_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    conv_state *s = st(m);
    nn_conv_geom g = geom_now(m);
    const float *p = m->blk->p + m->off;
    int64_t nw = (int64_t)patch_of(s) * s->K;
    s->relu = s->relu_next, s->relu_next = false;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout) ||
        nn_grow(ctx, &s->col, &s->colcap, ctx->backend->conv2d_scratch(&g)) ||
        (s->flip && nn_grow(ctx, &s->wflip, &s->wflipcap, 2 * nw)))
        return NN_ENOMEM;
    const float *w = p;
    if (s->flip) {
        turn_kernels(p, s->wflip, nw / (g.kh * g.kw), g.kh * g.kw);
        w = s->wflip;
    }
    ctx->backend->conv2d(&g, x, w, s->bias ? p + nw : NULL, s->relu, m->y, s->col);
    m->yout = m->y;
    return NN_OK;
}

/* forward y = w * x + b (cross-correlation; with the fused ReLU y = max(0, .), and dy
 * is masked by y > 0 first): dw += dy (*) x, db += sums of dy over the
 * maps, dx = the transposed correlation of dy with w (the backend's, by col2im). With
 * flip the forward correlated with turn(w): the gradient of turn(w), found in the
 * scratch, is turned back into dw (turning is its own inverse). */
static int conv_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    const nn_backend *be = m->ctx->backend;
    conv_state *s = st(m);
    nn_conv_geom geom = geom_now(m);
    bool params = !m->frozen;
    float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
    int64_t nw = (int64_t)patch_of(s) * s->K;
    const float *relu_y = s->relu ? m->y : NULL;
    if (!params && !dx) return NN_OK;
    if (dx) be->fill(dx, m->nin, 0.0f);
    if (s->flip) { /* the forward left turn(w) in wflip[0, nw) */
        float *dwt = s->wflip + nw;
        int khw = geom.kh * geom.kw;
        if (params) be->fill(dwt, nw, 0.0f);
        be->conv2d_back(&geom, x, s->wflip, relu_y, dy, params ? dwt : NULL,
                        params && s->bias ? g + nw : NULL, dx, s->col);
        if (params)
            for (int64_t r = 0; r < nw / khw; r++)
                for (int q = 0; q < khw; q++) g[r * khw + q] += dwt[r * khw + khw - 1 - q];
    } else {
        be->conv2d_back(&geom, x, p, relu_y, dy, params ? g : NULL,
                        params && s->bias ? g + nw : NULL, dx, s->col);
    }
    if (params && (m->l1 != 0 || m->l2 != 0)) be->penalty_back(p, g, nw, m->l1, m->l2);
    return NN_OK;
}

/* turn(w) from ops: w [K, patch] as [rows, kh*kw], transposed, its rows (the kernel
 * offsets) gathered in reverse, transposed back. Outside a step the intermediates are
 * dropped here (the result keeps what backward needs). */
static nn_tensor *turned(nn_ctx *ctx, nn_tensor *w, const nn_conv_geom *g) {
    if (!w) return NULL;
    int khw = g->kh * g->kw, rows = (int)(w->size / khw), flat[2] = {rows, khw};
    int rev[64], *order = rev; /* the common kernels need no allocation */
    if (khw > 64 && !(order = nn_malloc(ctx, sizeof(int) * (size_t)khw))) return NULL;
    for (int q = 0; q < khw; q++) order[q] = khw - 1 - q;
    nn_tensor *t[4] = {NULL};
    t[0] = nn_reshape(ctx, w, 2, flat);
    t[1] = t[0] ? nn_transpose(ctx, t[0]) : NULL;
    t[2] = t[1] ? nn_gather_rows(ctx, t[1], order, khw) : NULL;
    t[3] = t[2] ? nn_transpose(ctx, t[2]) : NULL;
    if (order != rev) nn_mfree(order);
    nn_tensor *y = t[3] ? nn_reshape(ctx, t[3], 2, w->shape) : NULL;
    if (!ctx->in_step)
        for (int i = 0; i < 4; i++) nn_tensor_free(t[i]);
    return y;
}

static nn_tensor *conv_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    conv_state *s = st(m);
    nn_conv_geom g;
    if (conv_geom(m, x->ndim, x->shape, &g) != NN_OK) return NULL;
    nn_tensor *w = nn_module_param_tensor(m, 0), *wt = s->flip ? turned(ctx, w, &g) : w;
    nn_tensor *y = wt ? nn_conv2d_op(ctx, x, wt, &g) : NULL;
    if (!ctx->in_step && wt != w) nn_tensor_free(wt);
    if (!y || !s->bias) return y;
    nn_tensor *b = nn_module_param_tensor(m, 1);
    int bshape[4] = {1, s->K, 1, 1};
    nn_tensor *b4 = b ? nn_reshape(ctx, b, 4, bshape) : NULL;
    nn_tensor *yb = b4 ? nn_add(ctx, y, b4) : NULL;
    if (!ctx->in_step) nn_tensor_free(y), nn_tensor_free(b4); /* yb holds them when it needs */
    return yb;
}

static bool conv_param(const nn_module *m, int i, nn_param_desc *p) {
    const conv_state *s = st(m);
    int patch = patch_of(s);
    if (i == 0) *p = (nn_param_desc){"weight", 0, 2, s->K, patch};
    if (i == 1 && s->bias) *p = (nn_param_desc){"bias", (int64_t)patch * s->K, 1, 1, s->K};
    return i == 0 || (i == 1 && s->bias);
}

static double conv_penalty(const nn_module *m) {
    const float *w = m->blk->p + m->off;
    double sum = 0;
    for (int64_t i = 0; i < (int64_t)patch_of(st(m)) * st(m)->K; i++)
        sum += m->l1 * (w[i] < 0 ? -w[i] : w[i]) + m->l2 * (double)w[i] * w[i];
    return sum;
}

static void conv_free(nn_module *m) {
    conv_state *s = st(m);
    if (!s) return;
    nn_mfree(s->col);
    nn_mfree(s->wflip);
    nn_mfree(s);
    m->kstate = NULL;
}

static void conv_save(const nn_module *m, nn_mfile_out *w) {
    const conv_state *s = st(m);
    const nn_window *v = &s->win;
    int32_t r[14] = {s->C,  s->K,  s->groups, s->bias,   v->kh,     v->kw,     v->sh,
                     v->sw, v->dh, v->dw,     v->pad[0], v->pad[1], v->pad[2], v->pad[3]};
    int32_t same = (int32_t)v->same | (int32_t)s->flip << 1;
    nn_mfile_write(w, r, sizeof r);
    nn_mfile_write(w, &same, sizeof same);
}

static nn_module *conv_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                            nn_mfile_in *r) {
    (void)rec, (void)kids;
    int32_t v[15];
    if (!nn_mfile_read(r, v, sizeof v)) return NULL;
    nn_window win = {v[4], v[5], v[6], v[7], v[8], v[9], {v[10], v[11], v[12], v[13]}, v[14] & 1};
    /* sizes bounded before they are multiplied, so that a crafted record cannot overflow */
    if (v[0] < 1 || v[1] < 1 || v[2] < 1 || v[0] > 1 << 20 || v[1] > 1 << 20 || v[0] % v[2]) {
        nn_errorf(ctx, NN_EFORMAT, "conv2d: the record has in=%d out=%d groups=%d", v[0], v[1],
                  v[2]);
        return NULL;
    }
    if (!nn_window_ok(ctx, "conv2d", &win)) return NULL;
    int64_t patch = (int64_t)v[0] / v[2] * win.kh * win.kw;
    if (patch > (int64_t)1 << 30 || !nn_mfile_claim(r, patch * v[1] + (v[3] ? v[1] : 0), "conv2d"))
        return NULL;
    nn_init zero = {NN_INIT_ZEROS, 0, 0};
    nn_module *m = nn_conv2d_new(ctx, v[0], v[1], &win, v[2], v[3] != 0, zero, zero);
    nn_conv2d_flip(m, (v[14] & 2) != 0);
    return m;
}

const nn_module_def nn_mod_conv2d = {.kind = "conv2d",
                                     .shape = conv_shape,
                                     .forward = conv_forward,
                                     .backward = conv_backward,
                                     .graph = conv_graph,
                                     .param = conv_param,
                                     .penalty = conv_penalty,
                                     .save = conv_save,
                                     .load = conv_load,
                                     .free = conv_free};

bool nn_conv2d_window(const nn_module *m, nn_window *win, int *groups) {
    if (!m || m->kind != NN_MOD_CONV2D || !m->kstate) return false;
    *win = st(m)->win, *groups = st(m)->groups;
    return true;
}

bool nn_conv2d_fuse_relu(nn_module *m, const nn_module *next) {
    if (!m || m->kind != NN_MOD_CONV2D || !m->kstate) return false;
    bool on = next && next->kind == NN_MOD_ACTIVATION && next->act == NN_ACT_RELU;
    st(m)->relu_next = on;
    return on;
}

bool nn_conv2d_relu_fused(const nn_module *m) {
    return m && m->kind == NN_MOD_CONV2D && m->kstate && st(m)->relu;
}
