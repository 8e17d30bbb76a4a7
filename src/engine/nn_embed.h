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

/* t-SNE (van der Maaten and Hinton, 2008): n points of d values to out[i*2 + 0..1].
 * Inputs of more than 50 values are first reduced to 50 by PCA. 1000 iterations of
 * gradient descent with momentum (0.5, then 0.8), gains, learning rate max(n / 12, 200)
 * (n / 12 as Belkina et al. 2019), early exaggeration 12 for the first 250. The start
 * is drawn from seed alone, so the same seed gives the same map. Two algorithms:
 *  - exact: affinities from a binary search per point for the perplexity over all the
 *    other points; O(n^2) memory and time per iteration, n at most NN_TSNE_MAX;
 *  - Barnes-Hut (van der Maaten 2014): affinities over each point's k = floor(3
 *    perplexity) nearest neighbours only (found by brute force), the attraction summed
 *    over those, the repulsion through a quadtree whose cells of half side h whose
 *    centre of mass is at distance r from a point stand for all their points when
 *    h / r < theta (his bhtsne's criterion); O(n log n) an iteration, n at most
 *    NN_TSNE_BH_MAX.
 * NN_TSNE_AUTO takes the exact one up to NN_TSNE_BH_ABOVE points, Barnes-Hut above.
 * NN_OK or NN_EARG / NN_ENOMEM with the message in ctx. */
#define NN_TSNE_MAX      5000
#define NN_TSNE_BH_MAX   20000
#define NN_TSNE_BH_ABOVE 1000
enum { NN_TSNE_AUTO, NN_TSNE_EXACT, NN_TSNE_BARNES_HUT };
typedef struct {
    double perplexity; /* 30 by default; must be < n / 3 */
    int iterations;    /* 1000 by default; at least 250 */
    uint64_t seed;
    int method;   /* NN_TSNE_AUTO (0), NN_TSNE_EXACT or NN_TSNE_BARNES_HUT */
    double theta; /* Barnes-Hut's half-side-to-distance limit, 0 to 1; 0.5 when 0 */
} nn_tsne_opts;
int nn_tsne(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o, float *out);

/* The gradient of KL(P || Q) at the map y (y[i*2 + 0..1], exaggeration 1) into
 * grad[i*2 + 0..1], computed as nn_tsne computes it with the same options (the same
 * affinities P, exact or over the nearest neighbours; the tree's repulsion for
 * Barnes-Hut), and in *kl (may be NULL) KL(P || Q) itself with Q computed exactly
 * (O(n^2)): for tests and for comparing maps. NN_OK or NN_EARG / NN_ENOMEM. */
int nn_tsne_gradient(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o,
                     const float *y, float *grad, double *kl);

#endif
