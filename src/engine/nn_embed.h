/* nn_embed.h: maps of many points in few dimensions (embed.c): principal component
 * analysis and t-SNE, for the 2-D map of a layer's learned features. Part of the
 * engine's public interface; plain float arrays in and out, row-major, CPU memory. */
#ifndef NN_EMBED_H
#define NN_EMBED_H

#include <stdint.h>

#include "nn.h"

/* The first k principal components of n points of d values (x[i*d + j]): out[i*k + c]
 * is point i's coordinate along component c (centred data projected), comps[c*d + j]
 * the unit components (may be NULL), var[c] the variance along each, largest first
 * (may be NULL). Each component's sign is chosen so that its entries sum above 0 (or,
 * when they sum to 0, its largest-magnitude entry is positive), so the map does not
 * flip from run to run. Computed by orthogonal
 * iteration on the d x d covariance (sgemm). 1 <= k <= d, n >= 2. NN_OK, or NN_EARG /
 * NN_ENOMEM with the message in ctx. */
int nn_pca(nn_ctx *ctx, const float *x, int n, int d, int k, float *out, float *comps, float *var);

/* t-SNE (van der Maaten and Hinton, 2008), exact: n points of d values to out[i*2 + 0..1].
 * Inputs of more than 50 values are first reduced to 50 by PCA. Affinities from a
 * binary search per point for the perplexity; 1000 iterations of gradient descent
 * with momentum (0.5, then 0.8), gains, learning rate max(n / 12, 50) (n / 12 as
 * Belkina et al. 2019; 50 at least), early exaggeration 12 for the first 250. The
 * start is drawn from seed alone, so the same seed gives the same map. O(n^2) memory
 * and time per iteration: n at most NN_TSNE_MAX. NN_OK or NN_EARG / NN_ENOMEM. */
#define NN_TSNE_MAX 3000
typedef struct {
    double perplexity; /* 30 by default; must be < n / 3 */
    int iterations;    /* 1000 by default; at least 250 */
    uint64_t seed;
} nn_tsne_opts;
int nn_tsne(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o, float *out);

#endif
