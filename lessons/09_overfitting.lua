-- Lesson 09: over- and underfitting. Error against capacity; L1, L2 and the elastic
-- net; dropout and its 1/(1 − p) scaling; early stopping with patience, the stop
-- marked on the curves; noise and data augmentation.
lesson{"overfitting", "Over- and underfitting"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Capacity against error

A model *underfits* when it cannot even fit its training data (high bias): both
errors are high. It *overfits* when it fits the training data, noise and all,
and does worse on data it has not seen (high variance): the training error is
low and the validation error well above it.

To make both visible we train on only 500 images. The model has one hidden ReLU
layer, and its width is the capacity: 2, 8, 64 and 512 units, 20 epochs each.
(Try the same widths on the full 60 000 images and compare the gaps.)
]]

show[[
fm_train, fm_test = data.fashion_mnist{limit = 500}
lib09 = require("lessonlib_07_10")
capacity, capacity_view = lib09.capacity({2, 8, 64, 512}, fm_train, fm_test, {epochs = 20})
for _, r in ipairs(capacity) do
  print(("%4d units: training accuracy %.3f, validation %.3f, gap %.3f"):format(r.width, r.train, r.val, r.train - r.val))
end
]]

say[[
Two units underfit: both accuracies are low. With 512 units the net classifies
every training image correctly, yet a fifth of the test images wrongly: the gap
is the overfitting. Regularisation fights the gap without taking the capacity
away.
]]

pause()

say[[
# L1, L2 and the elastic net

Regularisation adds a penalty on the weights to the loss:

- **L2** (weight decay): λ₂ · Σ w². Its gradient 2λ₂w pulls every weight
  towards 0 in proportion to its size: the weights stay small.
- **L1**: λ₁ · Σ |w|. Its gradient λ₁·sign(w) pulls with the same force however
  small w is, so many weights end at (almost) exactly 0: a *sparse* model.
- **elastic net**: both, λ₁ Σ|w| + λ₂ Σw².

(The course notes call Σw² the "L2 norm"; the norm is its square root. The
penalty uses the sum of squares.) `m:regularize(l1, l2)` adds them for the
weights of the linear layers (not the biases); `m:penalty()` gives the term.
Below, the 256-unit net trains for 10 epochs with none, L2, L1 and both; the
histograms are the first layer's weights.
]]

show[=[
reg_results = {}
for _, r in ipairs{ {"none", 0, 0}, {"L2 0.001", 0, 1e-3}, {"L1 0.0001", 1e-4, 0}, {"elastic", 1e-4, 1e-3} } do
  local m, fig = lib09.regularised(fm_train, fm_test, r[2], r[3])
  reg_results[r[1]] = fig
  print(("%-10s weights' std %.4f, %4.1f%% below 0.001 in size; accuracy train %.3f, validation %.3f")
    :format(r[1], fig.std, 100 * fig.small, fig.train, fig.val))
  if r[1] == "L1 0.0001" then l1_model = m end
end
l1_view = plot.layers(l1_model, fm_test, {what = "weights", title = "L1: many weights at zero"})
]=]

say[[
L2 shrinks the spread of the weights; L1 puts about a fifth of them at (almost)
exactly zero, where the unregularised net has a few percent; the elastic net
does both. On this short run the validation accuracy moves by only a point or
so either way: how strong a penalty pays is itself a hyper-parameter, to be
chosen on the validation set (an `experiment` over l2 does it).
]]

