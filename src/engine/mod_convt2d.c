/* mod_convt2d.c: the transposed 2-D convolution layer [batch, C, H, W] -> [batch, K,
 * OH, OW] with OH = (H - 1) sh - 2 ph + dh (kh - 1) + oph + 1 (the output padding oph
 * adds rows below, to undo a strided conv2d's floor), or with "same" padding OH = H sh
 * (Keras's: the adjoint of conv2d's "same", which maps H sh back to H: of the
 * dh (kh - 1) + 1 - sh rows too many, half, rounded down, are cropped above and the
 * rest below; when the window is shorter than the stride, the rows missing come below,
 * reached by no input), groups and an optional bias.
 * It is the adjoint of the conv2d that maps [batch, K, OH, OW] back to [batch, C, H,
 * W] with the same weight [C, K/groups, kh, kw] (PyTorch's layout), so it runs on the
 * backend's conv2d entries with the roles swapped: forward is conv2d's input gradient
 * (gemm, then col2im), backward's input gradient is conv2d's forward (im2col, gemm).
 * Its record adds i32 {C, K, groups, bias, kh, kw, sh, sw, dh, dw, ph, pw, oph, opw},
 * "same" in bit 1 of bias (files from before it read as not same). */
#include <stdio.h>

#include "module_internal.h"

typedef struct convt_state {
    nn_window win; /* pad[0] = pad[1] = ph, pad[2] = pad[3] = pw; or same */
    int C, K, groups, oph, opw;
    bool bias;
    float *col; /* the backend's conv scratch */
    int64_t colcap;
} convt_state;

static convt_state *st(const nn_module *m) {
    return m->kstate;
}

/* weights: [C, K/groups * kh * kw] */
static int64_t nweights(const convt_state *s) {
    return (int64_t)s->C * (s->K / s->groups) * s->win.kh * s->win.kw;
}

nn_module *nn_conv_transpose2d_new(nn_ctx *ctx, int in, int out, const nn_window *win,
                                   int out_pad_h, int out_pad_w, int groups, bool bias,
                                   nn_init w_init, nn_init b_init) {
    const char *who = "conv_transpose2d";
    if (in < 1 || out < 1 || groups < 1 || in % groups || out % groups) {
        nn_errorf(ctx, NN_EARG,
                  "%s: channels must be >= 1 and groups divide both, got in=%d out=%d groups=%d",
                  who, in, out, groups);
        return NULL;
    }
    if (!nn_window_ok(ctx, who, win)) return NULL;
    if (!win->same && (win->pad[0] != win->pad[1] || win->pad[2] != win->pad[3])) {
        nn_errorf(ctx, NN_EARG,
                  "%s: padding must be the same on both sides of an axis (a number or {ph, pw}), "
                  "got %d+%d, %d+%d",
                  who, win->pad[0], win->pad[1], win->pad[2], win->pad[3]);
        return NULL;
    }
    if (win->same && (out_pad_h || out_pad_w)) {
        nn_errorf(ctx, NN_EARG,
                  "%s: padding \"same\" makes the output the input times the stride: no "
                  "output_padding, got %dx%d",
                  who, out_pad_h, out_pad_w);
        return NULL;
    }
    /* as PyTorch: the extra rows must be fewer than the stride or the dilation, or
     * they would be rows no input position reaches that a bigger output cannot give */
    if (out_pad_h < 0 || out_pad_w < 0 || (out_pad_h >= win->sh && out_pad_h >= win->dh) ||
        (out_pad_w >= win->sw && out_pad_w >= win->dw)) {
        nn_errorf(ctx, NN_EARG,
                  "%s: output_padding must be >= 0 and smaller than the stride or the dilation, "
                  "got %dx%d with stride %dx%d, dilation %dx%d",
                  who, out_pad_h, out_pad_w, win->sh, win->sw, win->dh, win->dw);
        return NULL;
    }
    int64_t patch = (int64_t)out / groups * win->kh * win->kw, nw = patch * in;
    if (nw > (int64_t)1 << 30) {
        nn_errorf(ctx, NN_EARG, "%s: %lld weights is too many", who, (long long)nw);
        return NULL;
    }
    convt_state *s = nn_calloc(ctx, 1, sizeof *s);
    if (!s) {
        nn_errorf(ctx, NN_ENOMEM, "%s: out of memory", who);
        return NULL;
    }
    nn_window w = *win;
    if (w.same) w.pad[0] = w.pad[1] = w.pad[2] = w.pad[3] = 0; /* the input's size decides */
    *s = (convt_state){.win = w,
                       .C = in,
                       .K = out,
                       .groups = groups,
                       .oph = out_pad_h,
                       .opw = out_pad_w,
                       .bias = bias};
    nn_module *m = nn_module_alloc(ctx, NN_MOD_CONV_TRANSPOSE2D, 0, 0, nw + (bias ? out : 0));
    if (!m) {
        nn_mfree(s);
        return NULL;
    }
    m->kstate = s;
    m->w_init = w_init;
    m->b_init = b_init;
    /* as PyTorch's: the fan in of an output is K/groups kh kw */
    float *p = m->blk->p;
    if (nn_init_fill(ctx, w_init, p, (int)patch, in) != NN_OK ||
        (bias && nn_init_fill(ctx, b_init, p + nw, 1, out) != NN_OK)) {
        nn_module_free(m);
        return NULL;
    }
    return m;
}

