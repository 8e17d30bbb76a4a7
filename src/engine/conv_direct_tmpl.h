/* conv_direct_tmpl.h: the register-blocked loops of conv_direct.c, included once per
 * block shape, so that the accumulator arrays have constant sizes (GCC keeps them in
 * registers then). With CORR_KB and CORR_NV it defines corr_<KB>_<NV>: KB output
 * channels of rows of NV vectors; with WG_KB, WG_JT and WG_NV it defines
 * wgrad_<KB>_<JT>_<NV>: a tile of KB channels by JT taps over rows of NV vectors. */
#define TMPL_CAT3(a, b, c)     a##_##b##_##c
#define TMPL_NAME(a, b, c)     TMPL_CAT3(a, b, c)
#define TMPL_CAT4(a, b, c, d)  a##_##b##_##c##_##d
#define TMPL_NAME4(a, b, c, d) TMPL_CAT4(a, b, c, d)

#ifdef CORR_KB
DIRECT_CLONES static void TMPL_NAME(corr, CORR_KB, CORR_NV)(const corr *a) {
    /* NR rows at once where a row's block alone has too few independent sums to hide
     * the FMA's latency; each broadcast weight then serves NR rows */
    enum { KB = CORR_KB, NV = CORR_NV, NR = KB * NV <= 8 ? 2 : 1 };
    int taps = a->cin * a->kh * a->kw;
    int64_t ohw = (int64_t)a->OH * a->OW;
    for (int k0 = 0; k0 < a->kout; k0 += KB) {
        const float *wb = a->wpk + (int64_t)(k0 / KB) * taps * KB;
        int kn = a->kout - k0 < KB ? a->kout - k0 : KB;
        for (int oh = 0; oh < a->OH; oh += NR) {
            /* the rows of the block; past the map the last one again, not stored */
            int rows[NR];
#pragma GCC unroll 2
            for (int r = 0; r < NR; r++) rows[r] = oh + r < a->OH ? oh + r : oh;
            v16 acc[KB][NR][NV];
#pragma GCC unroll 16
            for (int kb = 0; kb < KB; kb++) {
                float b = a->bias && kb < kn ? a->bias[k0 + kb] : 0.0f;
#pragma GCC unroll 2
                for (int r = 0; r < NR; r++)
#pragma GCC unroll 4
                    for (int v = 0; v < NV; v++) acc[kb][r][v] = (v16){0} + b;
            }
            for (int c = 0; c < a->cin; c++)
                for (int i = 0; i < a->kh; i++) {
                    /* a kernel row that meets only padding rows adds nothing */
                    bool some = false;
#pragma GCC unroll 2
                    for (int r = 0; r < NR; r++) {
                        int at = a->r0 + rows[r] + i * a->dh;
                        some |= at >= a->row_lo && at < a->row_hi;
                    }
                    if (!some) continue;
                    const float *base =
                        a->in + c * a->cstride + (int64_t)(a->r0 + i * a->dh) * a->ld + a->s0;
                    const float *wt = wb + ((int64_t)c * a->kh + i) * a->kw * KB;
                    for (int j = 0; j < a->kw; j++, wt += KB) {
                        v16 xv[NR][NV];
#pragma GCC unroll 2
                        for (int r = 0; r < NR; r++)
#pragma GCC unroll 4
                            for (int v = 0; v < NV; v++)
                                xv[r][v] =
                                    load16(base + (int64_t)rows[r] * a->ld + j * a->dw + VL * v);
#pragma GCC unroll 16
                        for (int kb = 0; kb < KB; kb++) {
                            float wk = wt[kb];
#pragma GCC unroll 2
                            for (int r = 0; r < NR; r++)
#pragma GCC unroll 4
                                for (int v = 0; v < NV; v++) acc[kb][r][v] += xv[r][v] * wk;
                        }
                    }
                }
#pragma GCC unroll 2
            for (int r = 0; r < NR; r++) {
                if (r > 0 && rows[r] == oh) break;
                for (int kb = 0; kb < kn; kb++) {
                    float tmp[NV * VL];
#pragma GCC unroll 4
                    for (int v = 0; v < NV; v++) {
                        v16 y = acc[kb][r][v];
                        if (a->relu) y = (v16)((v16i)(y > 0.0f) & (v16i)y); /* NaN to 0 too */
                        store16(tmp + VL * v, y);
                    }
                    float *o = a->out + (k0 + kb) * ohw + (int64_t)rows[r] * a->OW;
                    if (a->add)
                        for (int ow = 0; ow < a->OW; ow++) o[ow] += tmp[ow];
                    else
                        for (int ow = 0; ow < a->OW; ow++) o[ow] = tmp[ow];
                }
            }
        }
    }
}
#undef CORR_KB
#undef CORR_NV
#endif

