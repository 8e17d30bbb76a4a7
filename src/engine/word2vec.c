/* word2vec.c: word vectors by CBOW and skip-gram with negative sampling (Mikolov et
 * al. 2013): the unigram^0.75 table of negatives, subsampling of frequent words, a
 * learning rate falling linearly over training, and nearest neighbours by cosine.
 * Plain loops over float rows: one update touches 1 + negative output rows of dim
 * floats, too small for a GEMM to pay. Tokenising and the vocabulary live in Lua. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "nn_text.h"

#define TABLE_SIZE   1000000 /* entries of the negative-sampling table */
#define MAX_NEGATIVE 64      /* negatives per positive pair */
#define MAX_WINDOW   64      /* context words on each side */
#define MIN_LR_FRAC  1e-4f   /* the learning rate never falls below lr * this */

struct nn_w2v {
    nn_w2v_opts o;
    int vocab;
    float *in;   /* [vocab, dim] input (word) vectors */
    float *out;  /* [vocab, dim] output (context) vectors */
    float *keep; /* [vocab] probability that subsampling keeps an occurrence */
    int *table;  /* [TABLE_SIZE] word ids, each in proportion to count^0.75 */
    float *dh;   /* [dim] scratch: dL/dh of one update */
    float *h;    /* [dim] scratch: the CBOW mean of the context */
};

