/* mod_rnn.c: the recurrent layers rnn, lstm and gru (three kinds sharing this code)
 * over batch-first sequences [batch, T, F]: stacked layers, one or two directions,
 * the last real step's state or every step's, padding masked (a step whose input is
 * all zeros, before or after the real ones), and truncated BPTT.
 *
 * Fused as cuDNN does: the input projection of every step is one gemm (XP = X W_x + b
 * over B T rows), each step is one gemm of the previous state with the recurrent
 * weights (h W_h, all gates at once) and one elementwise cell kernel; the backward
 * keeps each step's gradients of the pre-activations and makes the weight gradients
 * three gemms over all steps. The kernels are the backend's (rnn_cell, gemm).
 * The LSTM goes through the backend's lstm_seq where it has one (the CPU's: AVX-512,
 * units a multiple of 16): the whole recurrence of a lane in one call, each step the
 * concatenated [h, x] times W with the gates applied in registers, W packed once a pass,
 * and the weight gradients from the backend's lstm_seq_grads where it has it;
 * its step-indexed arrays (inputs, dA) are then in processing order, [T, B, .].
 * Layout of a layer and direction ("lane") in the block: W [H + F_l, G H] (rows of h,
 * then of x: W [h_{t-1}, x_t] as the course writes it), every lane's W first, then
 * the biases [L D, G H]. States are kept time-major in processing order (slot s holds
 * the state after s steps), so a step's rows are contiguous for its gemm. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "module_internal.h"

typedef struct lane {
    float *xp, *hs, *cs, *gates, *hpn, *dxp, *dhp;
    float *tc; /* LSTM: tanh(c) of each step, for the backend's lstm_seq */
    int64_t xpcap, hscap, cscap, gcap, hpncap, dxpcap, dhpcap, tccap;
} lane;

typedef struct rnn_state {
    nn_cell_kind cell;
    nn_act_kind act;
    int F, H, G, L, D, bptt;
    bool all, mask;
    lane *lanes;     /* L D of them, layer-major */
    float *ys, *dys; /* layer outputs [L-1][B, T, D H]; their gradients, two buffers */
    float *msk;      /* [B, T]: 1 real step, 0 padding */
    float *hp, *dh, *dc, *ones, *gnorm;
    float *wt;    /* W_h^T [G H, H] of the lane in backward: dh += dhp W_h^T as a plain
                   * product runs about a quarter faster in OpenBLAS than the transposed one;
                   * lstm_seq's packed W [G H (H + F)] when the backend has it */
    float *rowsq; /* doubles [T, B]: lstm_seq's squared row norms for gnorm */
    float *xk;    /* lstm_seq: a lane's input in processing order [T, B, F] */
    int64_t yscap, dyscap, mskcap, hpcap, dhcap, dccap, onescap, gncap, wtcap, rowsqcap, xkcap;
    int B, T; /* of the last forward */
    int gT;   /* steps of the last backward (gnorm's length); 0: none yet */
    bool has_mask;
    bool seq;  /* the last forward ran through the backend's lstm_seq */
    int xk_of; /* the lane (l D + d) whose input xk holds since its forward, or -1 */
} rnn_state;

static rnn_state *st(const nn_module *m) {
    return m->kstate;
}

static int gates_of(nn_cell_kind c) {
    return c == NN_CELL_LSTM ? 4 : c == NN_CELL_GRU ? 3 : 1;
}

static int lane_in(const rnn_state *s, int l) {
    return l == 0 ? s->F : s->D * s->H;
}

/* Offset of lane (l, d)'s W in the module's parameters. */
static int64_t w_off(const rnn_state *s, int l, int d) {
    int64_t GH = (int64_t)s->G * s->H, off = 0;
    for (int k = 0; k < l * s->D + d; k++) off += (s->H + lane_in(s, k / s->D)) * GH;
    return off;
}

static int64_t w_rows(const rnn_state *s) {
    int64_t r = 0;
    for (int l = 0; l < s->L; l++) r += (int64_t)s->D * (s->H + lane_in(s, l));
    return r;
}

static int64_t b_off(const rnn_state *s, int l, int d) {
    return w_rows(s) * s->G * s->H + (int64_t)(l * s->D + d) * s->G * s->H;
}

static const nn_module_kind kinds[] = {NN_MOD_RNN, NN_MOD_LSTM, NN_MOD_GRU};
static const char *const cell_names[] = {"rnn", "lstm", "gru"};

