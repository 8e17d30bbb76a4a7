-- Lesson 21: autoencoders. 784 -> 32 -> 784; a 2-D code as a scatter coloured by
-- class and a walk over it; denoising (original / noisy / output rows); sparse (L1,
-- KL to rho); contractive; a convolutional autoencoder (transposed convolutions); a linear autoencoder against
-- PCA; reconstruction error as an anomaly score with a ROC curve; the textbook's
-- movie ratings with their blanks left out of the loss.
lesson{"autoencoders", "Autoencoders"}
local ae = require "ae"

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Encoder, code, decoder

An autoencoder learns to give back its input: an **encoder** h = f(x) maps the
input to a **code**, a **decoder** r = g(h) maps the code back, and the loss
compares r with x (squared error here). Nobody labels anything: the input is its
own target ("self-supervised"). It is worth something only when it cannot simply
copy: the code is smaller than the input (*under-complete*), or a penalty or
noise forbids the copy.

The textbook's Keras listing: 28 × 28 = 784 pixels → a code of **32** (ReLU) →
784 (sigmoid). Below it trains for 3 epochs on 2000 Fashion-MNIST images; the top
row of the grid is the input, the bottom row what came back through 32 numbers.
]]

show[[
lib21 = require "lessonlib_21_22"
views = require "views_gen"
fm_x, fm_labels = lib21.fashion(2000)
test_x, test_labels = lib21.fashion(1000, "test")
uc = lib21.model("undercomplete")
uc_losses = uc:fit{fm_x, epochs = 3, lr = 2e-3}
print(("reconstruction MSE per epoch: %.4f %.4f %.4f"):format(table.unpack(uc_losses)))
uc_view = views.reconstructions(uc, test_x, {n = 8})
]]

say[[
The reconstructions are blurred: 32 numbers keep the shape and the brightness of
each garment, not its print or its stitches. The autoencoder is *lossy* and
*data-specific*: trained on clothes, it would reconstruct a landscape badly
(unlike gzip, which compresses anything).
]]

task{
  [[The textbook compresses 784 pixels to a code of 2 numbers and says "we spared
  782 elements". Write `spared(d, k)`: the percentage of the input's numbers that
  a code of k numbers spares, for an input of d numbers.]],
  check = function(env)
    if type(env.spared) ~= "function" then return false, "there is no function `spared` yet" end
    local ok, v = pcall(env.spared, 784, 2)
    if not ok then return false, "spared(784, 2) raised an error: " .. tostring(v) end
    if near(v, 2 / 784 * 100, 1e-6) then return false, "that is the share the code keeps, not the share it spares" end
    if near(v, 782 / 784, 1e-6) then return false, "a fraction: the percentage is 100 times it" end
    if not near(v, 99.744897959, 1e-6) then return false, ("spared(784, 2) gives %s; the textbook's 99.745%% is (782/784) x 100"):format(tostring(v)) end
    if not near(env.spared(784, 32), (752 / 784) * 100, 1e-6) then return false, "right for k = 2, wrong for k = 32" end
    return true
  end,
  hint = "(d - k) / d, as a percentage",
  solution = [[function spared(d, k) return (d - k) / d * 100 end]],
  wrong = {
    {"the share kept", [[function spared(d, k) return k / d * 100 end]]},
    {"a fraction", [[function spared(d, k) return (d - k) / d end]]},
  },
}

say[[
# A code of two numbers, seen as a map

With a code of 2 the code *is* a point in the plane. The textbook's compression
autoencoder is 784 → 300 → 2 → 300 → 784 with leaky ReLU (the output here is a
sigmoid, as pixels lie in [0, 1]). The scatter below is the code of each training
image coloured by its class — classes the autoencoder never saw — redrawn while it
trains. Trousers, bags and shoes find their own regions; shirts, pullovers and
coats overlap, as they did for the classifier of lesson 07.
]]

show[[
comp = lib21.model("compression")
comp_view = views.ae_live(comp, fm_x, fm_labels, {fm_x, epochs = 5, lr = 2e-3}, {every = 25, wait = true})
]]

say[[
Walking the code plane: each image of the grid below is the decoder's output for
one point of a 10 × 10 grid over the region the codes occupy. Nearby codes decode
to similar clothes, and the garments morph into one another along the way: the
decoder has learned a smooth map from the plane to images.
]]

