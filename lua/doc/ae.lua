-- doc/ae.lua: help entries of the autoencoders (lua/ae.lua, lesson 21).
return {
  ["ae"] = {
    sig = "ae.new{...}, ae.conv{...}, ae.noise, ae.mse, ae.l1_code, ae.kl_sparsity, ae.contractive, ae.pca, ae.principal_angles, ae.roc, ae.movie_ratings",
    summary = "autoencoders: under-complete, denoising, sparse, contractive, linear (against PCA), masked losses, anomaly scores",
    text = [[
An autoencoder is an encoder and a decoder trained to give back the input. m:fit
trains it in Lua through autograd, so every loss and penalty here is a tensor
expression with a gradient. The views (2-D code scatter, reconstruction grids, a
walk over the code plane, ROC) are in require("views_gen"). Lesson 21 uses them all.]],
    example = [[
nn.seed(1)
m = ae.new{sizes = {4, 2}, code = "linear", out = "linear"}
x = nn.randn(64, 4)
print(#m:fit{x, epochs = 2, batch = 16})   --> 2]],
  },
  ["ae.new"] = {
    sig = "m = ae.new{sizes = {784, 300, 2}, act = \"relu\", code = \"linear\", out = \"sigmoid\"} or ae.new{encoder = e, decoder = d}",
    summary = "an autoencoder: dense layers through sizes and back, or an encoder and decoder of your own",
    text = [[
act is the hidden layers' activation, code the code layer's, out the output's.
m:encode(x), m:decode(z), m:forward(x) build graphs; m:codes(x) and
m:reconstruct(x) do not. m:fit{x, epochs = 5, batch = 64, lr = 1e-3, noise =
"gaussian" | "masking" | "salt_pepper", amount = 0.3, l1 =, kl =, rho = 0.05,
contractive =, mask =, on_epoch = fn(m, epoch, loss)} returns the mean loss of
each epoch; m:errors(x) each row's reconstruction error. contractive = needs an
encoder of one linear layer and a sigmoid.]],
    example = [[
nn.seed(1)
m = ae.new{sizes = {6, 3}, code = "sigmoid"}
x = nn.rand(32, 6)
losses = m:fit{x, epochs = 3, noise = "masking", amount = 0.2, kl = 0.1, rho = 0.1}
print(#losses, #m:errors(x))   --> 3  32]],
  },
  ["ae.conv"] = {
    sig = "m = ae.conv{side = 28, channels = {16, 32}, code = 32}",
    summary = "a convolutional autoencoder for flat images [n, side*side]: strided convs down, transposed convs back up",
    text = [[
The encoder reshapes each row to [1, side, side], then 3x3 convolutions of
stride 2 (one per entry of channels, each halving the side: 28 -> 14 -> 7) with
ReLU, flattens and maps linearly to the code. The decoder mirrors it: linear and
ReLU back to [channels[#channels], 7, 7], then 3x3 transposed convolutions of
stride 2 (padding 1, output padding 1: each exactly doubles the side), ReLU
between, a sigmoid last, flattened to [n, side*side]. Train it with m:fit{x}
like any autoencoder.]],
    example = [[
nn.seed(1)
m = ae.conv{side = 8, channels = {4, 8}, code = 3}
x = nn.rand(16, 64)
print(m:reconstruct(x).shape[2], m:codes(x).shape[2])   --> 64  3
m:fit{x, epochs = 1, batch = 8}]],
  },
  ["ae.noise"] = {
    sig = "x2 = ae.noise(x, kind, amount)",
    summary = "a corrupted copy of x: \"gaussian\" (std amount), \"masking\" (0 with probability amount), \"salt_pepper\" (0 or 1 with probability amount)",
    text = [[
Drawn from nn's generator (nn.seed makes it repeatable). fit{noise = ...} calls it
for every batch, so a denoising autoencoder never sees the same corruption twice.]],
    example = [[
nn.seed(1)
print(ae.noise(nn.ones(1000), "masking", 0.3):mean():item())   -- about 0.7]],
  },
  ["ae.mse"] = {
    sig = "loss = ae.mse(y, x [, mask])",
    summary = "mean squared error; with a mask (1 observed, 0 missing) averaged over the observed entries only",
    text = [[
A missing entry gets no gradient: the movie-ratings toy (ae.movie_ratings) trains
on its blanks this way.]],
    example = [[
r, m = ae.movie_ratings()
print(ae.mse(nn.zeros(5, 6), r, m):item())   -- the share of 1s among the 25 ratings]],
  },
  ["ae.l1_code"] = {
    sig = "p = ae.l1_code(h)",
    summary = "the sparse autoencoder's L1 penalty: sum of |h| over the code, mean over the batch",
    text = [[fit{l1 = lambda} adds lambda times it to the loss.]],
    example = [[print(ae.l1_code(nn.tensor{{1, -2}, {0, 3}}):item())   --> 3]],
  },
  ["ae.kl_sparsity"] = {
    sig = "p = ae.kl_sparsity(h, rho)",
    summary = "sum over code units of KL(rho || mean activation of the unit over the batch); h in (0, 1)",
    text = [[
rho log(rho / r) + (1 - rho) log((1 - rho) / (1 - r)) for each unit's mean r: 0 when
every unit is active rho of the time. fit{kl = beta, rho = 0.05} adds beta times it.]],
    example = [[print(ae.kl_sparsity(nn.full({4, 2}, 0.05), 0.05):item())   --> 0]],
  },
  ["ae.contractive"] = {
    sig = "p = ae.contractive(h, w)",
    summary = "the contractive penalty ||dh/dx||_F^2 of a sigmoid layer h = sigmoid(x w + b), in closed form, mean over the batch",
    text = [[
dh_j/dx_i = h_j (1 - h_j) w_ij, so the squared Frobenius norm is
sum_j (h_j (1 - h_j))^2 sum_i w_ij^2. fit{contractive = lambda} adds lambda times it.]],
    example = [[print(ae.contractive(nn.full({1, 1}, 0.5), nn.tensor{{2}, {0}}):item())   --> 0.25]],
  },
  ["ae.pca"] = {
    sig = "components, variances, mean = ae.pca(x, k)",
    summary = "the first k principal components of x [n, d] (columns of a [d, k] tensor) and their variances",
    text = [[Orthogonal iteration on the covariance, then a k x k eigenproblem for the order.]],
    example = [[
nn.seed(1)
c, v = ae.pca(nn.randn(500, 2) * nn.tensor{3, 1}, 1)
print(c, v[1])   -- about ±(1, 0) and 9]],
  },
  ["ae.principal_angles"] = {
    sig = "cosines = ae.principal_angles(a, b)",
    summary = "cosines of the principal angles between the column spaces of a and b: all 1 for the same subspace",
    text = [[
a and b are [d, k] tensors or tables of rows. Lesson 21 compares a linear
autoencoder's decoder weights with PCA's components this way: the subspace is
the same even where the bases differ.]],
    example = [[print(ae.principal_angles({{1, 0}, {0, 1}, {0, 0}}, {{1, 1}, {1, -1}, {0, 0}})[2])   --> 1]],
  },
  ["ae.roc"] = {
    sig = "r = ae.roc(scores, labels)",
    summary = "the ROC curve {fpr =, tpr =, auc =} of anomaly scores against labels (1 anomaly, 0 normal)",
    text = [[
A higher score says "anomaly"; ties share a threshold (and count half in the area).
require("views_gen").roc(r) draws it.]],
    example = [[print(ae.roc({0.9, 0.2, 0.6}, {1, 0, 0}).auc)   --> 1]],
  },
  ["ae.movie_ratings"] = {
    sig = "ratings, mask = ae.movie_ratings()",
    summary = "the textbook's Table 3.1.1: 5 users x 6 movies, liked 1 or not 0, with 5 blanks (mask 0)",
    text = [[Blanks are 0 in ratings; fit{ratings, mask = mask} leaves them out of the loss.]],
    example = [[
r, m = ae.movie_ratings()
print(m:sum():item())   --> 25]],
  },
}