nn_module *nn_rnn_new(nn_ctx *ctx, nn_cell_kind cell, int in, int hidden, const nn_rnn_opts *o,
                      nn_init w_init) {
    const char *who = cell >= NN_CELL_RNN && cell <= NN_CELL_GRU ? cell_names[cell] : "rnn";
    if (cell < NN_CELL_RNN || cell > NN_CELL_GRU || in < 1 || hidden < 1 || in > 1 << 20 ||
        hidden > 1 << 16 || o->layers < 1 || o->layers > 64 || o->bptt < 0) {
        nn_errorf(ctx, NN_EARG,
                  "%s: inputs, units and layers must be >= 1 (units at most 65536, layers 64) "
                  "and bptt >= 0, got in=%d hidden=%d layers=%d bptt=%d",
                  who, in, hidden, o->layers, o->bptt);
        return NULL;
    }
    if (cell == NN_CELL_RNN && o->act != NN_ACT_TANH && o->act != NN_ACT_RELU) {
        nn_errorf(ctx, NN_EARG, "rnn: the activation must be tanh or relu");
        return NULL;
    }
    rnn_state *s = nn_calloc(ctx, 1, sizeof *s);
    lane *lanes =
        s ? nn_calloc(ctx, (size_t)o->layers * (o->bidirectional ? 2 : 1), sizeof *lanes) : NULL;
    if (!lanes) {
        nn_mfree(s);
        nn_errorf(ctx, NN_ENOMEM, "%s: out of memory", who);
        return NULL;
    }
    *s = (rnn_state){.cell = cell,
                     .act = cell == NN_CELL_RNN ? o->act : NN_ACT_TANH,
                     .F = in,
                     .H = hidden,
                     .G = gates_of(cell),
                     .L = o->layers,
                     .D = o->bidirectional ? 2 : 1,
                     .bptt = o->bptt,
                     .all = o->all_steps,
                     .mask = o->mask,
                     .lanes = lanes};
    int64_t GH = (int64_t)s->G * s->H, np = w_rows(s) * GH + (int64_t)s->L * s->D * GH;
    nn_module *m = nn_module_alloc(ctx, kinds[cell], 0, s->all ? 0 : s->D * s->H, np);
    if (!m) {
        nn_mfree(lanes), nn_mfree(s);
        return NULL;
    }
    m->kstate = s;
    m->act = s->act;
    m->w_init = w_init;
    float *p = m->blk->p;
    for (int l = 0; l < s->L; l++)
        for (int d = 0; d < s->D; d++) {
            if (nn_init_fill(ctx, w_init, p + w_off(s, l, d), s->H + lane_in(s, l), (int)GH) !=
                NN_OK) {
                nn_module_free(m);
                return NULL;
            }
            if (cell == NN_CELL_LSTM) /* forget gate bias 1: remember by default (Keras) */
                for (int j = 0; j < s->H; j++) p[b_off(s, l, d) + j] = 1.0f;
        }
    return m;
}

/* [batch, T, F] -> [batch, T, D H] (all steps) or [batch, D H] (the last). */
static int rnn_shape(const nn_module *m, int ndim, const int *in, int *out) {
    const rnn_state *s = st(m);
    if (ndim == 0) {
        if (s->all) return 0;
        out[0] = 1, out[1] = s->D * s->H;
        return 2;
    }
    if (ndim != 3 || in[2] != s->F || in[1] < 1) {
        char want[48];
        snprintf(want, sizeof want, "[batch, T, %d]", s->F);
        return nn_module_shape_error(
            m, want, ndim, in,
            ndim == 2 ? "sequences come as [batch, steps, features]: ids go through nn.embedding "
                        "first, one feature a step through nn.reshape{T, 1}"
                      : NULL);
    }
    out[0] = in[0];
    if (!s->all) {
        out[1] = s->D * s->H;
        return 2;
    }
    out[1] = in[1], out[2] = s->D * s->H;
    return 3;
}

static int grow_lane(nn_ctx *ctx, const rnn_state *s, lane *ln, int B, int T) {
    int64_t GH = (int64_t)s->G * s->H, BT = (int64_t)B * T, BH = (int64_t)B * s->H;
    if (nn_grow(ctx, &ln->xp, &ln->xpcap, BT * GH) ||
        nn_grow(ctx, &ln->hs, &ln->hscap, (T + 1) * BH) ||
        (s->cell == NN_CELL_LSTM && nn_grow(ctx, &ln->cs, &ln->cscap, (T + 1) * BH)) ||
        (s->cell == NN_CELL_LSTM && nn_grow(ctx, &ln->tc, &ln->tccap, T * BH)) ||
        (s->cell != NN_CELL_RNN && nn_grow(ctx, &ln->gates, &ln->gcap, BT * GH)) ||
        (s->cell == NN_CELL_GRU && nn_grow(ctx, &ln->hpn, &ln->hpncap, BT * s->H)))
        return NN_ENOMEM;
    return NN_OK;
}

/* The padding mask [B, T] of the input x [B, T, F]: a step of all zeros is padding.
 * Read on the host: the mask is the one part that is not the backend's yet. */
static void make_mask(rnn_state *s, const float *x, int B, int T) {
    for (int64_t r = 0; r < (int64_t)B * T; r++) {
        const float *v = x + r * s->F;
        float real = 0;
        for (int j = 0; j < s->F && !real; j++) real = v[j] != 0.0f;
        s->msk[r] = real;
    }
}

/* The LSTM through the backend's lstm_seq (one call a pass, W_h packed once) keeps its
 * step-indexed arrays in processing order, a step's rows contiguous: X_k [T, B, F] is the
 * lane's input gathered so (direction d), and XP, dA are [T, B, 4H]. */
static void gather_steps(rnn_state *s, const float *X, int F, int d) {
    int B = s->B, T = s->T;
    for (int k = 0; k < T; k++) {
        int t = d ? T - 1 - k : k;
        for (int b = 0; b < B; b++)
            memcpy(s->xk + ((int64_t)k * B + b) * F, X + ((int64_t)b * T + t) * F,
                   sizeof(float) * (size_t)F);
    }
}

static nn_lstm_seq seq_args(const rnn_state *s, lane *ln, const float *W, int d) {
    return (nn_lstm_seq){.B = s->B,
                         .T = s->T,
                         .H = s->H,
                         .bptt = s->bptt,
                         .reverse = d,
                         .W = W,
                         .pack = s->wt,
                         .mask = s->has_mask ? s->msk : NULL,
                         .hs = ln->hs,
                         .cs = ln->cs,
                         .gates = ln->gates,
                         .tc = ln->tc};
}