show[[
local zx, zy = {}, {}
for i, z in ipairs(comp_view.codes) do zx[i], zy[i] = z[1], z[2] end
table.sort(zx); table.sort(zy)
local function q(t, p) return t[math.max(1, math.floor(p * #t))] end
walk_view = views.walk(comp, {xmin = q(zx, 0.05), xmax = q(zx, 0.95), ymin = q(zy, 0.05), ymax = q(zy, 0.95)})
]]

say[[
# Denoising

A denoising autoencoder is given a corrupted input x̃ and trained to give back the
clean x: loss ‖g(f(x̃)) − x‖². It must learn what clothes look like to undo the
damage. nnlab draws fresh noise for each batch (`noise =` in `fit`):

- **gaussian**: x̃ = x + N(0, σ²);
- **masking**: each pixel set to 0 with probability p;
- **salt_pepper**: each pixel set to 0 or 1 (half each) with probability p.

The rows below: original, noisy, output.
]]

show[[
dae = lib21.model("denoising")
dae:fit{fm_x, epochs = 3, noise = "salt_pepper", amount = 0.2}
dae_view = views.reconstructions(dae, test_x, {n = 8, noise = "salt_pepper", amount = 0.2})
]]

say[[
# Sparse and contractive autoencoders

A **sparse** autoencoder may have as many code units as it likes, but only a few
may be active for any one input. Two penalties are added to the loss:

- **L1** on the code: λ Σⱼ |hⱼ|;
- **KL** to a target activation ρ (with sigmoid code units): ρ̂ⱼ is unit j's mean
  activation over the batch, and the penalty is
  β Σⱼ [ρ log(ρ/ρ̂ⱼ) + (1 − ρ) log((1 − ρ)/(1 − ρ̂ⱼ))].

A **contractive** autoencoder penalises the encoder's sensitivity to its input:
the squared Frobenius norm of its Jacobian, λ ‖∂h/∂x‖²_F = λ Σᵢⱼ (∂hⱼ/∂xᵢ)². For one
sigmoid layer h = σ(xW + b) it has a closed form: ∂hⱼ/∂xᵢ = hⱼ(1 − hⱼ) Wᵢⱼ.
]]

show[[
sparse = lib21.model("sparse")
sparse:fit{fm_x, epochs = 3, kl = 0.5, rho = 0.05}
dense = lib21.model("dense64")
dense:fit{fm_x, epochs = 3}
print(("mean code activation: %.3f with KL to rho = 0.05, %.3f without"):format(
  lib21.mean_activation(sparse, test_x), lib21.mean_activation(dense, test_x)))
cae = lib21.model("contractive")
cae:fit{fm_x, epochs = 3, contractive = 0.1}
plain = lib21.model("plain32")
plain:fit{fm_x, epochs = 3}
print(("code change per unit of input change: %.4f contractive, %.4f plain"):format(
  lib21.contraction(cae, test_x), lib21.contraction(plain, test_x)))
]]

say[[
The KL penalty brings the mean activation down to its target; the contractive
penalty makes the code several times less sensitive to small changes of the input
(at some cost in reconstruction error): similar inputs, similar codes.
]]

task{
  [[Write `contractive(h, w)`: the contractive penalty of a sigmoid layer, as a
  tensor (so that it has a gradient). `h` is the code [batch, k] (h = σ(xW + b)),
  `w` the weights [inputs, k]. Sum (hⱼ(1 − hⱼ))² Σᵢ Wᵢⱼ² over the code units and
  the batch, then divide by the batch size. (`w:pow(2):sum(1)` sums each column's squares.)]],
  check = function(env)
    if type(env.contractive) ~= "function" then return false, "there is no function `contractive` yet" end
    nn.seed(11)
    local h, w = nn.rand(5, 3), nn.randn(4, 3)
    local ok, v = pcall(env.contractive, h, w)
    if not ok then return false, "contractive(h, w) raised an error: " .. tostring(v) end
    if type(v) ~= "userdata" or not v.shape then return false, "return a tensor (for its gradient), not a " .. type(v) end
    local want = ae.contractive(h, w):item()
    local got = v:item()
    if near(got, want, 1e-5) then return true end
    local d = h * (1 - h)
    if near(got, (d * (w * w):sum(1)):sum():item() / 5, 1e-5) then
      return false, "the derivative hⱼ(1 − hⱼ) must be squared too: the Jacobian's entries are squared whole"
    end
    if near(got, want * 5, 1e-5) then return false, "divide by the batch size (h.shape[1])" end
    return false, ("contractive gives %.6g, the penalty is %.6g"):format(got, want)
  end,
  hint = "local d = h * (1 - h); return (d * d * w:pow(2):sum(1)):sum() / h.shape[1]",
  solution = [[
function contractive(h, w)
  local d = h * (1 - h)
  return (d * d * w:pow(2):sum(1)):sum() / h.shape[1]
end]],
  wrong = {
    {"the derivative not squared", [[
function contractive(h, w)
  local d = h * (1 - h)
  return (d * w:pow(2):sum(1)):sum() / h.shape[1]
end]]},
    {"summed over the batch, not averaged", [[
function contractive(h, w)
  local d = h * (1 - h)
  return (d * d * w:pow(2):sum(1)):sum()
end]]},
  },
}

say[[
# A convolutional autoencoder

Convolutions suit images (lesson 12). The encoder below is two 3 × 3
convolutions of stride 2 with ReLU — 1 × 28 × 28 → 16 × 14 × 14 → 32 × 7 × 7 —
and a linear layer to a code of 32. The decoder is its mirror image: a linear
layer back to 32 × 7 × 7, then two 3 × 3 *transposed* convolutions of stride 2
that grow the maps 7 → 14 → 28 (output padding 1 makes each exactly double), a
sigmoid on the last. `convae.decoder:summary()` lists the shapes.
]]

show[[
convae = lib21.model("conv")
convae_losses = convae:fit{fm_x, epochs = 3, lr = 2e-3}
print(("conv autoencoder, MSE per epoch: %.4f %.4f %.4f"):format(table.unpack(convae_losses)))
convae_view = views.reconstructions(convae, test_x, {n = 8, title = "conv autoencoder: original / reconstructed"})
]]

say[[
Three short epochs on 2000 images already give recognisable, if blurred and
grainy, shapes (an MSE near 0.027, against 0.087 for the mean image): the transposed convolutions draw local strokes rather than 784
independent pixels. `convae:fit{fm_x, epochs = 10}` trains it further (a
minute or so of CPU).
]]

say[[
# A linear autoencoder is PCA

With no activations and squared error, the best a k-unit autoencoder can do is
to project onto the k directions of largest variance of the (centred) data: the
span of its decoder's weights is the subspace of the first k principal
components. It need not find the components themselves (any basis of the plane
will do), so we compare *subspaces*: the cosines of the principal angles between
the two planes are all 1 when they are the same plane.
]]

show[[
centred = fm_x - fm_x:mean(1)
pcs, variances = ae.pca(centred, 2)
linear = ae.new{sizes = {784, 2}, code = "linear", out = "linear"}
nn.seed(1)
linear:fit{centred, epochs = 10, lr = 3e-3}
decoder_w = linear.decoder:children()[1]:param(1):t()   -- [784, 2]: the decoder's two directions
cosines = ae.principal_angles(pcs, decoder_w)
print(("cosines of the principal angles: %.4f %.4f"):format(cosines[1], cosines[2]))
]]

quiz{
  [[The linear autoencoder's plane is PCA's. Are its two code units the two
  principal components?]],
  choices = {
    "Yes: training finds the components in order of variance.",
    "Not necessarily: any two independent directions in the same plane give the same reconstruction, so the code is the components' coordinates up to an invertible 2 × 2 mix.",
    "No: the linear autoencoder finds a different plane with smaller error.",
  },
  answer = 2,
  why = [[The loss depends only on the plane (the projection onto it), not on the
  basis: W and W·A with A invertible reconstruct alike. That is why the test
  compares subspaces, and why the codes of a linear AE may be correlated where
  PCA's are not.]],
}

say[[
# Reconstruction error as an anomaly score

An autoencoder trained on *normal* data only reconstructs normal data well;
something it never saw comes back worse. The reconstruction error is then an
anomaly score: above a threshold, flag it. Below, the 784 → 32 autoencoder learns
sandals, sneakers and ankle boots; test images of shoes (normal) and of trousers
and dresses (anomalies) are scored. The ROC curve shows, for every threshold, the
share of anomalies caught against the share of normal images falsely flagged; its
area (AUC) is the chance that a random anomaly scores above a random normal image.
]]

show[[
roc = lib21.anomaly(fm_x, fm_labels, test_x, test_labels, {[5] = true, [7] = true, [9] = true}, {[1] = true, [3] = true})
roc_view = views.roc(roc, {title = ("shoes normal, trousers and dresses anomalous: AUC %.3f"):format(roc.auc)})
print(("AUC %.3f"):format(roc.auc))
]]

task{
  [[Write `auc(scores, labels)`: the area under the ROC curve as the share of
  (anomaly, normal) pairs in which the anomaly (label 1) has the higher score; a
  tie counts one half.]],
  check = function(env)
    if type(env.auc) ~= "function" then return false, "there is no function `auc` yet" end
    local s, l = {0.9, 0.8, 0.7, 0.6, 0.5, 0.5}, {1, 0, 1, 1, 0, 1}
    local ok, v = pcall(env.auc, s, l)
    if not ok then return false, "auc raised an error: " .. tostring(v) end
    local want = ae.roc(s, l).auc
    if near(v, want, 1e-9) then
      if near(env.auc({1, 2, 3}, {0, 0, 1}), 1, 1e-9) then return true end
      return false, "auc({1, 2, 3}, {0, 0, 1}) must be 1: the anomaly scores highest"
    end
    if near(v, 1 - want, 1e-9) then return false, "that is the share where the *normal* row scores higher" end
    if near(v, 6 / 8, 1e-9) or near(v, 5 / 8, 1e-9) then return false, "a tie counts one half" end
    return false, ("auc gives %s for the six scores, the ROC's area is %.4f"):format(tostring(v), want)
  end,
  hint = "two loops: for each anomaly i and each normal j, add 1 if s[i] > s[j], 0.5 if equal; divide by the number of pairs",
  solution = [[
function auc(s, l)
  local sum, pairs_ = 0, 0
  for i = 1, #s do for j = 1, #s do
    if l[i] == 1 and l[j] == 0 then
      pairs_ = pairs_ + 1
      if s[i] > s[j] then sum = sum + 1 elseif s[i] == s[j] then sum = sum + 0.5 end
    end
  end end
  return sum / pairs_
end]],
  wrong = {
    {"ties not counted", [[
function auc(s, l)
  local sum, pairs_ = 0, 0
  for i = 1, #s do for j = 1, #s do
    if l[i] == 1 and l[j] == 0 then
      pairs_ = pairs_ + 1
      if s[i] > s[j] then sum = sum + 1 end
    end
  end end
  return sum / pairs_
end]]},
    {"the labels read the other way", [[
function auc(s, l)
  local sum, pairs_ = 0, 0
  for i = 1, #s do for j = 1, #s do
    if l[i] == 0 and l[j] == 1 then
      pairs_ = pairs_ + 1
      if s[i] > s[j] then sum = sum + 1 elseif s[i] == s[j] then sum = sum + 0.5 end
    end
  end end
  return sum / pairs_
end]]},
  },
}

say[[
# Recommendations with blanks: the movie ratings

The textbook's Table 3.1.1: five users, six movies, 1 = liked, 0 = not, and five
blanks (never watched). An autoencoder of the rows (6 → 3 tanh → 6 sigmoid) can
fill the blanks — if the blanks are left out of the loss: a blank is not a 0.
`fit{..., mask = m}` averages the squared error over the observed entries only
(mask 1), so a blank gets no gradient; afterwards the output at a blank is the
prediction.
]]

show[[
ratings, observed = ae.movie_ratings()
print(ratings); print(observed)
nn.seed(1)
recommender = ae.new{sizes = {6, 3}, code = "tanh", out = "sigmoid"}
recommender:fit{ratings, mask = observed, epochs = 500, batch = 5, lr = 0.02}
predicted = recommender:reconstruct(ratings)
print(predicted)
]]

task{
  [[Write `masked_mse(y, t, mask)`: the mean squared error of output `y` against
  ratings `t` over the observed entries only (`mask` 1 where observed, 0 for a
  blank), as a tensor. (`mask:sum()` counts the observed entries.)]],
  check = function(env)
    if type(env.masked_mse) ~= "function" then return false, "there is no function `masked_mse` yet" end
    local r, m = ae.movie_ratings()
    nn.seed(12)
    local y = nn.rand(5, 6)
    local ok, v = pcall(env.masked_mse, y, r, m)
    if not ok then return false, "masked_mse raised an error: " .. tostring(v) end
    if type(v) ~= "userdata" or not v.shape then return false, "return a tensor (for its gradient), not a " .. type(v) end
    local want = ae.mse(y, r, m):item()
    if near(v:item(), want, 1e-5) then return true end
    if near(v:item(), ((y - r) * (y - r)):mean():item(), 1e-5) then return false, "the blanks count as 0 ratings: multiply by the mask" end
    if near(v:item(), ((y - r) * (y - r) * m):mean():item(), 1e-5) then
      return false, "masked, but divided by all 30 entries: divide by the 25 observed ones"
    end
    return false, ("masked_mse gives %.6g, want %.6g"):format(v:item(), want)
  end,
  hint = "local d = y - t; return (d * d * mask):sum() / mask:sum()",
  solution = [[function masked_mse(y, t, mask) local d = y - t; return (d * d * mask):sum() / mask:sum() end]],
  wrong = {
    {"blanks as zeros", [[function masked_mse(y, t, mask) local d = y - t; return (d * d):mean() end]]},
    {"divided by every entry", [[function masked_mse(y, t, mask) local d = y - t; return (d * d * mask):mean() end]]},
  },
}

say[[
# What to take away

- An autoencoder learns a code by reconstructing its input; a bottleneck, noise
  or a penalty keeps it from copying.
- Denoising: corrupt, reconstruct the clean input. Sparse: few active code units
  (L1, or KL to ρ). Contractive: a small Jacobian ‖∂h/∂x‖²_F.
- Linear with squared error: PCA's subspace.
- Reconstruction error scores anomalies; a mask leaves missing data out of the loss.
]]