static inline float dotf(const float *a, const float *b, int n) {
    float s = 0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* -log sigmoid(x) without overflow: softplus(-x). */
static inline double neg_log_sigmoid(double x) {
    return x > 0 ? log1p(exp(-x)) : -x + log1p(exp(x));
}

/* The loss of h against rows u[0..k) with labels y, and g[j] = dL/d(u_j.h) =
 * sigmoid(u_j.h) - y_j: the one place both training and nn_w2v_ns_loss compute it. */
static double ns_forward(const float *h, const float *const *u, const float *y, int k, int dim,
                         float *g) {
    double loss = 0;
    for (int j = 0; j < k; j++) {
        double z = dotf(u[j], h, dim);
        loss += y[j] * neg_log_sigmoid(z) + (1 - y[j]) * neg_log_sigmoid(-z);
        g[j] = (float)(1 / (1 + exp(-z)) - y[j]);
    }
    return loss;
}

double nn_w2v_ns_loss(const float *h, const float *const *u, const float *y, int k, int dim,
                      float *dh, float *du) {
    float g[MAX_NEGATIVE + 1];
    if (k > MAX_NEGATIVE + 1) k = MAX_NEGATIVE + 1;
    double loss = ns_forward(h, u, y, k, dim, g);
    /* forward: z_j = u_j.h, so dL/dh = sum_j g_j u_j and dL/du_j = g_j h */
    if (dh) {
        memset(dh, 0, sizeof(float) * (size_t)dim);
        for (int j = 0; j < k; j++)
            for (int d = 0; d < dim; d++) dh[d] += g[j] * u[j][d];
    }
    if (du)
        for (int j = 0; j < k; j++)
            for (int d = 0; d < dim; d++) du[(size_t)j * dim + d] = g[j] * h[d];
    return loss;
}

static int check_opts(nn_ctx *ctx, int vocab, const nn_w2v_opts *o) {
    if (vocab < 1) return nn_errorf(ctx, NN_EARG, "word2vec: the vocabulary is empty");
    if (o->dim < 1 || o->dim > 4096)
        return nn_errorf(ctx, NN_EARG, "word2vec: dim must be 1..4096, got %d", o->dim);
    if (o->window < 1 || o->window > MAX_WINDOW)
        return nn_errorf(ctx, NN_EARG, "word2vec: window must be 1..%d, got %d", MAX_WINDOW,
                         o->window);
    if (o->negative < 1 || o->negative > MAX_NEGATIVE)
        return nn_errorf(ctx, NN_EARG, "word2vec: negative must be 1..%d, got %d", MAX_NEGATIVE,
                         o->negative);
    if (!(o->lr > 0 && o->lr <= 10))
        return nn_errorf(ctx, NN_EARG, "word2vec: lr must be in (0, 10], got %g", o->lr);
    if (!(o->subsample >= 0 && o->subsample < 1))
        return nn_errorf(ctx, NN_EARG, "word2vec: subsample must be in [0, 1), got %g",
                         o->subsample);
    return NN_OK;
}

/* Word ids laid out in proportion to count^0.75, as word2vec.c does: a uniform index
 * into it is a draw from the smoothed unigram distribution. */
static void fill_table(int *table, const int64_t *counts, int vocab) {
    double norm = 0;
    for (int w = 0; w < vocab; w++) norm += pow((double)counts[w], 0.75);
    int w = 0;
    double cum = pow((double)counts[0], 0.75) / norm;
    for (int i = 0; i < TABLE_SIZE; i++) {
        table[i] = w;
        if ((double)(i + 1) / TABLE_SIZE > cum && w < vocab - 1) {
            w++;
            cum += pow((double)counts[w], 0.75) / norm;
        }
    }
}

/* Mikolov's keep probability (sqrt(f/t) + 1) t/f for a word of corpus frequency f. */
static void fill_keep(float *keep, const int64_t *counts, int vocab, double t) {
    double total = 0;
    for (int w = 0; w < vocab; w++) total += (double)counts[w];
    for (int w = 0; w < vocab; w++) {
        double f = counts[w] / total;
        keep[w] = t > 0 && f > 0 ? (float)fmin(1, (sqrt(f / t) + 1) * t / f) : 1;
    }
}

nn_w2v *nn_w2v_new(nn_ctx *ctx, int vocab, const int64_t *counts, const nn_w2v_opts *opts) {
    if (check_opts(ctx, vocab, opts) != NN_OK) return NULL;
    int64_t total = 0;
    for (int w = 0; w < vocab; w++) {
        if (counts[w] < 0)
            return nn_errorf(ctx, NN_EARG, "word2vec: word %d has a negative count", w), NULL;
        total += counts[w];
    }
    if (total == 0) return nn_errorf(ctx, NN_EARG, "word2vec: no word has a count"), NULL;
    nn_w2v *m = nn_calloc(ctx, 1, sizeof *m);
    if (!m) return NULL;
    size_t n = (size_t)vocab * opts->dim;
    m->o = *opts;
    m->vocab = vocab;
    m->in = nn_malloc(ctx, n * sizeof(float));
    m->out = nn_calloc(ctx, n, sizeof(float));
    m->keep = nn_malloc(ctx, (size_t)vocab * sizeof(float));
    m->table = nn_malloc(ctx, TABLE_SIZE * sizeof(int));
    m->dh = nn_malloc(ctx, (size_t)opts->dim * sizeof(float));
    m->h = nn_malloc(ctx, (size_t)opts->dim * sizeof(float));
    if (!m->in || !m->out || !m->keep || !m->table || !m->dh || !m->h) {
        nn_w2v_free(m);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) m->in[i] = (float)((nn_rand_uniform(ctx) - 0.5) / opts->dim);
    fill_table(m->table, counts, vocab);
    fill_keep(m->keep, counts, vocab, opts->subsample);
    return m;
}

void nn_w2v_free(nn_w2v *m) {
    if (!m) return;
    nn_mfree(m->in);
    nn_mfree(m->out);
    nn_mfree(m->keep);
    nn_mfree(m->table);
    nn_mfree(m->dh);
    nn_mfree(m->h);
    nn_mfree(m);
}

float *nn_w2v_vectors(nn_w2v *m, int *vocab, int *dim) {
    if (vocab) *vocab = m->vocab;
    if (dim) *dim = m->o.dim;
    return m->in;
}

float *nn_w2v_out_vectors(nn_w2v *m) {
    return m->out;
}

/* One negative-sampling update of h against the word `target` and fresh negatives:
 * the output rows move by -lr dL/du at once; dL/dh goes to m->dh for the caller to
 * apply to the input vectors h came from. Returns the loss before the update. */
static double ns_step(nn_ctx *ctx, nn_w2v *m, const float *h, int target, float lr) {
    int dim = m->o.dim, k = 1;
    float *u[MAX_NEGATIVE + 1], y[MAX_NEGATIVE + 1], g[MAX_NEGATIVE + 1];
    u[0] = m->out + (size_t)target * dim;
    y[0] = 1;
    for (int j = 0; j < m->o.negative; j++) {
        int w = m->table[nn_rand_below(ctx, TABLE_SIZE)];
        if (w == target) continue;
        u[k] = m->out + (size_t)w * dim;
        y[k++] = 0;
    }
    double loss = ns_forward(h, (const float *const *)u, y, k, dim, g);
    memset(m->dh, 0, sizeof(float) * (size_t)dim);
    for (int j = 0; j < k; j++) {
        for (int d = 0; d < dim; d++) m->dh[d] += g[j] * u[j][d];
        for (int d = 0; d < dim; d++) u[j][d] -= lr * g[j] * h[d];
    }
    return loss;
}

/* The context of position i in kept[0..n): positions i-b..i+b, b = window - r for
 * a random r (word2vec's window shrinking weights near words more), within the
 * sentence (no -1 in between). Writes the first and last positions. */
static void context_span(const int *kept, int64_t n, int64_t i, int b, int64_t *lo, int64_t *hi) {
    int64_t a = i, z = i;
    while (a > 0 && i - a < b && kept[a - 1] >= 0) a--;
    while (z + 1 < n && z - i < b && kept[z + 1] >= 0) z++;
    *lo = a;
    *hi = z;
}

/* One pass over kept[0..n) (already subsampled); returns the summed loss and adds the
 * number of updates to *updates. lr falls linearly from lr0 over the whole run,
 * positions done so far of the run being *done of total. */
static double train_pass(nn_ctx *ctx, nn_w2v *m, const int *kept, int64_t n, int64_t *done,
                         int64_t total, int64_t *updates) {
    int dim = m->o.dim;
    double loss = 0;
    for (int64_t i = 0; i < n; i++, (*done)++) {
        int w = kept[i];
        if (w < 0) continue;
        float lr = m->o.lr * fmaxf(MIN_LR_FRAC, 1 - (float)*done / (float)total);
        int b = m->o.window - (int)nn_rand_below(ctx, (uint32_t)m->o.window);
        int64_t lo, hi;
        context_span(kept, n, i, b, &lo, &hi);
        if (hi == lo) continue; /* a sentence of one word: no context */
        if (m->o.cbow) {
            /* forward: h = mean of in[c] over the context c != i, predict w */
            float inv = 1.0f / (float)(hi - lo);
            memset(m->h, 0, sizeof(float) * (size_t)dim);
            for (int64_t c = lo; c <= hi; c++)
                if (c != i)
                    for (int d = 0; d < dim; d++) m->h[d] += m->in[(size_t)kept[c] * dim + d] * inv;
            loss += ns_step(ctx, m, m->h, w, lr);
            (*updates)++;
            /* dL/d in[c] = dL/dh / (context size) for each context word */
            for (int64_t c = lo; c <= hi; c++)
                if (c != i)
                    for (int d = 0; d < dim; d++)
                        m->in[(size_t)kept[c] * dim + d] -= lr * inv * m->dh[d];
        } else {
            /* forward: h = in[w], predict each context word c != i in turn */
            float *h = m->in + (size_t)w * dim;
            for (int64_t c = lo; c <= hi; c++) {
                if (c == i) continue;
                loss += ns_step(ctx, m, h, kept[c], lr);
                (*updates)++;
                for (int d = 0; d < dim; d++) h[d] -= lr * m->dh[d];
            }
        }
    }
    return loss;
}

int nn_w2v_train(nn_ctx *ctx, nn_w2v *m, const int *tokens, int64_t n, int epochs, double *loss) {
    if (epochs < 1) return nn_errorf(ctx, NN_EARG, "word2vec: epochs must be >= 1, got %d", epochs);
    for (int64_t i = 0; i < n; i++)
        if (tokens[i] < -1 || tokens[i] >= m->vocab)
            return nn_errorf(ctx, NN_EARG,
                             "word2vec: token %lld is id %d, outside the vocabulary 0..%d",
                             (long long)i + 1, tokens[i], m->vocab - 1);
    int *kept = nn_malloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof(int));
    if (!kept) return NN_ENOMEM;
    int64_t done = 0, total = n * (int64_t)epochs;
    double last = 0;
    for (int e = 0; e < epochs; e++) {
        /* subsampling: each occurrence of w is kept with probability keep[w], drawn
         * afresh each epoch; a dropped word closes no sentence */
        int64_t nk = 0;
        for (int64_t i = 0; i < n; i++)
            if (tokens[i] < 0 || m->keep[tokens[i]] >= 1 ||
                nn_rand_uniform(ctx) < m->keep[tokens[i]])
                kept[nk++] = tokens[i];
        int64_t updates = 0;
        double sum = train_pass(ctx, m, kept, nk, &done, total, &updates);
        done += n - nk; /* dropped words count as done for the schedule */
        last = updates ? sum / (double)updates : 0;
    }
    nn_mfree(kept);
    if (loss) *loss = last;
    return NN_OK;
}

int nn_nearest_cosine(const float *vecs, int n, int dim, const float *query, const int *skip,
                      int nskip, int k, int *ids, float *sims) {
    double qn = sqrt(dotf(query, query, dim));
    int found = 0;
    for (int r = 0; r < n; r++) {
        bool skipped = false;
        for (int s = 0; s < nskip && !skipped; s++) skipped = skip[s] == r;
        if (skipped) continue;
        const float *v = vecs + (size_t)r * dim;
        double vn = sqrt(dotf(v, v, dim));
        float sim = qn > 0 && vn > 0 ? (float)(dotf(v, query, dim) / (qn * vn)) : 0;
        /* insertion into the sorted top k (ties keep the lower id first) */
        int at = found < k ? found : k;
        while (at > 0 && sims[at - 1] < sim) at--;
        if (at >= k) continue;
        int last = found < k ? found : k - 1;
        for (int j = last; j > at; j--) {
            ids[j] = ids[j - 1];
            sims[j] = sims[j - 1];
        }
        ids[at] = r;
        sims[at] = sim;
        if (found < k) found++;
    }
    return found;
}
