-- Lesson 10: batch normalization. The batch statistics of a layer before and after
-- normalisation (mean 0, std 1 before γ and β), the student's own normalisation
-- checked against nn.batchnorm, and a deep sigmoid net trained faster and less
-- sensitive to the learning rate with batch norm than without.
lesson{"batchnorm", "Batch normalization"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# What batch norm does to a batch

In a deep net each layer's inputs are the previous layer's outputs, and their
distribution moves every time the weights below change: Ioffe and Szegedy called
it *internal covariate shift*. Batch normalization fixes the distribution of each
unit's pre-activation z over the mini-batch. For each feature j of a batch of m
rows:

    μ_j = (1/m) Σ_i z_ij            σ²_j = (1/m) Σ_i (z_ij − μ_j)²
    ẑ_ij = (z_ij − μ_j) / √(σ²_j + ε)          (ε = 10⁻⁵)
    y_ij = γ_j · ẑ_ij + β_j

So before γ and β every feature has mean 0 and standard deviation 1 over the
batch; γ and β are learned and let the layer choose any other mean and spread
(γ = σ, β = μ undoes the normalisation). In training the batch's own μ and σ are
used; at test time the running averages collected during training
(`bn:running()`), so that one image's prediction does not depend on the others.

Below: a batch of 64 Fashion-MNIST images through a linear layer of 64 units,
then through `nn.batchnorm(64)` in training mode (γ = 1, β = 0 at the start).
]]

show[[
fm_train, fm_test = data.fashion_mnist{limit = 1000}
nn.seed(1)
lin, bn = nn.linear(784, 64), nn.batchnorm(64)
batch = fm_train:x():rows(1, 64)
z = lin(batch)
z_hat = bn(z)
function column_stats(t)   -- each feature's mean and std over the batch, and their ranges
  local mean = t:mean(1, true)
  local std = ((t - mean):pow(2):mean(1)):sqrt():totable()
  local m, lo, hi, slo, shi = mean:totable()[1], math.huge, -math.huge, math.huge, -math.huge
  for j = 1, #m do lo, hi, slo, shi = math.min(lo, m[j]), math.max(hi, m[j]), math.min(slo, std[j]), math.max(shi, std[j]) end
  return lo, hi, slo, shi
end
print(("z:     feature means from %7.3f to %7.3f, stds from %.3f to %.3f"):format(column_stats(z)))
print(("z_hat: feature means from %7.3f to %7.3f, stds from %.3f to %.3f"):format(column_stats(z_hat)))
unit_stats = require("lessonlib_07_10").unit_stats   -- the first 16 units' {mean, std}
bn_view = plot.window{
  plot.bars{values = unit_stats(z, 16), labels = select(2, unit_stats(z, 16)), names = {"mean", "std"},
    title = "z = x W + b: every unit its own mean and spread", xlabel = "unit", show = false},
  plot.bars{values = unit_stats(z_hat, 16), labels = select(2, unit_stats(z_hat, 16)), names = {"mean", "std"},
    title = "after batch norm: mean 0, std 1 for every unit", xlabel = "unit", show = false},
  cols = 2, title = "one batch of 64 images: the first 16 of 64 units"}
]]