/* The geometry of the conv2d this layer is the adjoint of: its input is our output
 * [B, K, OH, OW], its output our input [B, C, H, W]. */
static int convt_geom(const nn_module *m, int ndim, const int *in, nn_conv_geom *g) {
    const convt_state *s = st(m);
    const nn_window *w = &s->win;
    if (ndim != 4 || in[1] != s->C) {
        char want[48];
        snprintf(want, sizeof want, "[batch, %d, H, W]", s->C);
        return nn_module_shape_error(m, want, ndim, in,
                                     ndim == 2 ? "images come as [batch, C, H, W]" : NULL);
    }
    int64_t span_h = (int64_t)w->dh * (w->kh - 1) + 1, span_w = (int64_t)w->dw * (w->kw - 1) + 1;
    int64_t oh = (int64_t)(in[2] - 1) * w->sh - 2 * w->pad[0] + span_h + s->oph;
    int64_t ow = (int64_t)(in[3] - 1) * w->sw - 2 * w->pad[2] + span_w + s->opw;
    int pt = w->pad[0], pl = w->pad[2];
    if (w->same) { /* the crop above (left) is half of what the window overshoots */
        oh = (int64_t)in[2] * w->sh, ow = (int64_t)in[3] * w->sw;
        pt = span_h > w->sh ? (int)((span_h - w->sh) / 2) : 0;
        pl = span_w > w->sw ? (int)((span_w - w->sw) / 2) : 0;
    }
    bool bad_h = oh < 1 || oh > 1 << 20;
    if (bad_h || ow < 1 || ow > 1 << 20) { /* name the axis that does not fit */
        char hint[200];
        if (w->same)
            snprintf(hint, sizeof hint, "output size %d*%d = %lld (\"same\") is out of range",
                     bad_h ? in[2] : in[3], bad_h ? w->sh : w->sw, (long long)(bad_h ? oh : ow));
        else
            snprintf(hint, sizeof hint,
                     "output size (%d - 1)*%d - 2*%d + %d*(%d - 1) + %d + 1 = %lld is out of range",
                     bad_h ? in[2] : in[3], bad_h ? w->sh : w->sw, bad_h ? w->pad[0] : w->pad[2],
                     bad_h ? w->dh : w->dw, bad_h ? w->kh : w->kw, bad_h ? s->oph : s->opw,
                     (long long)(bad_h ? oh : ow));
        return nn_module_shape_error(m, "[batch, C, H, W] with H, W that fit the padding", ndim, in,
                                     hint);
    }
    *g = (nn_conv_geom){.B = in[0],
                        .C = s->K,
                        .H = (int)oh,
                        .W = (int)ow,
                        .K = s->C,
                        .OH = in[2],
                        .OW = in[3],
                        .kh = w->kh,
                        .kw = w->kw,
                        .sh = w->sh,
                        .sw = w->sw,
                        .dh = w->dh,
                        .dw = w->dw,
                        .pt = pt,
                        .pl = pl,
                        .groups = s->groups};
    int64_t ncol = (int64_t)g->C * g->kh * g->kw * g->OH * g->OW;
    if (ncol > (int64_t)1 << 28) {
        char shape[96];
        nn_batch_shape_str(ndim, in, shape, sizeof shape);
        return nn_errorf(m->ctx, NN_ESHAPE,
                         "conv_transpose2d: %s with a %dx%d kernel needs %lld values a sample in "
                         "its scratch: too large (at most 2^28)",
                         shape, g->kh, g->kw, (long long)ncol);
    }
    return NN_OK;
}