/* One lane's pass over the sequence: XP = X W_x + b, then a gemm and a cell a step. */
static void lane_forward(nn_module *m, int l, int d, const float *X, float *out) {
    rnn_state *s = st(m);
    const nn_backend *be = m->ctx->backend;
    lane *ln = &s->lanes[l * s->D + d];
    int B = s->B, T = s->T, H = s->H, F = lane_in(s, l), GH = s->G * H, DH = s->D * H;
    int64_t BT = (int64_t)B * T, BH = (int64_t)B * H;
    const float *W = m->blk->p + m->off + w_off(s, l, d),
                *bias = m->blk->p + m->off + b_off(s, l, d);
    be->fill(ln->hs, BH, 0.0f);
    if (ln->cs) be->fill(ln->cs, BH, 0.0f);
    if (s->seq) { /* lstm_seq: [h, x] W + b a step, in one product */
        gather_steps(s, X, F, d);
        s->xk_of = l * s->D + d;
        nn_lstm_seq q = seq_args(s, ln, W, d);
        q.F = F, q.x = s->xk, q.bias = bias, q.out = out ? out + d * H : NULL, q.ldo = DH;
        be->lstm_seq(&q, false);
        return;
    }
    /* the bias in every row, then += X W_x: a copy a row, not a gemm of inner size 1
     * (OpenBLAS's small kernel took a twentieth of the char-LSTM's step); same numbers */
    for (int64_t r = 0; r < BT; r++) be->copy(ln->xp + r * GH, bias, GH);
    be->gemm(false, false, (int)BT, GH, F, 1.0f, X, F, W + (int64_t)H * GH, GH, 1.0f, ln->xp, GH);
    for (int k = 0; k < T; k++) {
        int t = d ? T - 1 - k : k;
        be->gemm(false, false, B, GH, H, 1.0f, ln->hs + k * BH, H, W, GH, 0.0f, s->hp, GH);
        be->rnn_cell(
            s->cell, s->act, B, H, ln->xp + (int64_t)t * GH, (int64_t)T * GH, s->hp,
            ln->hs + k * BH, ln->cs ? ln->cs + k * BH : NULL, s->has_mask ? s->msk + t : NULL, T,
            ln->gates ? ln->gates + k * BH * s->G : NULL, ln->hpn ? ln->hpn + k * BH : NULL,
            ln->hs + (k + 1) * BH, ln->cs ? ln->cs + (k + 1) * BH : NULL,
            out ? out + (int64_t)t * DH + d * H : NULL, (int64_t)T * DH);
    }
}

static int rnn_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    rnn_state *s = st(m);
    const nn_backend *be = ctx->backend;
    int B = m->ishape[0], T = m->ishape[1], DH = s->D * s->H;
    int64_t BT = (int64_t)B * T;
    s->B = B, s->T = T;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout) ||
        nn_grow(ctx, &s->hp, &s->hpcap, (int64_t)B * s->G * s->H) ||
        nn_grow(ctx, &s->ones, &s->onescap, BT) || nn_grow(ctx, &s->msk, &s->mskcap, BT) ||
        nn_grow(ctx, &s->wt, &s->wtcap, (int64_t)s->G * s->H * (s->H + (s->F > DH ? s->F : DH))) ||
        (s->L > 1 && nn_grow(ctx, &s->ys, &s->yscap, (s->L - 1) * BT * DH)))
        return NN_ENOMEM;
    for (int k = 0; k < s->L * s->D; k++)
        if (grow_lane(ctx, s, &s->lanes[k], B, T)) return NN_ENOMEM;
    s->seq = s->cell == NN_CELL_LSTM && be->lstm_seq_takes && be->lstm_seq_takes(B, s->H);
    s->xk_of = -1;
    if (s->seq && nn_grow(ctx, &s->xk, &s->xkcap, BT * (s->L > 1 && DH > s->F ? DH : s->F)))
        return NN_ENOMEM;
    be->fill(s->ones, BT, 1.0f);
    s->has_mask = s->mask;
    if (s->mask) make_mask(s, x, B, T);
    for (int l = 0; l < s->L; l++) {
        const float *X = l == 0 ? x : s->ys + (l - 1) * BT * DH;
        float *out = l < s->L - 1 ? s->ys + l * BT * DH : s->all ? m->y : NULL;
        for (int d = 0; d < s->D; d++) {
            lane_forward(m, l, d, X, out);
            if (out) continue;
            const float *hT = s->lanes[l * s->D + d].hs + (int64_t)T * B * s->H;
            for (int b = 0; b < B; b++)
                be->copy(m->y + (int64_t)b * DH + d * s->H, hT + (int64_t)b * s->H, s->H);
        }
    }
    m->yout = m->y;
    return NN_OK;
}

/* Sum of (a + e)^2 over n (e may be NULL) in 8 float lanes, which vectorizes (a double
 * sum in order does not, and ran every step of every backward for the view). */
static double row_sq(const float *restrict a, const float *restrict e, int n) {
    float acc[8] = {0};
    int j = 0;
    if (e)
        for (; j + 8 <= n; j += 8)
            for (int k = 0; k < 8; k++) acc[k] += (a[j + k] + e[j + k]) * (a[j + k] + e[j + k]);
    else
        for (; j + 8 <= n; j += 8)
            for (int k = 0; k < 8; k++) acc[k] += a[j + k] * a[j + k];
    for (; j < n; j++) {
        float v = e ? a[j] + e[j] : a[j];
        acc[0] += v * v;
    }
    double s = 0;
    for (int k = 0; k < 8; k++) s += acc[k];
    return s;
}