task{
  [[Write `normalize(z)`: batch norm's ẑ for a tensor z [batch, features], each
  column (feature) normalised over the rows with its mean and its variance (the
  mean of the squared deviations, 1/m), and ε = 1e-5. `t:mean(1, true)` gives
  the column means as a [1, features] row that broadcasts.]],
  check = function(env)
    if type(env.normalize) ~= "function" then return false, "there is no function `normalize` yet" end
    nn.seed(5)
    local zt = nn.randn{16, 5} * 3 + 2
    local ok, got = pcall(env.normalize, zt)
    if not ok then return false, "normalize raised an error: " .. tostring(got) end
    if type(got) ~= "userdata" and type(got) ~= "table" or not pcall(function() return got.shape end) then
      return false, "normalize must return a tensor"
    end
    if got.shape[1] ~= 16 or got.shape[2] ~= 5 then
      return false, ("normalize(z) for z [16, 5] returned [%s, %s]; it keeps the shape"):format(tostring(got.shape[1]), tostring(got.shape[2]))
    end
    local ref = nn.batchnorm(5)(zt)
    local diff = (got - ref):abs():max():item()
    if diff < 1e-3 then return true end
    local rows = zt - zt:mean(2, true)
    if (got - rows / (rows:pow(2):mean(2, true) + 1e-5):sqrt()):abs():max():item() < 1e-3 then
      return false, "that normalises each row (image); batch norm normalises each column (feature) over the batch: mean(1, true)"
    end
    local dev = zt - zt:mean(1, true)
    if (got - dev / (dev:pow(2):sum(1, true) / 15 + 1e-5):sqrt()):abs():max():item() < 1e-3 then
      return false, "that divides the squared deviations by m − 1; batch norm's variance divides by m (their mean)"
    end
    if (got - dev / (dev:pow(2):mean(1, true) + 1e-5)):abs():max():item() < 1e-3 then
      return false, "that divides by the variance; divide by the standard deviation √(σ² + ε)"
    end
    return false, ("normalize differs from nn.batchnorm's output by up to %.3g"):format(diff)
  end,
  hint = "local d = z - z:mean(1, true); return d / (d:pow(2):mean(1, true) + 1e-5):sqrt()",
  solution = [[
function normalize(z)
  local d = z - z:mean(1, true)
  return d / (d:pow(2):mean(1, true) + 1e-5):sqrt()
end]],
  wrong = {
    { "each row instead of each column", [[
function normalize(z)
  local d = z - z:mean(2, true)
  return d / (d:pow(2):mean(2, true) + 1e-5):sqrt()
end]] },
    { "the variance with m − 1", [[
function normalize(z)
  local d = z - z:mean(1, true)
  return d / (d:pow(2):sum(1, true) / (z.shape[1] - 1) + 1e-5):sqrt()
end]] },
    { "divided by the variance", [[
function normalize(z)
  local d = z - z:mean(1, true)
  return d / (d:pow(2):mean(1, true) + 1e-5)
end]] },
  },
}

pause()

say[[
# Faster, and less sensitive to the learning rate

The course's hard case: a deep net of sigmoid units, four hidden layers of 128,
trained with plain SGD (lesson 03 showed why: each sigmoid layer shrinks the
gradient). We train it for 3 epochs at three learning rates, 0.01, 0.1 and 0.5,
without and with batch norm between each linear layer and its sigmoid.
]]

show[[
lib10 = require("lessonlib_07_10")
sweep, sweep_view = lib10.bn_sweep({0.01, 0.1, 0.5}, fm_train, fm_test, {epochs = 3})
for _, bn in ipairs{false, true} do
  for _, lr in ipairs{0.01, 0.1, 0.5} do
    print(("%-10s lr %-4g validation accuracy per epoch: %s"):format(bn and "batch norm" or "plain", lr,
      table.concat(sweep[bn][lr], "  ")))
  end
end
]]

say[[
Without batch norm the deep sigmoid net stays at or near chance (0.1; at most
about 0.2) for 3 epochs at all three rates. With it, every rate learns, and already after the first
epoch each is above the best the plain net reaches in three. The normalisation
keeps each sigmoid's input near 0, where its slope is largest, so the gradient
survives the depth; and since a layer's output no longer grows with the scale of
its weights, a larger rate does not blow it up. That is the "faster, and
steadier" of the papers: less depends on the choice of learning rate and
initialisation. (Batch norm also regularises a little: each image's output
depends on the others in its batch, a kind of noise.)
]]