#ifdef WG_JT
DIRECT_CLONES static void TMPL_NAME4(wgrad, WG_KB, WG_JT, WG_NV)(const wgrad *a) {
    enum { KB2 = WG_KB, JT = WG_JT, NV = WG_NV };
    const layout *l = a->l;
    for (int c = 0; c < a->C; c++)
        for (int i = 0; i < a->kh; i++)
            for (int k0 = 0; k0 < a->K; k0 += KB2) {
                int kn = a->K - k0 < KB2 ? a->K - k0 : KB2;
                for (int j0 = 0; j0 < a->kwpad; j0 += JT) {
                    v16 acc[KB2][JT];
                    float *vd[KB2];
#pragma GCC unroll 4
                    for (int kb = 0; kb < KB2; kb++) {
                        vd[kb] =
                            a->vdw +
                            ((((int64_t)(k0 + kb) * a->C + c) * a->kh + i) * a->kwpad + j0) * VL;
#pragma GCC unroll 8
                        for (int j = 0; j < JT; j++) acc[kb][j] = load16(vd[kb] + j * VL);
                    }
                    /* in locals: the barrier below would reload them from *a */
                    const int OH = a->OH, dw = a->dw, wp = l->wp;
                    const int64_t wq = l->wq;
                    const float *x0 = a->xp + ((int64_t)c * l->hp + i * a->dh) * l->wp + j0 * a->dw;
                    const float *dr[KB2];
#pragma GCC unroll 4
                    for (int kb = 0; kb < KB2; kb++)
                        dr[kb] = a->dyp +
                                 ((int64_t)(k0 + (kb < kn ? kb : 0)) * l->rq + l->ay) * l->wq +
                                 l->ax;
                    for (int oh = 0; oh < OH; oh++) {
                        const float *xr = x0 + (int64_t)oh * wp;
#pragma GCC unroll 4
                        for (int v = 0; v < NV; v++) {
                            v16 d[KB2], xv[JT];
#pragma GCC unroll 4
                            for (int kb = 0; kb < KB2; kb++) {
                                d[kb] = load16(dr[kb] + (int64_t)oh * wq + VL * v);
                                if (kb >= kn) d[kb] = (v16){0};
                            }
                            /* each x vector loaded once for the KB2 channels (GCC would
                             * otherwise fold it into every multiply-add: KB2 loads, most
                             * across two cache lines) */
#pragma GCC unroll 8
                            for (int j = 0; j < JT; j++) xv[j] = load16(xr + j * dw + VL * v);
                            LOADS_DONE();
#pragma GCC unroll 8
                            for (int j = 0; j < JT; j++)
#pragma GCC unroll 4
                                for (int kb = 0; kb < KB2; kb++) acc[kb][j] += d[kb] * xv[j];
                        }
                    }
#pragma GCC unroll 4
                    for (int kb = 0; kb < KB2; kb++)
#pragma GCC unroll 8
                        for (int j = 0; j < JT; j++) store16(vd[kb] + j * VL, acc[kb][j]);
                }
            }
}
#undef WG_KB
#undef WG_JT
#undef WG_NV
#endif

#ifdef KF_PB
/* kfwd_<PB>: the forward pass over output channels: one vector holds the K (at most 16)
 * output channels of one position; a block of PB positions of a row keeps its sums in
 * registers, and each tap adds its weights' vector (wk, [c][i][j][16]) times the
 * input's value at each position (broadcast). The sums go to tmp as [position][16]. */
DIRECT_CLONES static void TMPL_NAME(kfwd, KF_PB, 1)(const kcorr *a) {
    enum { PB = KF_PB };
    v16 b = {0};
    for (int k = 0; k < a->K; k++) b[k] = a->bias ? a->bias[k] : 0.0f;
    for (int oh = 0; oh < a->OH; oh++)
        for (int ow = 0; ow < a->OW; ow += PB) {
            /* the last block ends at the row's end, overlapping the one before */
            int o = ow + PB <= a->OW ? ow : a->OW - PB;
            v16 acc[PB];
#pragma GCC unroll 16
            for (int q = 0; q < PB; q++) acc[q] = b;
            for (int c = 0; c < a->C; c++)
                for (int i = 0; i < a->kh; i++) {
                    int r = oh + i * a->dh;
                    if (r < a->row_lo || r >= a->row_hi) continue; /* padding: zeros */
                    const float *xr = a->xp + c * a->cstride + (int64_t)r * a->ld + o;
                    const float *wt = a->wk + ((int64_t)c * a->kh + i) * a->kw * VL;
                    for (int j = 0; j < a->kw; j++, wt += VL, xr += a->dw) {
                        v16 w = load16(wt);
#pragma GCC unroll 16
                        for (int q = 0; q < PB; q++) acc[q] += w * xr[q];
                    }
                }
            float *t = a->tmp + ((int64_t)oh * a->OW + o) * VL;
#pragma GCC unroll 16
            for (int q = 0; q < PB; q++) {
                v16 y = acc[q];
                if (a->relu) y = (v16)((v16i)(y > 0.0f) & (v16i)y); /* NaN to 0 too */
                store16(t + q * VL, y);
            }
        }
}
#undef KF_PB
#endif