/* ||dh + dy_t|| over the batch: d(loss)/dh_t as the cell sees it. */
static float grad_norm(const rnn_state *s, const float *dh, const float *dy, int t) {
    double ss = 0;
    int DH = s->D * s->H;
    for (int b = 0; b < s->B; b++) {
        bool pad = s->has_mask && s->msk[(int64_t)b * s->T + t] == 0.0f;
        const float *e = dy && !pad ? dy + ((int64_t)b * s->T + t) * DH : NULL;
        ss += row_sq(dh + (int64_t)b * s->H, e, s->H);
    }
    return (float)sqrt(ss);
}

/* lane_backward through lstm_seq: dA [T, B, 4H] in processing order, so that dW_h,
 * dW_x and db are each one pass over it, and dX (+)= dA W_x^T goes back to [B, T, F]
 * through dxp (unused on this path) in processing order. X_k is gathered again only
 * when another lane's forward took xk since this one's. */
static void lane_backward_seq(nn_module *m, int l, int d, const float *X, const float *dys,
                              bool trace, float *dX) {
    rnn_state *s = st(m);
    const nn_backend *be = m->ctx->backend;
    lane *ln = &s->lanes[l * s->D + d];
    int B = s->B, T = s->T, H = s->H, F = lane_in(s, l), GH = s->G * H, DH = s->D * H;
    int64_t BT = (int64_t)B * T;
    const float *W = m->blk->p + m->off + w_off(s, l, d);
    double *rowsq = trace ? (double *)s->rowsq : NULL;
    nn_lstm_seq q = seq_args(s, ln, W, d);
    q.F = F, q.dy = dys, q.ldy = DH, q.dh = s->dh, q.dc = s->dc, q.dhp = ln->dhp, q.rowsq = rowsq;
    q.dx = dX ? ln->dxp : NULL; /* dX in processing order, from the kernel when it takes F */
    bool dx_done = dX && be->lstm_seq(&q, true);
    if (!dx_done) {
        q.dx = NULL;
        be->lstm_seq(&q, true);
    }
    for (int t = 0; trace && t < T; t++) { /* in grad_norm's order: rows, then the root */
        double ss = 0;
        for (int b = 0; b < B; b++) ss += rowsq[(int64_t)t * B + b];
        s->gnorm[t] = (float)sqrt(ss);
    }
    if (dX && !dx_done)
        be->gemm(false, true, (int)BT, F, GH, 1.0f, ln->dhp, GH, W + (int64_t)H * GH, GH, 0.0f,
                 ln->dxp, F);
    for (int k = 0; dX && k < T; k++) {
        int t = d ? T - 1 - k : k;
        for (int b = 0; b < B; b++) {
            float *dst = dX + ((int64_t)b * T + t) * F;
            const float *src = ln->dxp + ((int64_t)k * B + b) * F;
            if (d)
                be->acc(dst, src, F);
            else
                be->copy(dst, src, F);
        }
    }
    if (!m->frozen) {
        float *g = m->blk->g + m->off, *gW = g + w_off(s, l, d), *gb = g + b_off(s, l, d);
        if (s->xk_of != l * s->D + d) gather_steps(s, X, F, d);
        s->xk_of = l * s->D + d;
        q.x = s->xk;
        if (be->lstm_seq_grads && be->lstm_seq_grads(&q, gW, gb)) return;
        be->gemm(true, false, H, GH, (int)BT, 1.0f, ln->hs, H, ln->dhp, GH, 1.0f, gW, GH);
        be->gemm(true, false, F, GH, (int)BT, 1.0f, s->xk, F, ln->dhp, GH, 1.0f,
                 gW + (int64_t)H * GH, GH);
        be->gemm(true, false, 1, GH, (int)BT, 1.0f, s->ones, 1, ln->dhp, GH, 1.0f, gb, GH);
    }
}

/* forward: XP = X W_x + b; at step k, a = XP_t + h_{k} W_h, (h_{k+1}, c_{k+1}) = cell(a,
 * h_k, c_k). So, from the last step back: the cell's backward gives dA (dxp, dhp) and
 * the direct parts of dh_k, dc_k; dh_k += dhp W_h^T; then dW_h += H^T dHP, dW_x +=
 * X^T dXP, db += the column sums of dXP and dX (+)= dXP W_x^T. dy: the lane's output
 * gradient ([B, T, D H] at its columns, or [B, D H] for the last step only). */