static int convt_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 0) return 0; /* the map size depends on the input */
    nn_conv_geom g = {0};    /* -O3 cannot see that an error return leaves it unread */
    int rc = convt_geom(m, ndim, in, &g);
    if (rc != NN_OK) return rc;
    out[0] = g.B, out[1] = g.C, out[2] = g.H, out[3] = g.W;
    return 4;
}

/* The broadcast of a per-channel vector over [B, K, H*W]. */
static nn_bcast channel_bcast(const nn_conv_geom *g) {
    int64_t hw = (int64_t)g->H * g->W;
    return (nn_bcast){.shape = {1, g->B, g->C, (int)hw},
                      .sa = {0, g->C * hw, hw, 1},
                      .sb = {0, 0, 1, 0},
                      .size = (int64_t)g->B * g->C * hw};
}

static int convt_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    const nn_backend *be = ctx->backend;
    convt_state *s = st(m);
    nn_conv_geom g;
    convt_geom(m, m->in_nd, m->ishape, &g); /* the shape passed the check */
    const float *p = m->blk->p + m->off;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout) ||
        nn_grow(ctx, &s->col, &s->colcap, be->conv2d_scratch(&g)))
        return NN_ENOMEM;
    be->fill(m->y, m->nout, 0.0f);
    be->conv2d_back(&g, NULL, p, NULL, x, NULL, NULL, m->y, s->col);
    if (s->bias) {
        nn_bcast bc = channel_bcast(&g);
        be->binary(NN_B_ADD, &bc, m->y, p + nweights(s), m->y);
    }
    m->yout = m->y;
    return NN_OK;
}

/* forward y = col2im(w^T x) + b: dx = conv2d(dy) with w (assigned), dw += x im2col(dy)^T
 * (conv2d's weight gradient with x and dy swapped), db += the sums of each dy map */
static int convt_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    const nn_backend *be = m->ctx->backend;
    convt_state *s = st(m);
    nn_conv_geom geom;
    convt_geom(m, m->in_nd, m->ishape, &geom);
    float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
    int64_t nw = nweights(s);
    if (dx) be->conv2d(&geom, dy, p, NULL, false, dx, s->col);
    if (m->frozen) return NN_OK;
    be->conv2d_back(&geom, dy, p, NULL, x, g, NULL, NULL, s->col);
    if (s->bias) {
        nn_bcast bc = channel_bcast(&geom);
        be->binary_back(NN_B_ADD, &bc, m->y, p + nw, dy, NULL, g + nw);
    }
    if (m->l1 != 0 || m->l2 != 0) be->penalty_back(p, g, nw, m->l1, m->l2);
    return NN_OK;
}

