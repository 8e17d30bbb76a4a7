-- doc/rbm.lua: help entries of restricted Boltzmann machines and deep belief nets
-- (nn.rbm, rbm:*, nn.dbn*, data.digits), from lua/rbm.lua and src/repl/bind_rbm.c.
local small = [[
nn.seed(1)
r = nn.rbm(4, 2)
x = nn.tensor{{1, 0, 1, 0}, {0, 1, 0, 1}}
r:fit(x, {epochs = 50, lr = 0.1, batch = 2})]]

return {
  ["nn.rbm"] = {
    sig = "r = nn.rbm(visible, hidden [, {gaussian=false}])",
    summary = "a restricted Boltzmann machine: binary hidden units, binary or Gaussian visible ones",
    text = [[
Weights W [visible, hidden] start N(0, 0.01²), biases b (visible) and c (hidden) at 0.
Energy E(v, h) = −b·v − c·h − vWh; p(h_j = 1 | v) = σ(c_j + (vW)_j) and, for binary
visible units, p(v_i = 1 | h) = σ(b_i + (Wh)_i). With gaussian = true the visible
units are N(b + Wh, 1): standardise the data first. Train with r:fit (CD-k or
persistent CD, in C); see r:free_energy, r:sample, r:pseudo_likelihood.]],
    example = [[
r = nn.rbm(64, 32)
print(r)   --> rbm 64 visible (binary) x 32 hidden]],
  },
  ["rbm:fit"] = {
    sig = "r:fit(data, {epochs=10, batch=32, lr=0.05, k=1, persistent=false, validation=, view=, shape=, seed=})",
    summary = "train by contrastive divergence (CD-k, or persistent CD) on shuffled mini-batches",
    text = [[
data is a data set (its x) or a tensor [n, visible]. Each batch: h0 ~ p(h|v0); k times
v = E[v|h], h ~ p(h|v); then W += lr (v0ᵀp(h|v0) − v_kᵀp(h|v_k)) / n, and the biases
alike. persistent = true starts the negative chain where the last batch left it. Per
epoch r.history gets recon (reconstruction error), fe_train and fe_val (mean free
energy of the training and validation data: a growing gap is overfitting) and pl
(log pseudo-likelihood of the first 256 rows, binary units). view = true opens the
live view: filters, inputs beside reconstructions, Gibbs samples, free energy
(shape = {h, w} when the visible units are not a square image). Returns r.]],
    example = small .. [[

print(#r.history.recon, r.history.recon[50] < r.history.recon[1])   --> 50 true]],
  },
  ["rbm:free_energy"] = {
    sig = "f = r:free_energy(x)",
    summary = "the free energy F(v) of each row: a tensor [n, 1]",
    text = [[
Binary visible units: F(v) = −b·v − Σ_j log(1 + e^(c_j + (vW)_j)); Gaussian ones:
F(v) = |v − b|²/2 − Σ_j log(1 + e^(c_j + (vW)_j)). p(v) = e^(−F(v)) / Z: lower is
more likely. x is a data set or a tensor [n, visible].]],
    example = small .. [[

print(r:free_energy(x))]],
  },
  ["rbm:mean_free_energy"] = {
    sig = "f = r:mean_free_energy(x)",
    summary = "the mean free energy of the rows of x (a number)",
    text = "The mean of r:free_energy(x); r:fit records it per epoch for the training and validation data.",
    example = small .. [[

print(r:mean_free_energy(x) < 0)   --> true]],
  },
  ["rbm:hidden"] = {
    sig = "h = r:hidden(x)",
    summary = "p(h = 1 | v) for each row: a tensor [n, hidden]",
    text = "σ(c + xW): the features a DBN's next RBM learns from, and what a classifier's first layer sees.",
    example = small .. [[

print(r:hidden(x))]],
  },
  ["rbm:visible"] = {
    sig = "v = r:visible(h)",
    summary = "E[v | h] for each row of hidden values: a tensor [n, visible]",
    text = "σ(b + hWᵀ) for binary visible units, b + hWᵀ for Gaussian ones.",
    example = small .. [[

print(r:visible(nn.tensor{{1, 0}}))]],
  },
  ["rbm:reconstruct"] = {
    sig = "v = r:reconstruct(x)",
    summary = "the mean-field reconstruction E[v | p(h|x)] of each row",
    text = "r:visible(r:hidden(x)): how well the hidden layer keeps what is in the image.",
    example = small .. [[

print(r:reconstruct(x))]],
  },
  ["rbm:reconstruction_error"] = {
    sig = "e = r:reconstruction_error(x)",
    summary = "the mean squared error of r:reconstruct(x)",
    text = [[
Easy to watch but not what CD minimises: it can fall while the model's samples stay
poor. The free energy gap and the pseudo-likelihood say more.]],
    example = small .. [[

print(r:reconstruction_error(x) < 0.1)   --> true]],
  },
  ["rbm:pseudo_likelihood"] = {
    sig = "pl = r:pseudo_likelihood(x)",
    summary = "the mean log pseudo-likelihood of binary rows: Σ_i log p(v_i | the other bits)",
    text = [[
log p(v_i | v_−i) = log σ(F(v with bit i flipped) − F(v)), summed over all visible units
and averaged over the rows; higher is better, 0 is the top. A tractable stand-in for
the log-likelihood, whose partition function Z cannot be computed. Binary visible
units only (a Gaussian RBM is refused); grey levels count as 1 above 0.5.]],
    example = small .. [[

print(r:pseudo_likelihood(x) > -2)   --> true]],
  },
  ["rbm:sample"] = {
    sig = "v = r:sample{n=16, k=1000, from=}",
    summary = "samples from the model after k steps of block Gibbs sampling",
    text = [[
Starts from the rows of from (a tensor or data set) or from n rows of random bits,
alternates h ~ p(h|v), v ~ p(v|h) k times and returns the last step's mean E[v|h]
(a cleaner image than a sample of it).]],
    example = small .. [[

print(r:sample{n = 3, k = 100})]],
  },
  ["rbm:params"] = {
    sig = "W, b, c = r:params()",
    summary = "copies of the weights [visible, hidden], visible biases [1, visible], hidden biases [1, hidden]",
    text = "W's layout is a linear layer's ([inputs, outputs]): nn.dbn_classifier copies W and c into one.",
    example = small .. [[

W, b, c = r:params()
print(W.shape[1], W.shape[2], c.shape[2])   --> 4 2 2]],
  },
  ["rbm:set_params"] = {
    sig = "r:set_params(W, b, c)",
    summary = "sets the weights and biases (tensors of the right number of elements)",
    text = "For an RBM whose distribution you know, e.g. to check Gibbs sampling against it.",
    example = [[
r = nn.rbm(2, 1)
r:set_params(nn.tensor{{2}, {-1.5}}, nn.tensor{{-0.5, 0.8}}, nn.tensor{{0.3}})
print(r:free_energy(nn.tensor{{1, 0}}))]],
  },
  ["rbm:free"] = {
    sig = "r:free()",
    summary = "frees the RBM's memory now (the garbage collector does it too)",
    text = "Any later use of r raises \"rbm was freed\".",
    example = [[
r = nn.rbm(4, 2)
r:free()]],
  },
  ["nn.dbn_pretrain"] = {
    sig = "rbms = nn.dbn_pretrain(data, {hidden={256, 256}, rbm_lr=0.05, rbm_epochs=10, batch=32, k=1, seed=})",
    summary = "greedy layer-wise pre-training of a deep belief net's RBMs, without labels",
    text = [[
The first RBM learns the data; each next one learns the hidden probabilities of the
one below. Returns the list of RBMs, for nn.dbn_classifier.]],
    example = [[
train = data.xor{n = 64, seed = 1}
rbms = nn.dbn_pretrain(train, {hidden = {8, 4}, rbm_epochs = 2})
print(#rbms, rbms[2])   --> 2 rbm 8 visible (binary) x 4 hidden]],
  },
  ["nn.dbn_classifier"] = {
    sig = "m = nn.dbn_classifier(inputs, classes, {hidden={256, 256}, activation=\"relu\", dropout=0.2, rbms=})",
    summary = "a feed-forward classifier shaped like a DBN, its hidden layers started from the RBMs' W and c",
    text = [[
nn.sequential of linear, activation and dropout per hidden layer, then a linear layer
of logits (train with nn.cross_entropy). Without rbms it starts from random weights:
the net "from scratch" to compare with.]],
    example = [[
m = nn.dbn_classifier(64, 10)
print(m:nparams())   --> 85002]],
  },
  ["nn.dbn"] = {
    sig = "m, run, rbms = nn.dbn(train, test, {hidden=, rbm_lr=, rbm_epochs=, lr=, iterations=, batch=, activation=, dropout=, pretrain=true, seed=1})",
    summary = "the deep belief net recipe end to end: pre-train the RBMs, copy them into a classifier, fine-tune by SGD",
    text = [[
Options default to nn.dbn_recipe (the textbook's). Fine-tuning is SGD at lr for
`iterations` epochs of batches; run is the fit's run (run.history.val_acc).
pretrain = false trains the same net from random weights.]],
    example = [[
train, test = data.digits{seed = 1}
m, run = nn.dbn(train, test, {hidden = {32}, rbm_epochs = 1, iterations = 2})
print(#run.history.val_acc)   --> 2]],
  },
  ["nn.dbn_recipe"] = {
    sig = "nn.dbn_recipe",
    summary = "the textbook's DBN settings: RBMs of 256 and 256, RBM lr 0.05 for 10 epochs, SGD lr 0.1 for 100, batch 32, ReLU, dropout 0.2",
    text = [[
From SupervisedDBNClassification(hidden_layers_structure=[256, 256],
learning_rate_rbm=0.05, learning_rate=0.1, n_epochs_rbm=10, n_iter_backprop=100,
batch_size=32, activation_function='relu', dropout_p=0.2) with a 75/25 split, which
the textbook reports at "Accuracy of prediction: 93.3%" (reported_accuracy).]],
    example = [[
print(nn.dbn_recipe)
print(nn.dbn_recipe.hidden[1], nn.dbn_recipe.rbm_lr)   --> 256 0.05]],
  },
  ["data.digits"] = {
    sig = "train, test = data.digits{test=0.25, seed=, shuffle=true}",
    summary = "1797 handwritten digits of 8x8 pixels (scikit-learn's copy of the UCI set), pixels in [0, 1]",
    text = [[
Read from Debian's python3-sklearn package
(/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz): 17 grey levels
scaled to [0, 1], x [n, 64], y the digit 0..9. test = 0 returns one set.]],
    example = [[
train, test = data.digits{seed = 1}
print(train:info().n, test:info().n, train:info().nx)   --> 1348 449 64]],
  },
}