static void lane_backward(nn_module *m, int l, int d, const float *X, const float *dy, bool last,
                          float *dX) {
    rnn_state *s = st(m);
    const nn_backend *be = m->ctx->backend;
    lane *ln = &s->lanes[l * s->D + d];
    int B = s->B, T = s->T, H = s->H, F = lane_in(s, l), GH = s->G * H, DH = s->D * H;
    int64_t BT = (int64_t)B * T, BH = (int64_t)B * H;
    const float *W = m->blk->p + m->off + w_off(s, l, d);
    be->fill(s->dh, BH, 0.0f);
    if (s->cell == NN_CELL_LSTM) be->fill(s->dc, BH, 0.0f);
    if (last)
        for (int b = 0; b < B; b++)
            be->copy(s->dh + (int64_t)b * H, dy + (int64_t)b * DH + d * H, H);
    const float *dys = last ? NULL : dy + d * H;
    bool trace = l == s->L - 1 && d == 0;
    if (s->seq) {
        lane_backward_seq(m, l, d, X, dys, trace, dX);
        return;
    }
    be->transpose(W, H, GH, s->wt); /* once a lane, for T steps */
    for (int k = T - 1; k >= 0; k--) {
        int t = d ? T - 1 - k : k;
        if (trace) s->gnorm[t] = grad_norm(s, s->dh, dys, t);
        be->rnn_cell_back(s->cell, s->act, B, H, ln->gates ? ln->gates + k * BH * s->G : NULL,
                          ln->hpn ? ln->hpn + k * BH : NULL, ln->hs + k * BH,
                          ln->cs ? ln->cs + k * BH : NULL, ln->hs + (k + 1) * BH,
                          ln->cs ? ln->cs + (k + 1) * BH : NULL, s->has_mask ? s->msk + t : NULL, T,
                          dys ? dys + (int64_t)t * DH : NULL, (int64_t)T * DH, s->dh, s->dc,
                          ln->dxp + (int64_t)t * GH, (int64_t)T * GH, ln->dhp + k * BH * s->G);
        be->gemm(false, false, B, H, GH, 1.0f, ln->dhp + k * BH * s->G, GH, s->wt, H, 1.0f, s->dh,
                 H);
        if (s->bptt > 0 && k % s->bptt == 0) { /* a segment's start: the gradient stops */
            be->fill(s->dh, BH, 0.0f);
            if (s->cell == NN_CELL_LSTM) be->fill(s->dc, BH, 0.0f);
        }
    }
    if (!m->frozen) {
        float *g = m->blk->g + m->off, *gW = g + w_off(s, l, d), *gb = g + b_off(s, l, d);
        be->gemm(true, false, H, GH, (int)BT, 1.0f, ln->hs, H, ln->dhp, GH, 1.0f, gW, GH);
        be->gemm(true, false, F, GH, (int)BT, 1.0f, X, F, ln->dxp, GH, 1.0f, gW + (int64_t)H * GH,
                 GH);
        be->gemm(true, false, 1, GH, (int)BT, 1.0f, s->ones, 1, ln->dxp, GH, 1.0f, gb, GH);
    }
    if (dX)
        be->gemm(false, true, (int)BT, F, GH, 1.0f, ln->dxp, GH, W + (int64_t)H * GH, GH,
                 d ? 1.0f : 0.0f, dX, F);
}

static int rnn_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    nn_ctx *ctx = m->ctx;
    rnn_state *s = st(m);
    int B = s->B, T = s->T, DH = s->D * s->H;
    int64_t BT = (int64_t)B * T, GH = (int64_t)s->G * s->H;
    if (nn_grow(ctx, &s->dh, &s->dhcap, (int64_t)B * s->H) ||
        nn_grow(ctx, &s->dc, &s->dccap, (int64_t)B * s->H) ||
        nn_grow(ctx, &s->gnorm, &s->gncap, T) || nn_grow(ctx, &s->wt, &s->wtcap, GH * s->H) ||
        nn_grow(ctx, &s->rowsq, &s->rowsqcap, 2 * BT) ||
        (s->L > 1 && nn_grow(ctx, &s->dys, &s->dyscap, 2 * BT * DH)))
        return NN_ENOMEM;
    for (int k = 0; k < s->L * s->D; k++) {
        lane *ln = &s->lanes[k];
        int64_t in = lane_in(s, k / s->D); /* lstm_seq's dX [T, B, in] goes through dxp */
        if (nn_grow(ctx, &ln->dxp, &ln->dxpcap, BT * (GH > in ? GH : in)) ||
            nn_grow(ctx, &ln->dhp, &ln->dhpcap, BT * GH))
            return NN_ENOMEM;
    }
    const float *dY = dy;
    for (int l = s->L - 1; l >= 0; l--) {
        const float *X = l == 0 ? x : s->ys + (l - 1) * BT * DH;
        float *dX = l == 0 ? dx : s->dys + (l % 2) * BT * DH;
        bool last = l == s->L - 1 && !s->all;
        for (int d = 0; d < s->D; d++) lane_backward(m, l, d, X, dY, last, dX);
        dY = dX;
    }
    if (!m->frozen && (m->l1 != 0 || m->l2 != 0)) {
        float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
        ctx->backend->penalty_back(p, g, w_rows(s) * GH, m->l1, m->l2);
    }
    s->gT = T;
    return NN_OK;
}

/* ---- the graph: the same forward from autograd ops, the kernels' reference ---- */

/* The tensors a graph build made, freed after it outside a step (the result holds
 * what it needs). */
typedef struct gbuild {
    nn_ctx *ctx;
    nn_tensor **made;
    int n, cap;
    bool fail;
} gbuild;

static nn_tensor *keep(gbuild *g, nn_tensor *t) {
    if (!t) {
        g->fail = true;
        return NULL;
    }
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 256;
        nn_tensor **p = nn_realloc(g->ctx, g->made, sizeof *p * (size_t)cap);
        if (!p) {
            g->fail = true;
            nn_tensor_free(t);
            return NULL;
        }
        g->made = p, g->cap = cap;
    }
    return g->made[g->n++] = t;
}

