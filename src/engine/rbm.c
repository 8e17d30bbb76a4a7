/* rbm.c: restricted Boltzmann machines: contrastive divergence (CD-k and persistent
 * CD), free energy, pseudo-likelihood and block Gibbs sampling, with the matrix
 * products through the backend's gemm. The formulas are in nn_rbm.h. Greedy stacking
 * into a deep belief net and fine-tuning are the Lua side's (lua/rbm.lua): an RBM's
 * W, c are a linear layer's weight and bias. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define INIT_STD 0.01f /* Hinton's guide: small random weights, zero biases */

static float sigmoidf(float x) {
    return 1.0f / (1.0f + expf(-x));
}

/* log(1 + e^x) without overflow for large x */
static double softplus(double x) {
    return x > 30 ? x : log1p(exp(x));
}

nn_rbm *nn_rbm_new(nn_ctx *ctx, int nv, int nh, bool gaussian) {
    if (nv < 1 || nh < 1) {
        nn_errorf(ctx, NN_EARG, "rbm: %d visible and %d hidden units: both must be >= 1", nv, nh);
        return NULL;
    }
    nn_rbm *r = calloc(1, sizeof *r);
    if (!r) goto oom;
    r->nv = nv, r->nh = nh, r->gaussian = gaussian;
    r->w = malloc((size_t)nv * nh * sizeof *r->w);
    r->b = calloc((size_t)nv, sizeof *r->b);
    r->c = calloc((size_t)nh, sizeof *r->c);
    if (!r->w || !r->b || !r->c) goto oom;
    for (int64_t i = 0; i < (int64_t)nv * nh; i++) r->w[i] = INIT_STD * (float)nn_rand_normal(ctx);
    return r;
oom:
    nn_rbm_free(r);
    nn_errorf(ctx, NN_ENOMEM, "rbm: out of memory for %d x %d weights", nv, nh);
    return NULL;
}

void nn_rbm_free(nn_rbm *r) {
    if (!r) return;
    free(r->w), free(r->b), free(r->c), free(r->chain), free(r->scratch);
    free(r);
}

/* The call's buffers: len floats from the RBM's scratch, grown when too small. */
static float *scratch(nn_rbm *r, nn_ctx *ctx, size_t len) {
    if (len > r->scratch_len) {
        float *s = realloc(r->scratch, len * sizeof *s);
        if (!s) {
            nn_errorf(ctx, NN_ENOMEM, "rbm: out of memory for %zu floats of buffers", len);
            return NULL;
        }
        r->scratch = s, r->scratch_len = len;
    }
    return r->scratch;
}

/* pre [n, nh] = c + v W (the hidden units' inputs) */
static void hidden_input(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, float *pre) {
    for (int i = 0; i < n; i++) memcpy(pre + (size_t)i * r->nh, r->c, (size_t)r->nh * sizeof *pre);
    ctx->backend->gemm(false, false, n, r->nh, r->nv, 1.0f, v, r->nv, r->w, r->nh, 1.0f, pre,
                       r->nh);
}

void nn_rbm_hidden(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, float *h) {
    hidden_input(r, ctx, v, n, h);
    for (int64_t i = 0; i < (int64_t)n * r->nh; i++) h[i] = sigmoidf(h[i]);
}

void nn_rbm_visible(const nn_rbm *r, nn_ctx *ctx, const float *h, int n, float *v) {
    for (int i = 0; i < n; i++) memcpy(v + (size_t)i * r->nv, r->b, (size_t)r->nv * sizeof *v);
    /* v = b + h W' */
    ctx->backend->gemm(false, true, n, r->nv, r->nh, 1.0f, h, r->nh, r->w, r->nh, 1.0f, v, r->nv);
    if (!r->gaussian)
        for (int64_t i = 0; i < (int64_t)n * r->nv; i++) v[i] = sigmoidf(v[i]);
}

/* x[i] = 1 with probability p[i], else 0 */
static void sample_bernoulli(nn_ctx *ctx, const float *p, float *x, int64_t len) {
    for (int64_t i = 0; i < len; i++) x[i] = nn_rand_uniform(ctx) < p[i] ? 1.0f : 0.0f;
}