#ifdef KW_T
/* kwg_<T>: the weight gradient over output channels for T x T kernels, undilated: the
 * T x T taps of input channel c keep 16-lane sums (lane k: output channel k) in
 * registers over a sample's positions; each position adds its dy vector (dyt,
 * [position][16]) times the input value under each tap (broadcast). */
DIRECT_CLONES NO_PREDICTIVE_COMMONING static void TMPL_NAME(kwg, KW_T, 1)(const kwgrad *a) {
    enum { T = KW_T };
    for (int c = 0; c < a->C; c++) {
        float *vd = a->vdk + (int64_t)c * T * T * VL;
        v16 acc[T][T];
#pragma GCC unroll 8
        for (int i = 0; i < T; i++)
#pragma GCC unroll 8
            for (int j = 0; j < T; j++) acc[i][j] = load16(vd + (i * T + j) * VL);
        const float *xc = a->xp + c * a->cstride;
        for (int oh = 0; oh < a->OH; oh++) {
            const float *d = a->dyt + (int64_t)oh * a->OW * VL;
            /* one pointer per kernel row, the taps at constant offsets from it (25
             * offsets i ld + j in registers would not fit: GCC reloaded them) */
            const float *xr[T];
#pragma GCC unroll 8
            for (int i = 0; i < T; i++) xr[i] = xc + (int64_t)(oh + i) * a->ld;
            for (int ow = 0; ow < a->OW; ow++, d += VL) {
                v16 dv = load16(d);
#pragma GCC unroll 8
                for (int i = 0; i < T; i++)
#pragma GCC unroll 8
                    for (int j = 0; j < T; j++) acc[i][j] += dv * xr[i][ow + j];
            }
        }
#pragma GCC unroll 8
        for (int i = 0; i < T; i++)
#pragma GCC unroll 8
            for (int j = 0; j < T; j++) store16(vd + (i * T + j) * VL, acc[i][j]);
    }
}
#undef KW_T
#endif

#ifdef KX_T
/* kdx_<T>: the input gradient over output channels for T x T kernels, undilated:
 * dx[c][y][x] = sum over o, i, j of w[o][c][i][j] dy[o][y + pt - i][x + pl - j]. The 16
 * lanes hold the output channels o (the weights wk, [c][i][j][16], and the masked dy,
 * dyt, [position][16]), so a lane sum per input position ends the sum over o. A row of
 * dx keeps one such vector per column x' = x + pl (at most 16) in registers: each dy
 * value of the rows r = y + pt - i inside the map adds its product with the T weights
 * of kernel row i into the columns u + j it reaches; products with the padding's zeros
 * are never formed (where the correlation of the padded dy would form them). */
DIRECT_CLONES static void TMPL_NAME(kdx, KX_T, 1)(const kdgrad *a) {
    enum { T = KX_T, NU = VL - T + 1 }; /* the dy columns that 16 sums' columns cover */
    float *dx = a->dx;
    for (int c = 0; c < a->C; c++)
        for (int y = 0; y < a->H; y++, dx += a->W) {
            v16 acc[VL];
#pragma GCC unroll 16
            for (int q = 0; q < VL; q++) acc[q] = (v16){0};
            for (int i = 0; i < T; i++) {
                int r = y + a->pt - i;
                if (r < 0 || r >= a->OH) continue; /* a padding row: zeros */
                const float *wt = a->wk + ((int64_t)c * T + i) * T * VL;
                const float *d = a->dyt + (int64_t)r * a->OW * VL;
                v16 w[T];
#pragma GCC unroll 8
                for (int j = 0; j < T; j++) w[j] = load16(wt + j * VL);
#pragma GCC unroll 16
                for (int u = 0; u < NU; u++) {
                    if (u == a->OW) break;
                    v16 dv = load16(d + u * VL);
#pragma GCC unroll 8
                    for (int j = 0; j < T; j++) acc[u + j] += w[j] * dv;
                }
            }
            float sums[VL];
            store16(sums, lane_sums(acc));
            for (int x = 0; x < a->W; x++) dx[x] += sums[a->pl + x];
        }
}
#undef KX_T
#endif