/* The op helpers stop at the first failure (every later one returns NULL). */
static nn_tensor *tr(gbuild *g, nn_tensor *a) {
    return g->fail ? NULL : keep(g, nn_transpose(g->ctx, a));
}
static nn_tensor *rows(gbuild *g, nn_tensor *a, int at, int n) {
    return g->fail ? NULL : keep(g, nn_slice_rows(g->ctx, a, at, n));
}
static nn_tensor *cols(gbuild *g, nn_tensor *a, int at, int n) {
    return tr(g, rows(g, tr(g, a), at, n));
}
static nn_tensor *mm(gbuild *g, nn_tensor *a, nn_tensor *b) {
    return g->fail ? NULL : keep(g, nn_matmul(g->ctx, a, b, false, false));
}
static nn_tensor *add(gbuild *g, nn_tensor *a, nn_tensor *b) {
    return g->fail ? NULL : keep(g, nn_add(g->ctx, a, b));
}
static nn_tensor *sub(gbuild *g, nn_tensor *a, nn_tensor *b) {
    return g->fail ? NULL : keep(g, nn_sub(g->ctx, a, b));
}
static nn_tensor *mul(gbuild *g, nn_tensor *a, nn_tensor *b) {
    return g->fail ? NULL : keep(g, nn_mul(g->ctx, a, b));
}
static nn_tensor *sig(gbuild *g, nn_tensor *a) {
    return g->fail ? NULL : keep(g, nn_sigmoid(g->ctx, a));
}
static nn_tensor *th(gbuild *g, nn_tensor *a) {
    return g->fail ? NULL : keep(g, nn_tanh(g->ctx, a));
}
static nn_tensor *reshape(gbuild *g, nn_tensor *a, int n, const int *shape) {
    return g->fail ? NULL : keep(g, nn_reshape(g->ctx, a, n, shape));
}
/* A constant of zeros: in a step from the arena (freed at its end), else from the heap
 * (freed after the build, once the ops that read it hold it). */
static nn_tensor *zeros(gbuild *g, int r, int c) {
    int shape[2] = {r, c};
    nn_tensor *t =
        g->fail ? NULL : keep(g, nn_tensor_alloc(g->ctx, 2, shape, g->ctx->in_step, true));
    if (t) g->ctx->backend->fill(t->data, t->size, 0.0f);
    return t;
}

/* A constant [r, c] of zeros, or of 1 at (j, at + j) for j < n. */
static nn_tensor *placer(gbuild *g, int r, int c, int at, int n) {
    nn_tensor *t = zeros(g, r, c);
    if (t)
        for (int j = 0; j < n; j++) t->data[(int64_t)j * c + at + j] = 1.0f;
    return t;
}

/* Gate k's pre-activation x W_xk + h W_hk + b_k (GRU's candidate: x W_xh + b_h + r (h W_hh)). */
typedef struct glane {
    nn_tensor *wx[4], *wh[4], *b[4];
} glane;

static nn_tensor *pre(gbuild *g, const glane *w, int k, nn_tensor *x, nn_tensor *h, nn_tensor *r) {
    nn_tensor *xpart = add(g, mm(g, x, w->wx[k]), w->b[k]), *hpart = mm(g, h, w->wh[k]);
    return add(g, xpart, r ? mul(g, r, hpart) : hpart);
}

/* One step of the cell from the textbook formulas; *c is the LSTM's cell state. */
static nn_tensor *cell_step(gbuild *g, const rnn_state *s, const glane *w, nn_tensor *x,
                            nn_tensor *h, nn_tensor **c) {
    if (s->cell == NN_CELL_LSTM) {
        nn_tensor *f = sig(g, pre(g, w, 0, x, h, NULL)), *i = sig(g, pre(g, w, 1, x, h, NULL));
        nn_tensor *cc = th(g, pre(g, w, 2, x, h, NULL)), *o = sig(g, pre(g, w, 3, x, h, NULL));
        *c = add(g, mul(g, f, *c), mul(g, i, cc));
        return mul(g, o, th(g, *c));
    }
    if (s->cell == NN_CELL_GRU) {
        nn_tensor *r = sig(g, pre(g, w, 0, x, h, NULL)), *z = sig(g, pre(g, w, 1, x, h, NULL));
        nn_tensor *n = th(g, pre(g, w, 2, x, h, r));
        return add(g, h, mul(g, z, sub(g, n, h))); /* (1 - z) h + z n */
    }
    nn_tensor *a = pre(g, w, 0, x, h, NULL);
    if (s->act == NN_ACT_RELU) return g->fail ? NULL : keep(g, nn_relu(g->ctx, a));
    return th(g, a);
}

static glane graph_weights(gbuild *g, nn_module *m, int l, int d) {
    rnn_state *s = st(m);
    int H = s->H, F = lane_in(s, l), GH = s->G * H;
    glane w = {0};
    nn_tensor *W = nn_module_param_tensor(m, 0), *bias = nn_module_param_tensor(m, 1);
    if (!W || !bias) {
        g->fail = true;
        return w;
    }
    nn_tensor *Wl = rows(g, W, (int)(w_off(s, l, d) / GH), H + F);
    nn_tensor *Wh = rows(g, Wl, 0, H), *Wx = rows(g, Wl, H, F), *b = rows(g, bias, l * s->D + d, 1);
    for (int k = 0; k < s->G; k++)
        w.wh[k] = cols(g, Wh, k * H, H), w.wx[k] = cols(g, Wx, k * H, H),
        w.b[k] = cols(g, b, k * H, H);
    return w;
}