int nn_rbm_cd(nn_rbm *r, nn_ctx *ctx, const float *v0, int n, int k, float lr, bool persistent,
              double *recon) {
    if (n < 1 || k < 1) {
        nn_errorf(ctx, NN_EARG, "rbm cd: batch of %d rows and k = %d: both must be >= 1", n, k);
        return NN_EARG;
    }
    const int nv = r->nv, nh = r->nh;
    const size_t sv = (size_t)n * nv, sh = (size_t)n * nh;
    float *buf = scratch(r, ctx, 3 * sh + 2 * sv);
    if (!buf) return NN_ENOMEM;
    float *ph0 = buf, *h = ph0 + sh, *phk = h + sh; /* [n, nh] each */
    float *vk = phk + sh, *rec = vk + sv;           /* [n, nv] each */
    if (persistent && r->chain_n != n) {
        float *chain = realloc(r->chain, sv * sizeof *chain);
        if (!chain) {
            nn_errorf(ctx, NN_ENOMEM, "rbm cd: out of memory for %d chains", n);
            return NN_ENOMEM;
        }
        memcpy(chain, v0, sv * sizeof *chain); /* the chains start at the data */
        r->chain = chain, r->chain_n = n;
    }
    nn_rbm_hidden(r, ctx, v0, n, ph0);
    if (recon) { /* mean-field reconstruction E[v | p(h|v0)], deterministic */
        nn_rbm_visible(r, ctx, ph0, n, rec);
        double e = 0;
        for (size_t i = 0; i < sv; i++) e += (double)(v0[i] - rec[i]) * (v0[i] - rec[i]);
        *recon = e / (double)sv;
    }
    if (persistent) nn_rbm_hidden(r, ctx, r->chain, n, phk);
    sample_bernoulli(ctx, persistent ? phk : ph0, h, (int64_t)sh);
    for (int step = 0; step < k; step++) {
        nn_rbm_visible(r, ctx, h, n, vk);
        nn_rbm_hidden(r, ctx, vk, n, phk);
        if (step + 1 < k) sample_bernoulli(ctx, phk, h, (int64_t)sh);
    }
    if (persistent) memcpy(r->chain, vk, sv * sizeof *vk);
    /* W += lr/n (v0' ph0 - vk' phk) */
    const float a = lr / (float)n;
    ctx->backend->gemm(true, false, nv, nh, n, a, v0, nv, ph0, nh, 1.0f, r->w, nh);
    ctx->backend->gemm(true, false, nv, nh, n, -a, vk, nv, phk, nh, 1.0f, r->w, nh);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < nv; j++)
            r->b[j] += a * (v0[(size_t)i * nv + j] - vk[(size_t)i * nv + j]);
        for (int j = 0; j < nh; j++)
            r->c[j] += a * (ph0[(size_t)i * nh + j] - phk[(size_t)i * nh + j]);
    }
    return NN_OK;
}

int nn_rbm_free_energy(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, float *f) {
    float *pre = malloc((size_t)n * r->nh * sizeof *pre + 1);
    if (!pre) {
        nn_errorf(ctx, NN_ENOMEM, "rbm free energy: out of memory for %d rows", n);
        return NN_ENOMEM;
    }
    hidden_input(r, ctx, v, n, pre);
    for (int i = 0; i < n; i++) {
        const float *vi = v + (size_t)i * r->nv, *pi = pre + (size_t)i * r->nh;
        double e = 0;
        for (int j = 0; j < r->nv; j++) {
            double d = vi[j] - r->b[j];
            e += r->gaussian ? 0.5 * d * d : -(double)r->b[j] * vi[j];
        }
        for (int j = 0; j < r->nh; j++) e -= softplus(pi[j]);
        f[i] = (float)e;
    }
    free(pre);
    return NN_OK;
}

int nn_rbm_gibbs(const nn_rbm *r, nn_ctx *ctx, float *v, int n, int k, bool mean_last) {
    float *h = malloc((size_t)n * r->nh * sizeof *h + 1);
    if (!h) {
        nn_errorf(ctx, NN_ENOMEM, "rbm gibbs: out of memory for %d chains", n);
        return NN_ENOMEM;
    }
    const int64_t lh = (int64_t)n * r->nh, lv = (int64_t)n * r->nv;
    for (int step = 0; step < k; step++) {
        nn_rbm_hidden(r, ctx, v, n, h);
        sample_bernoulli(ctx, h, h, lh);
        nn_rbm_visible(r, ctx, h, n, v);
        if (mean_last && step + 1 == k) break;
        if (r->gaussian)
            for (int64_t i = 0; i < lv; i++) v[i] += (float)nn_rand_normal(ctx);
        else
            sample_bernoulli(ctx, v, v, lv);
    }
    free(h);
    return NN_OK;
}

/* log sigmoid(x) = -softplus(-x) */
static double log_sigmoid(double x) {
    return -softplus(-x);
}

int nn_rbm_pseudo_likelihood(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, double *out) {
    if (r->gaussian) {
        nn_errorf(ctx, NN_ESTATE,
                  "rbm pseudo-likelihood: defined here for binary visible units, "
                  "and this RBM's are Gaussian");
        return NN_ESTATE;
    }
    float *pre = malloc((size_t)n * r->nh * sizeof *pre + 1);
    if (!pre) {
        nn_errorf(ctx, NN_ENOMEM, "rbm pseudo-likelihood: out of memory for %d rows", n);
        return NN_ENOMEM;
    }
    hidden_input(r, ctx, v, n, pre);
    double total = 0;
    for (int i = 0; i < n; i++) {
        const float *vi = v + (size_t)i * r->nv, *pi = pre + (size_t)i * r->nh;
        double sp = 0; /* sum_j softplus(pre_j), F's hidden part */
        for (int j = 0; j < r->nh; j++) sp += softplus(pi[j]);
        for (int a = 0; a < r->nv; a++) {
            /* flipping bit a: v_a -> 1 - v_a moves pre by s * W[a,:] and b.v by s * b_a */
            double s = vi[a] > 0.5f ? -1.0 : 1.0, spf = 0;
            const float *wa = r->w + (size_t)a * r->nh;
            for (int j = 0; j < r->nh; j++) spf += softplus(pi[j] + s * wa[j]);
            double f = -(double)r->b[a] * (vi[a] > 0.5f) - sp;
            double ff = -(double)r->b[a] * (vi[a] <= 0.5f) - spf; /* other bits cancel */
            total += log_sigmoid(ff - f);
        }
    }
    free(pre);
    *out = total / n;
    return NN_OK;
}
