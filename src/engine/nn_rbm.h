/* nn_rbm.h: restricted Boltzmann machines (rbm.c) and the 8x8 digit set that
 * teaches them (digits.c), part of the engine's public interface (nn.h includes it).
 *
 * An RBM of nv visible and nh hidden units: weights W [nv, nh] (the layout of a
 * linear layer, so a trained RBM initialises one), visible biases b [nv], hidden
 * biases c [nh]. Hidden units are Bernoulli: p(h=1|v) = sigmoid(c + vW). Visible
 * units are Bernoulli, p(v=1|h) = sigmoid(b + Wh), or Gaussian of unit variance,
 * v|h ~ N(b + Wh, 1) (data standardised first). Batches are row-major [n, nv]. */
#ifndef NN_RBM_H
#define NN_RBM_H

typedef struct nn_rbm nn_rbm;

/* Owned by the caller; the arrays are the RBM's own (read and written in place). */
struct nn_rbm {
    int nv, nh;
    bool gaussian; /* visible units Gaussian (else Bernoulli) */
    float *w;      /* [nv, nh] */
    float *b;      /* [nv] */
    float *c;      /* [nh] */
    float *chain;  /* persistent CD's fantasy particles [chain_n, nv], or NULL */
    int chain_n;
    float *scratch; /* private: the buffers of a call, grown to the largest batch */
    size_t scratch_len;
};

/* A new RBM with W ~ N(0, 0.01^2) and zero biases, from ctx's generator. Returns
 * NULL (error in ctx) for sizes < 1 or out of memory. */
nn_rbm *nn_rbm_new(nn_ctx *ctx, int nv, int nh, bool gaussian);
void nn_rbm_free(nn_rbm *r); /* accepts NULL */

/* One contrastive-divergence update on the batch v0 [n, nv], learning rate lr, k >= 1
 * Gibbs steps. h0 ~ p(h|v0) is sampled (uniforms drawn row-major); each step sets
 * v = E[v|h] (the mean, as Hinton's guide does for the reconstruction), then
 * ph = p(h|v), and samples h from ph except at the last step. With persistent,
 * the chain starts from the previous call's last visible state (the data's first
 * time, or when n changes) instead of from v0, and its end is kept for the next call.
 *   W += lr (v0' ph0 - vk' phk) / n,  b += lr mean(v0 - vk),  c += lr mean(ph0 - phk).
 * *recon (may be NULL) gets the mean squared error between v0 and its mean-field
 * reconstruction E[v | p(h|v0)], taken before the update. Returns NN_OK, or NN_EARG/NN_ENOMEM with
 * the error in ctx. */
int nn_rbm_cd(nn_rbm *r, nn_ctx *ctx, const float *v0, int n, int k, float lr, bool persistent,
              double *recon);

/* Free energy of each row of v [n, nv] into f [n]:
 *   Bernoulli: F(v) = -b.v - sum_j softplus(c_j + (vW)_j)
 *   Gaussian:  F(v) = |v - b|^2 / 2 - sum_j softplus(c_j + (vW)_j)
 * Returns NN_OK or NN_ENOMEM. */
int nn_rbm_free_energy(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, float *f);

/* p(h=1|v) for v [n, nv] into h [n, nh]; E[v|h] for h [n, nh] into v [n, nv]. */
void nn_rbm_hidden(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, float *h);
void nn_rbm_visible(const nn_rbm *r, nn_ctx *ctx, const float *h, int n, float *v);

/* k steps of block Gibbs sampling in place on v [n, nv]: h ~ p(h|v), then v ~ p(v|h)
 * (sampled, Bernoulli or Gaussian); with mean_last the last v is E[v|h] instead. */
int nn_rbm_gibbs(const nn_rbm *r, nn_ctx *ctx, float *v, int n, int k, bool mean_last);

/* The mean over rows of the log pseudo-likelihood of binary v [n, nv]:
 *   sum_i log p(v_i | v_-i) = sum_i log sigmoid(F(v with bit i flipped) - F(v)),
 * all nv bits, each flip's free energy updated from the row's hidden input in O(nh).
 * Bernoulli RBMs only (NN_ESTATE otherwise). */
int nn_rbm_pseudo_likelihood(const nn_rbm *r, nn_ctx *ctx, const float *v, int n, double *out);

/* scikit-learn's copy of the UCI optical digits (1797 images of 8x8, 17 grey levels,
 * ten classes; "digits.csv.gz": 65 comma-separated numbers a line, the label last) as
 * a data set x [n, 64] scaled to [0, 1], y [n, 1] a class 0..9. NULL and an error
 * naming the file and line when it is missing or not that format. */
nn_dataset *nn_digits_load(nn_ctx *ctx, const char *path);

#endif