static nn_tensor *graph_build(gbuild *g, nn_module *m, nn_tensor *x) {
    rnn_state *s = st(m);
    int B = x->shape[0], T = x->shape[1], H = s->H, DH = s->D * H;
    nn_tensor **mk = NULL; /* the mask of each step, [B, 1] */
    if (s->mask) {
        float *v = nn_malloc(g->ctx, sizeof(float) * (size_t)x->size);
        mk = nn_calloc(g->ctx, (size_t)T, sizeof *mk);
        if (!v || !mk || nn_read(x, v) != NN_OK) g->fail = true;
        for (int t = 0; t < T && !g->fail; t++) {
            nn_tensor *mt = zeros(g, B, 1);
            for (int b = 0; mt && b < B; b++)
                for (int j = 0; j < s->F; j++)
                    if (v[((int64_t)b * T + t) * s->F + j] != 0.0f) mt->data[b] = 1.0f;
            mk[t] = mt;
        }
        nn_mfree(v);
    }
    nn_tensor *cur = x, *y = NULL;
    for (int l = 0; l < s->L && !g->fail; l++) {
        int F = lane_in(s, l), fs[2] = {B, T * F};
        bool all = l < s->L - 1 || s->all;
        nn_tensor *flatT = tr(g, reshape(g, cur, 2, fs)), *acc = NULL;
        for (int d = 0; d < s->D && !g->fail; d++) {
            glane w = graph_weights(g, m, l, d);
            nn_tensor *h = zeros(g, B, H), *c = h;
            for (int k = 0; k < T && !g->fail; k++) {
                int t = d ? T - 1 - k : k;
                nn_tensor *xt = tr(g, rows(g, flatT, t * F, F)), *c1 = c;
                nn_tensor *h1 = cell_step(g, s, &w, xt, h, &c1), *out = h1;
                if (mk) { /* padding carries the state and outputs zeros */
                    h = add(g, h, mul(g, mk[t], sub(g, h1, h)));
                    if (s->cell == NN_CELL_LSTM) c = add(g, c, mul(g, mk[t], sub(g, c1, c)));
                    out = mul(g, mk[t], h1);
                } else {
                    h = h1, c = c1;
                }
                if (!all) continue;
                nn_tensor *placed = mm(g, out, placer(g, H, T * DH, t * DH + d * H, H));
                acc = acc ? add(g, acc, placed) : placed;
            }
            if (all) continue;
            nn_tensor *placed = mm(g, h, placer(g, H, DH, d * H, H));
            acc = acc ? add(g, acc, placed) : placed;
        }
        int ys[3] = {B, T, DH};
        cur = y = all ? reshape(g, acc, 3, ys) : acc;
    }
    nn_mfree(mk);
    return g->fail ? NULL : y;
}

static nn_tensor *rnn_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    gbuild g = {.ctx = ctx};
    nn_tensor *y = graph_build(&g, m, x);
    if (!ctx->in_step) {
        if (y) nn_tensor_retain(y);
        for (int i = 0; i < g.n; i++) nn_tensor_free(g.made[i]);
    }
    nn_mfree(g.made);
    return y;
}

/* ---- parameters, model file, views ---- */

/* "weight" [rows of every lane's W, G H]; "bias" [L D, G H]. */
static bool rnn_param(const nn_module *m, int i, nn_param_desc *p) {
    const rnn_state *s = st(m);
    int GH = s->G * s->H;
    int64_t R = w_rows(s);
    if (i == 0) *p = (nn_param_desc){"weight", 0, 2, (int)R, GH};
    if (i == 1) *p = (nn_param_desc){"bias", R * GH, 2, s->L * s->D, GH};
    return i == 0 || i == 1;
}

static double rnn_penalty(const nn_module *m) {
    const rnn_state *s = st(m);
    const float *w = m->blk->p + m->off;
    double sum = 0;
    for (int64_t i = 0; i < w_rows(s) * s->G * s->H; i++)
        sum += m->l1 * fabsf(w[i]) + m->l2 * (double)w[i] * w[i];
    return sum;
}

static void rnn_free(nn_module *m) {
    rnn_state *s = st(m);
    if (!s) return;
    for (int k = 0; k < s->L * s->D; k++) {
        lane *ln = &s->lanes[k];
        nn_mfree(ln->xp), nn_mfree(ln->hs), nn_mfree(ln->cs), nn_mfree(ln->gates);
        nn_mfree(ln->hpn), nn_mfree(ln->dxp), nn_mfree(ln->dhp), nn_mfree(ln->tc);
    }
    nn_mfree(s->lanes), nn_mfree(s->ys), nn_mfree(s->dys), nn_mfree(s->msk), nn_mfree(s->hp);
    nn_mfree(s->dh), nn_mfree(s->dc), nn_mfree(s->ones), nn_mfree(s->gnorm);
    nn_mfree(s->wt), nn_mfree(s->rowsq), nn_mfree(s->xk);
    nn_mfree(s);
    m->kstate = NULL;
}

/* "lstm" or "bilstm" as the summary's type */
static const char *rnn_name(const nn_module *m) {
    static const char *const bi[] = {"birnn", "bilstm", "bigru"};
    const rnn_state *s = st(m);
    return s->D == 2 ? bi[s->cell] : cell_names[s->cell];
}

/* i32 {cell, F, H, layers, bidirectional, all, mask, bptt, act} */
static void rnn_save(const nn_module *m, nn_mfile_out *w) {
    const rnn_state *s = st(m);
    int32_t r[9] = {s->cell, s->F,    s->H,    s->L,           s->D == 2,
                    s->all,  s->mask, s->bptt, (int32_t)s->act};
    nn_mfile_write(w, r, sizeof r);
}

