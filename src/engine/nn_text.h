/* nn_text.h: word2vec (word2vec.c): CBOW and skip-gram with negative sampling over a
 * corpus of token ids, nearest neighbours by cosine and analogies. Part of the
 * engine's public interface; the corpus, its vocabulary and tokenising live on the
 * Lua side (lua/text.lua), which hands the engine ids and counts. */
#ifndef NN_TEXT_H
#define NN_TEXT_H

#include "nn.h"

typedef struct nn_w2v nn_w2v;

typedef struct nn_w2v_opts {
    bool cbow;       /* true: predict the centre from the mean of its context (CBOW);
                        false: predict each context word from the centre (skip-gram) */
    int dim;         /* vector size, >= 1 */
    int window;      /* context words on each side, >= 1 */
    int negative;    /* negative samples per positive pair, >= 1 */
    float lr;        /* first learning rate; it falls linearly to lr * 1e-4 */
    float subsample; /* t of the subsampling of frequent words (0: keep all) */
} nn_w2v_opts;

/* A model for a vocabulary of `vocab` words whose corpus counts are counts[0..vocab):
 * input vectors uniform in [-0.5/dim, 0.5/dim) from ctx's generator, output vectors
 * zero, and the table of negative samples drawn in proportion to count^0.75. NULL
 * with an NN_EARG message on bad options (naming the value) or no counted word. */
nn_w2v *nn_w2v_new(nn_ctx *ctx, int vocab, const int64_t *counts, const nn_w2v_opts *opts);
void nn_w2v_free(nn_w2v *m);

/* Trains `epochs` passes over tokens[0..n) (ids in [0, vocab); -1 is a sentence
 * break that no window crosses). Random draws (subsampling, window shrinking,
 * negatives) come from ctx's generator: the same seed gives the same vectors. The
 * mean negative-sampling loss of the last epoch goes to *loss when loss is not
 * NULL. NN_EARG on an id out of range. */
int nn_w2v_train(nn_ctx *ctx, nn_w2v *m, const int *tokens, int64_t n, int epochs, double *loss);

/* The input vectors, [vocab, dim] row-major (the word vectors), and the sizes. */
float *nn_w2v_vectors(nn_w2v *m, int *vocab, int *dim);
/* The output vectors, [vocab, dim]. */
float *nn_w2v_out_vectors(nn_w2v *m);

/* The negative-sampling loss of one input vector h[dim] against k output vectors
 * u[j] (rows of dim floats) with labels y[j] (1 for the true word, 0 for negatives):
 *   L = -sum_j [ y_j log s(u_j.h) + (1 - y_j) log s(-u_j.h) ],  s = sigmoid.
 * Writes dL/dh to dh[dim] and dL/du_j to du[j*dim..] when they are not NULL. */
double nn_w2v_ns_loss(const float *h, const float *const *u, const float *y, int k, int dim,
                      float *dh, float *du);

/* The k rows of vecs [n, dim] with the highest cosine similarity to query[dim],
 * best first, leaving out the ids in skip[0..nskip); writes ids and similarities and
 * returns how many it wrote (fewer when n - nskip < k). Zero rows have similarity 0. */
int nn_nearest_cosine(const float *vecs, int n, int dim, const float *query, const int *skip,
                      int nskip, int k, int *ids, float *sims);

/* The whole file at path, plain or gzip-compressed, NUL-terminated, its length in
 * *len; free it with nn_text_free. NULL with an NN_EIO message naming the path (a
 * missing file, a folder) or NN_EFORMAT (a broken gzip stream, over 1 GiB). */
char *nn_text_read(nn_ctx *ctx, const char *path, size_t *len);
void nn_text_free(char *text);
/* The text of bible-kjv-text's compressed data file (/usr/lib/bible.data), one verse
 * a line ("Ge1:1 In the beginning God created the heaven and the earth."), as
 * nn_text_read gives text; NN_EFORMAT naming the path for a file that is not one or
 * whose windows do not decode. */
char *nn_kjv_read(nn_ctx *ctx, const char *path, size_t *len);

#endif