task{
  [[Make `bn_deep`: the same deep net with batch norm, four hidden layers of 128
  units, each `nn.linear`, then `nn.batchnorm(128)`, then `nn.sigmoid()`, and a
  last `nn.linear(128, 10)`. Train it with `optim.sgd` (lr 0.1, batch 32, 3
  epochs, `wait = true`) to at least 0.5 accuracy on `fm_test`.
  (`lib10.deep(true)` builds it, if you want to compare.)]],
  check = function(env)
    local m = env.bn_deep
    if m == nil then return false, "there is no `bn_deep` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok then return false, "`bn_deep` is not a model: make it with nn.sequential{...}" end
    local names = {}
    for i, c in ipairs(kids) do names[i] = c:info().name end
    local bns = 0
    for i, n in ipairs(names) do
      if n == "batchnorm" then
        bns = bns + 1
        if names[i - 1] ~= "linear" then
          return false, ("layer %d is a batch norm after a %s: put it between the linear layer and its sigmoid, as Ioffe and Szegedy did"):format(i, tostring(names[i - 1]))
        end
      end
    end
    if bns ~= 4 then return false, ("`bn_deep` has %d batch-norm layers; it needs one in each of the 4 hidden layers"):format(bns) end
    if #names ~= 13 then return false, ("`bn_deep` has %d modules; 4 × (linear, batchnorm, sigmoid) and a last linear make 13"):format(#names) end
    local acc = m:evaluate(env.fm_test).accuracy
    if acc < 0.5 then return false, ("`bn_deep` has test accuracy %.3f; train it (fit with optim.sgd, lr 0.1, 3 epochs)"):format(acc) end
    return true
  end,
  hint = [[layers = {}; for i = 1, 4 do add nn.linear(i == 1 and 784 or 128, 128), nn.batchnorm(128), nn.sigmoid() end; add nn.linear(128, 10); bn_deep = nn.sequential(layers); then bn_deep:fit{fm_train, ...}]],
  solution = [[
nn.seed(1)
local layers = {}
for i = 1, 4 do
  for _, l in ipairs{nn.linear(i == 1 and 784 or 128, 128), nn.batchnorm(128), nn.sigmoid()} do layers[#layers + 1] = l end
end
layers[#layers + 1] = nn.linear(128, 10)
bn_deep = nn.sequential(layers)
bn_deep:fit{fm_train, epochs = 3, batch = 32, optimizer = optim.sgd(bn_deep, {lr = 0.1}), wait = true, verbose = false}]],
  wrong = {
    { "batch norm after the sigmoid", [[
nn.seed(1)
local layers = {}
for i = 1, 4 do
  for _, l in ipairs{nn.linear(i == 1 and 784 or 128, 128), nn.sigmoid(), nn.batchnorm(128)} do layers[#layers + 1] = l end
end
layers[#layers + 1] = nn.linear(128, 10)
bn_deep = nn.sequential(layers)]] },
    { "the plain net, trained", [[
bn_deep = lib10.deep(false)
bn_deep:fit{fm_train, epochs = 3, batch = 32, optimizer = optim.sgd(bn_deep, {lr = 0.1}), wait = true, verbose = false}]] },
    { "the right net, not trained", [[bn_deep = lib10.deep(true)]] },
  },
}

quiz{
  [[A model with batch norm classifies one test image alone (a batch of 1). Which
  statistics normalise it?]],
  choices = {
    "That image's own mean and variance: the batch is the image.",
    "The running mean and variance collected during training (evaluation mode).",
    "None: batch norm is switched off at test time, like dropout.",
    "The statistics of the last training batch.",
  },
  answer = 2,
  why = [[In evaluation mode (m:eval(), and what predict and evaluate use) batch norm
  uses the running averages of μ and σ² it collected while training, then γ and
  β. A batch of one has no spread to normalise by, and the prediction must not
  depend on which other images came along. It is not switched off: γ, β and the
  running statistics are part of the model.]],
}

say[[
# Next

Lesson 11 leaves the MLP: convolutions see an image as an image, not as 784
unrelated numbers.
]]