static nn_tensor *convt_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    convt_state *s = st(m);
    nn_conv_geom g;
    if (convt_geom(m, x->ndim, x->shape, &g) != NN_OK) return NULL;
    nn_tensor *w = nn_module_param_tensor(m, 0);
    nn_tensor *y = w ? nn_conv_transpose2d_op(ctx, x, w, &g) : NULL;
    if (!y || !s->bias) return y;
    nn_tensor *b = nn_module_param_tensor(m, 1);
    int bshape[4] = {1, s->K, 1, 1};
    nn_tensor *b4 = b ? nn_reshape(ctx, b, 4, bshape) : NULL;
    nn_tensor *yb = b4 ? nn_add(ctx, y, b4) : NULL;
    if (!ctx->in_step) nn_tensor_free(y), nn_tensor_free(b4); /* yb holds them when it needs */
    return yb;
}

static bool convt_param(const nn_module *m, int i, nn_param_desc *p) {
    const convt_state *s = st(m);
    int patch = (int)(nweights(s) / s->C);
    if (i == 0) *p = (nn_param_desc){"weight", 0, 2, s->C, patch};
    if (i == 1 && s->bias) *p = (nn_param_desc){"bias", nweights(s), 1, 1, s->K};
    return i == 0 || (i == 1 && s->bias);
}

static double convt_penalty(const nn_module *m) {
    const float *w = m->blk->p + m->off;
    double sum = 0;
    for (int64_t i = 0; i < nweights(st(m)); i++)
        sum += m->l1 * (w[i] < 0 ? -w[i] : w[i]) + m->l2 * (double)w[i] * w[i];
    return sum;
}

static void convt_free(nn_module *m) {
    convt_state *s = st(m);
    if (!s) return;
    nn_mfree(s->col);
    nn_mfree(s);
    m->kstate = NULL;
}

static void convt_save(const nn_module *m, nn_mfile_out *w) {
    const convt_state *s = st(m);
    const nn_window *v = &s->win;
    int32_t r[14] = {s->C,   s->K,  s->groups, (int32_t)s->bias | (int32_t)v->same << 1,
                     v->kh,  v->kw, v->sh,     v->sw,
                     v->dh,  v->dw, v->pad[0], v->pad[2],
                     s->oph, s->opw};
    nn_mfile_write(w, r, sizeof r);
}

static nn_module *convt_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                             nn_mfile_in *r) {
    (void)rec, (void)kids;
    int32_t v[14];
    if (!nn_mfile_read(r, v, sizeof v)) return NULL;
    nn_window win = {v[4], v[5], v[6], v[7], v[8], v[9], {v[10], v[10], v[11], v[11]}, v[3] & 2};
    /* sizes bounded before they are multiplied, so that a crafted record cannot overflow */
    if (v[0] < 1 || v[1] < 1 || v[2] < 1 || v[0] > 1 << 20 || v[1] > 1 << 20 || v[1] % v[2]) {
        nn_errorf(ctx, NN_EFORMAT, "conv_transpose2d: the record has in=%d out=%d groups=%d", v[0],
                  v[1], v[2]);
        return NULL;
    }
    if (!nn_window_ok(ctx, "conv_transpose2d", &win)) return NULL;
    int64_t patch = (int64_t)v[1] / v[2] * win.kh * win.kw;
    if (patch > (int64_t)1 << 30 ||
        !nn_mfile_claim(r, patch * v[0] + (v[3] ? v[1] : 0), "conv_transpose2d"))
        return NULL;
    nn_init zero = {NN_INIT_ZEROS, 0, 0};
    return nn_conv_transpose2d_new(ctx, v[0], v[1], &win, v[12], v[13], v[2], (v[3] & 1) != 0, zero,
                                   zero);
}

const nn_module_def nn_mod_conv_transpose2d = {.kind = "conv_transpose2d",
                                               .shape = convt_shape,
                                               .forward = convt_forward,
                                               .backward = convt_backward,
                                               .graph = convt_graph,
                                               .param = convt_param,
                                               .penalty = convt_penalty,
                                               .save = convt_save,
                                               .load = convt_load,
                                               .free = convt_free};