static nn_module *rnn_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)rec, (void)kids;
    int32_t v[9];
    if (!nn_mfile_read(r, v, sizeof v)) return NULL;
    if (v[0] < NN_CELL_RNN || v[0] > NN_CELL_GRU || v[1] < 1 || v[1] > 1 << 20 || v[2] < 1 ||
        v[2] > 1 << 16 || v[3] < 1 || v[3] > 64 || v[7] < 0 ||
        (v[0] == NN_CELL_RNN && v[8] != NN_ACT_TANH && v[8] != NN_ACT_RELU)) {
        nn_errorf(ctx, NN_EFORMAT, "rnn: the record has cell=%d in=%d hidden=%d layers=%d", v[0],
                  v[1], v[2], v[3]);
        return NULL;
    }
    nn_rnn_opts o = {(nn_act_kind)v[8], v[3], v[4] != 0, v[5] != 0, v[6] != 0, v[7]};
    int64_t G = gates_of((nn_cell_kind)v[0]), D = v[4] ? 2 : 1, H = v[2];
    int64_t np = D * G * H * ((H + v[1] + 1) + (int64_t)(v[3] - 1) * (H + D * H + 1));
    if (!nn_mfile_claim(r, np, cell_names[v[0]])) return NULL;
    nn_init zero = {NN_INIT_ZEROS, 0, 0};
    return nn_rnn_new(ctx, (nn_cell_kind)v[0], v[1], v[2], &o, zero);
}

static bool is_rnn(const nn_module *m) {
    return m && (m->kind == NN_MOD_RNN || m->kind == NN_MOD_LSTM || m->kind == NN_MOD_GRU);
}

int nn_rnn_trace(nn_module *m, const char *what, int layer, int dir, int sample, float *out,
                 int64_t max, int *units) {
    if (!is_rnn(m)) {
        if (m) nn_errorf(m->ctx, NN_EARG, "trace: %s is not a recurrent layer", nn_module_name(m));
        return NN_EARG;
    }
    rnn_state *s = st(m);
    static const char *const gate_names[3][4] = {
        {"", "", "", ""}, {"f", "i", "g", "o"}, {"r", "z", "n", ""}};
    int k = -1;
    for (int i = 0; i < s->G && s->cell != NN_CELL_RNN; i++)
        if (!strcmp(what, gate_names[s->cell][i])) k = i;
    bool h = !strcmp(what, "h"), c = !strcmp(what, "c") && s->cell == NN_CELL_LSTM;
    if (k < 0 && !h && !c)
        return nn_errorf(m->ctx, NN_EARG, "trace: %s has no '%s' (it has h%s)", rnn_name(m), what,
                         s->cell == NN_CELL_LSTM  ? ", c, f, i, g, o"
                         : s->cell == NN_CELL_GRU ? ", r, z, n"
                                                  : "");
    if (!s->B) return nn_errorf(m->ctx, NN_EARG, "trace: %s has not run forward yet", rnn_name(m));
    if (layer < 0 || layer >= s->L || dir < 0 || dir >= s->D || sample < 0 || sample >= s->B)
        return nn_errorf(m->ctx, NN_EARG,
                         "trace: layer %d, direction %d, sample %d: the last forward had %d "
                         "layers, %d directions, %d samples",
                         layer + 1, dir + 1, sample + 1, s->L, s->D, s->B);
    int T = s->T, H = s->H;
    if (units) *units = H;
    if (!out) return T;
    if ((int64_t)T * H > max)
        return nn_errorf(m->ctx, NN_EARG, "trace: room for %lld values, need %d x %d",
                         (long long)max, T, H);
    const lane *ln = &s->lanes[layer * s->D + dir];
    int64_t BH = (int64_t)s->B * H;
    for (int t = 0; t < T; t++) {
        int st_ = dir ? T - 1 - t : t;
        bool pad = s->has_mask && s->msk[(int64_t)sample * T + t] == 0.0f;
        const float *src = h   ? ln->hs + (st_ + 1) * BH + (int64_t)sample * H
                           : c ? ln->cs + (st_ + 1) * BH + (int64_t)sample * H
                               : ln->gates + st_ * BH * s->G + (int64_t)sample * s->G * H + k * H;
        for (int j = 0; j < H; j++) out[(int64_t)t * H + j] = k >= 0 && pad ? 0.0f : src[j];
    }
    return T;
}

int nn_rnn_grad_norms(nn_module *m, float *out, int max) {
    if (!is_rnn(m)) {
        if (m)
            nn_errorf(m->ctx, NN_EARG, "grad_norms: %s is not a recurrent layer",
                      nn_module_name(m));
        return NN_EARG;
    }
    rnn_state *s = st(m);
    if (!s->gT)
        return nn_errorf(m->ctx, NN_EARG, "grad_norms: %s has not run backward yet", rnn_name(m));
    int n = s->gT < max ? s->gT : max;
    memcpy(out, s->gnorm, sizeof(float) * (size_t)n);
    return s->gT;
}

#define RNN_DEF(k)                                                                                 \
    {                                                                                              \
        .kind = k, .shape = rnn_shape, .forward = rnn_forward, .backward = rnn_backward,           \
        .graph = rnn_graph, .param = rnn_param, .penalty = rnn_penalty, .name = rnn_name,          \
        .save = rnn_save, .load = rnn_load, .free = rnn_free                                       \
    }
const nn_module_def nn_mod_rnn = RNN_DEF("rnn");
const nn_module_def nn_mod_lstm = RNN_DEF("lstm");
const nn_module_def nn_mod_gru = RNN_DEF("gru");