task{
  [[Write `penalty(ws, l1, l2)`: the elastic-net term for a list of weight tensors
  `ws`, l1·Σ|w| + l2·Σw² over all their elements. (`t:abs():sum():item()` sums a
  tensor's sizes.)]],
  check = function(env)
    if type(env.penalty) ~= "function" then return false, "there is no function `penalty` yet" end
    nn.seed(3)
    local m = nn.sequential{nn.linear(4, 3), nn.tanh(), nn.linear(3, 2)}
    local ws = {(m:children()[1]:param(1)), (m:children()[3]:param(1))}
    local ok, got = pcall(env.penalty, ws, 0.1, 0.5)
    if not ok then return false, "penalty raised an error: " .. tostring(got) end
    if type(got) ~= "number" then return false, "penalty must return a number, got " .. type(got) end
    m:regularize(0.1, 0.5)
    local want = m:penalty()
    if near(got, want, 1e-5) then
      local l1only = env.penalty(ws, 0.1, 0)
      m:regularize(0.1, 0)
      if near(l1only, m:penalty(), 1e-5) then return true end
    end
    local sq, ab, sum = 0, 0, 0
    for _, w in ipairs(ws) do
      sq = sq + (w * w):sum():item(); ab = ab + w:abs():sum():item(); sum = sum + w:sum():item()
    end
    if near(got, 0.1 * ab + 0.5 * math.sqrt(sq), 1e-5) then
      return false, "that takes the square root of Σw² (the L2 norm); the penalty is the sum of squares itself"
    end
    if near(got, 0.1 * sum + 0.5 * sq, 1e-5) then
      return false, "the L1 term sums w, so negative weights cancel positive ones: sum |w|"
    end
    return false, ("penalty(ws, 0.1, 0.5) gives %.6g; m:penalty() gives %.6g for the same weights"):format(got, want)
  end,
  hint = "local s = 0; for _, w in ipairs(ws) do s = s + l1 * w:abs():sum():item() + l2 * (w * w):sum():item() end; return s",
  solution = [[
function penalty(ws, l1, l2)
  local s = 0
  for _, w in ipairs(ws) do s = s + l1 * w:abs():sum():item() + l2 * (w * w):sum():item() end
  return s
end]],
  wrong = {
    { "the L2 norm instead of the sum of squares", [[
function penalty(ws, l1, l2)
  local a, q = 0, 0
  for _, w in ipairs(ws) do a = a + w:abs():sum():item(); q = q + (w * w):sum():item() end
  return l1 * a + l2 * math.sqrt(q)
end]] },
    { "Σw without the absolute value", [[
function penalty(ws, l1, l2)
  local s = 0
  for _, w in ipairs(ws) do s = s + l1 * w:sum():item() + l2 * (w * w):sum():item() end
  return s
end]] },
    { "only the L2 term", [[
function penalty(ws, l1, l2)
  local s = 0
  for _, w in ipairs(ws) do s = s + l2 * (w * w):sum():item() end
  return s
end]] },
  },
}

say[[
# Dropout

Dropout (Srivastava et al.) switches each unit off with probability p at every
training step, so no unit can rely on a particular other one: the net trains an
ensemble of thinned nets sharing their weights. At test time all units are on.

The course notes describe the original form: at test time multiply the weights by
the keep probability 1 − p. nnlab, like every library today, uses *inverted*
dropout: during training the kept units are multiplied by 1/(1 − p), so that the
expected output is unchanged and nothing needs scaling at test time. Below,
p = 0.5 on a row of ones: each value becomes 0 or 2, and the mean stays near 1.
]]

show[[
drop = nn.sequential{nn.dropout(0.5)}
drop:train()
dropped = drop(nn.ones(1, 1000))
print("values seen:", dropped:max():item(), "and 0; mean", dropped:mean():item())
drop:eval()
print("in evaluation:", drop(nn.ones(1, 4)))
]]

task{
  [[With p = 0.25, by what factor does inverted dropout multiply the units it keeps
  during training? Set `keep_scale` to it.]],
  check = function(env)
    local k = env.keep_scale
    if type(k) ~= "number" then return false, "set `keep_scale` to a number" end
    if near(k, 0.75, 1e-6) then return false, "0.75 is the keep probability: the original dropout scales by it at test time; inverted dropout divides by it in training" end
    if near(k, 4, 1e-6) then return false, "1/p divides by the drop probability; divide by the keep probability 1 − p" end
    if not near(k, 1 / 0.75, 1e-6) then return false, ("keep_scale is %g; the kept units are scaled by 1/(1 − p)"):format(k) end
    return true
  end,
  hint = "1/(1 − p) with p = 0.25.",
  solution = [[keep_scale = 1 / (1 - 0.25)]],
  wrong = {
    { "the keep probability", [[keep_scale = 0.75]] },
    { "one over p", [[keep_scale = 1 / 0.25]] },
  },
}

pause()

say[[
# Early stopping

The validation loss of an overfitting net falls, reaches a lowest point and
rises again while the training loss goes on falling. *Early stopping* watches
the validation loss and stops when it has not improved for `patience` epochs,
then puts back the weights of the best epoch. `fit{..., patience = 3}` does it;
the run's `best_epoch` says which weights it kept, and the curves mark it.
]]

show[[
es_model = lib09.one_hidden(512)
es_run = es_model:fit{fm_train, validation = fm_test, epochs = 40, batch = 32, patience = 3,
  optimizer = optim.adam(es_model, {lr = 1e-3}), wait = true, verbose = false}
print(es_run.message)
es_view = lib09.curves(es_run, "early stopping: loss per epoch")
]]

task{
  [[Set `es_best` to the epoch whose weights `es_model` now has, and `es_epochs`
  to the number of epochs `es_run` actually trained.]],
  check = function(env)
    local b, n = env.es_best, env.es_epochs
    local run = env.es_run
    if type(b) ~= "number" or type(n) ~= "number" then return false, "set es_best and es_epochs to numbers" end
    local ran = #run.history.loss
    if n == 40 then return false, "40 is what fit was asked for; count the epochs in es_run.history.loss" end
    if n ~= ran then return false, ("es_epochs is %d; es_run.history.loss has one value an epoch"):format(n) end
    if b == ran then return false, "the last epoch trained is not the one kept: early stopping restored the best epoch's weights (es_run.best_epoch)" end
    if b ~= run.best_epoch then return false, ("es_best is %d; read es_run.best_epoch (or the lowest validation loss)"):format(b) end
    return true
  end,
  hint = "es_run.best_epoch and #es_run.history.loss.",
  solution = [[es_best, es_epochs = es_run.best_epoch, #es_run.history.loss]],
  wrong = {
    { "the epochs asked for", [[es_best, es_epochs = es_run.best_epoch, 40]] },
    { "the last epoch as the one kept", [[es_best, es_epochs = #es_run.history.loss, #es_run.history.loss]] },
  },
}

say[[
# Noise and data augmentation

More data is the best regulariser. When there is no more, make some: a shirt
moved two pixels to the left is still a shirt. `augment` (lua/lessonlib_07_10.lua)
adds to the set a copy of every image shifted by up to 2 pixels in each
direction, with Gaussian noise of std 0.1 added to the pixels (clamped to
[0, 1]). The noise is itself a regulariser: the net cannot memorise exact pixel
values. The same 256-unit net trains 10 epochs on each set: with the augmented
copies it scores about two points higher on the validation set.
]]

show[=[
augmented = lib09.augment(fm_train, {shift = 2, noise = 0.1})
aug_results = {}
for _, set in ipairs{ {"original", fm_train}, {"augmented", augmented} } do
  local m = lib09.one_hidden(256)
  m:fit{set[2], epochs = 10, batch = 32, optimizer = optim.adam(m, {lr = 1e-3}), wait = true, verbose = false}
  aug_results[set[1]] = {train = m:evaluate(fm_train).accuracy, val = m:evaluate(fm_test).accuracy}
  print(("%-9s (%4d images): accuracy on the 500 originals %.3f, validation %.3f")
    :format(set[1], set[2]:info().n, aug_results[set[1]].train, aug_results[set[1]].val))
end
aug_view = plot.images{images = augmented:x():rows(501, 8):reshape(8, 28, 28), cols = 8,
  title = "augmented copies: shifted, with noise"}
]=]

quiz{
  [[A net's training accuracy is 0.99 and its validation accuracy 0.80, and the
  validation loss has risen for the last ten epochs. Which is NOT a remedy?]],
  choices = {
    "Early stopping with a patience of a few epochs.",
    "L2 regularisation or dropout.",
    "More training data, or augmentation.",
    "A wider network trained for more epochs.",
  },
  answer = 4,
  why = [[The net overfits: the gap is the sign. Early stopping, weight penalties,
  dropout and more (or augmented) data all narrow the gap. More capacity and
  longer training widen it: they are the remedies of underfitting.]],
}

say[[
# Next

Lesson 10 opens up the batch-norm layer of lesson 07: what it does to a batch,
and why a deep net trains faster with it.
]]
