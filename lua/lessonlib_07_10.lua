-- lessonlib_07_10.lua: the plumbing of lessons 07 to 10 (Fashion-MNIST), kept out of
-- the code the lessons print. A lesson takes what it needs with one line, such as
-- `compare = require("lessonlib_07_10").compare`. Nothing here leaves names in the
-- user's globals. The tests (tests/lua/test_lessons_07_10.lua) call the same
-- functions with the same settings, so the numbers the lessons' text claims are
-- asserted there.
local lib = {}

-- The four models of the course notes (784 -> 512 -> 128 -> 10): "sigmoid", "relu",
-- "batchnorm" (ReLU with batch norm after each hidden linear layer) and "dropout"
-- (ReLU with dropout p after each hidden layer). ReLU layers start with He weights and
-- bias 0.01; sigmoid ones with Xavier's. Seeded (seed = 1), so that a model is the
-- same whatever ran before it.
function lib.course_model(kind, opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  local h1, h2 = opts.h1 or 512, opts.h2 or 128
  local relu = kind ~= "sigmoid"
  local init = relu and {init = "he_normal", bias = 0.01} or {init = "xavier_normal"}
  local layers = {}
  local function hidden(i, o)
    layers[#layers + 1] = nn.linear(i, o, init)
    if kind == "batchnorm" then layers[#layers + 1] = nn.batchnorm(o) end
    layers[#layers + 1] = relu and nn.relu() or nn.sigmoid()
    if kind == "dropout" then layers[#layers + 1] = nn.dropout(opts.p or 0.2) end
  end
  if kind ~= "sigmoid" and kind ~= "relu" and kind ~= "batchnorm" and kind ~= "dropout" then
    error(("course_model: %q is none of sigmoid, relu, batchnorm, dropout"):format(tostring(kind)), 2)
  end
  hidden(784, h1)
  hidden(h1, h2)
  layers[#layers + 1] = nn.linear(h2, 10)
  return nn.sequential(layers)
end

-- Trains each model of `models` (a list of {name, model [, {lr =, schedule =}]}) on
-- train with validation, Adam (lr), batch 64, the same seed for each; returns the
-- runs by name and one plot of their validation accuracy per epoch (show = false
-- keeps it off screen; train = true plots the training accuracy).
function lib.compare(models, train, test, opts)
  opts = opts or {}
  local runs, order = {}, {}
  local p = plot.lines{title = opts.title or "validation accuracy", xlabel = "epoch",
    ylabel = opts.ylabel or "accuracy", show = opts.show}
  for _, pair in ipairs(models) do
    local name, m, own = pair[1], pair[2], pair[3] or {}
    nn.seed(opts.seed or 1)
    local run = m:fit{train, validation = test, epochs = opts.epochs or 5, batch = opts.batch or 64,
      optimizer = optim.adam(m, {lr = own.lr or opts.lr or 1e-3}), metrics = {"precision", "recall", "f1"},
      schedule = own.schedule, patience = own.patience or opts.patience, wait = true, verbose = false}
    runs[name], order[#order + 1] = run, name
    local h = run.history
    local xs = {}
    for e = 1, #h.val_acc do xs[e] = e end
    p:add(name, xs, opts.train and h.acc or h.val_acc)
  end
  return runs, p, order
end

-- A table of the runs' last-epoch figures, one line a model, as the lessons print it.
function lib.table(runs, order)
  local lines = {("%-10s %9s %9s %9s %9s %9s"):format("model", "train acc", "val acc", "precision", "recall", "F1")}
  for _, name in ipairs(order) do
    local h = runs[name].history
    local e = #h.val_acc
    lines[#lines + 1] = ("%-10s %9.3f %9.3f %9.3f %9.3f %9.3f"):format(name, h.acc[e], h.val_acc[e],
      h.val_precision[e], h.val_recall[e], h.val_f1[e])
  end
  return table.concat(lines, "\n")
end

-- Precision, recall and F1 of one class (0-based) from a confusion matrix (rows true).
function lib.class_scores(cm, c)
  local k, tp, col, row = #cm, cm[c + 1][c + 1], 0, 0
  for i = 1, k do col, row = col + cm[i][c + 1], row + cm[c + 1][i] end
  local precision = col > 0 and tp / col or 0
  local recall = row > 0 and tp / row or 0
  local f1 = precision + recall > 0 and 2 * precision * recall / (precision + recall) or 0
  return precision, recall, f1
end

-- Per-layer standard deviation of the hidden activations of a deep net whose linear
-- layers all use `init` (and `bias`), on the rows of x: {std per layer}, and the
-- share of exact zeros in the last hidden layer.
function lib.init_stats(init, x, opts)
  opts = opts or {}
  local depth, width = opts.depth or 6, opts.width or 256
  local act = opts.activation or "relu"
  nn.seed(opts.seed or 1)
  local layers, inp = {}, x.shape[2]
  for _ = 1, depth do
    layers[#layers + 1] = nn.linear(inp, width, {init = init, bias = opts.bias})
    layers[#layers + 1] = nn.activation(act)
    inp = width
  end
  layers[#layers + 1] = nn.linear(width, 10)
  local m = nn.sequential(layers)
  local ls = require("views_data").layer_values(m, x)
  local stds = {}
  for i, l in ipairs(ls) do stds[i] = l.std end
  return stds, m, ls[#ls].zero
end

-- A copy of d with each image shifted by up to `shift` pixels (a random direction per
-- image) and Gaussian noise of std `noise` added, clamped to [0, 1]: data
-- augmentation. With copies = k the set grows k times (the originals stay in).
function lib.augment(d, opts)
  opts = opts or {}
  local shift, noise, copies = opts.shift or 2, opts.noise or 0.1, opts.copies or 1
  local rng = math.random
  math.randomseed(opts.seed or 1)
  local function gauss() return math.sqrt(-2 * math.log(1 - rng())) * math.cos(2 * math.pi * rng()) end
  local imgs, labels = d:x():totable(), d:y():totable()
  local n = #imgs
  local X, Y = {}, {}
  for i = 1, n do X[i], Y[i] = imgs[i], labels[i] end
  for _ = 1, copies do
    for i = 1, n do
      local sx, sy = rng(-shift, shift), rng(-shift, shift)
      local img, row = imgs[i], {}
      for r = 1, 28 do
        for c = 1, 28 do
          local rr, cc = r - sy, c - sx
          local v = (rr >= 1 and rr <= 28 and cc >= 1 and cc <= 28) and img[(rr - 1) * 28 + cc] or 0
          v = v + noise * gauss()
          row[#row + 1] = v < 0 and 0 or v > 1 and 1 or v
        end
      end
      X[#X + 1], Y[#Y + 1] = row, labels[i]
    end
  end
  return data.from(nn.tensor(X), nn.tensor(Y), {classes = 10})
end

-- One hidden ReLU layer of `width` units (784 -> width -> 10), He weights, bias 0.01,
-- the same seed each time.
function lib.one_hidden(width, opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  local layers = {nn.linear(784, width, {init = "he_normal", bias = 0.01}), nn.relu()}
  if opts.dropout then layers[#layers + 1] = nn.dropout(opts.dropout) end
  layers[#layers + 1] = nn.linear(width, 10)
  return nn.sequential(layers)
end

-- Capacity against error: trains one_hidden(w) for each width (Adam 0.001, batch 32)
-- and returns rows {width =, train =, val =} of final accuracies (evaluation mode)
-- and a plot of the error rates against the width (log x).
function lib.capacity(widths, train, test, opts)
  opts = opts or {}
  local rows, te, ve = {}, {}, {}
  for i, w in ipairs(widths) do
    local m = lib.one_hidden(w)
    m:fit{train, epochs = opts.epochs or 20, batch = 32, optimizer = optim.adam(m, {lr = 1e-3}),
      wait = true, verbose = false}
    rows[i] = {width = w, train = m:evaluate(train).accuracy, val = m:evaluate(test).accuracy}
    te[i], ve[i] = 1 - rows[i].train, 1 - rows[i].val
  end
  local p = plot.lines{title = opts.title or "error against capacity", xlabel = "hidden units", ylabel = "error rate",
    xlog = true, show = opts.show, series = {training = {x = widths, y = te}, validation = {x = widths, y = ve}}}
  return rows, p
end

-- The loss curves of a run per epoch, training and validation, with the epoch whose
-- weights early stopping kept marked.
function lib.curves(run, title)
  local h, xs = run.history, {}
  for e = 1, #h.loss do xs[e] = e end
  local p = plot.lines{title = title or "loss per epoch", xlabel = "epoch", ylabel = "loss",
    series = {training = {x = xs, y = h.loss}, validation = {x = xs, y = h.val_loss}}}
  if run.best_epoch and run.best_epoch > 0 and run.best_epoch < #h.loss then
    p:marker(run.best_epoch, ("best epoch %d: weights kept"):format(run.best_epoch))
    p:marker(#h.loss, "stopped")
  end
  return p
end

-- Trains one_hidden(width) with m:regularize(l1, l2) and returns the model and the
-- figures of its first layer's weights: std and the share below 1e-3 in size.
function lib.regularised(train, test, l1, l2, opts)
  opts = opts or {}
  local m = lib.one_hidden(opts.width or 256)
  m:regularize(l1, l2)
  m:fit{train, validation = test, epochs = opts.epochs or 10, batch = 32,
    optimizer = optim.adam(m, {lr = 1e-3}), wait = true, verbose = false}
  local w = require("views_data").layer_values(m, test, "weights")[1]
  local small = 0
  for _, v in ipairs(w.values) do if math.abs(v) < 1e-3 then small = small + 1 end end
  return m, {std = w.std, small = small / #w.values, train = m:evaluate(train).accuracy,
    val = m:evaluate(test).accuracy}
end

-- A deep net of `depth` hidden layers of `width` units with the activation `act`
-- ("sigmoid"), with batch norm between each hidden linear layer and its activation
-- when bn is true; default initialisation, the same seed each time.
function lib.deep(bn, act, opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  local layers, inp = {}, 784
  for _ = 1, opts.depth or 4 do
    layers[#layers + 1] = nn.linear(inp, opts.width or 128)
    if bn then layers[#layers + 1] = nn.batchnorm(opts.width or 128) end
    layers[#layers + 1] = nn.activation(act or "sigmoid")
    inp = opts.width or 128
  end
  layers[#layers + 1] = nn.linear(inp, 10)
  return nn.sequential(layers)
end

-- Trains deep(bn) with plain SGD at each rate of `rates` for `epochs` epochs (batch
-- 32), with and without batch norm; returns {[bn][lr] = list of validation accuracy
-- per epoch} and one plot of all the curves.
function lib.bn_sweep(rates, train, test, opts)
  opts = opts or {}
  local out = {[true] = {}, [false] = {}}
  local p = plot.lines{title = opts.title or "validation accuracy, with and without batch norm",
    xlabel = "epoch", ylabel = "accuracy", show = opts.show}
  for _, bn in ipairs{false, true} do
    for _, lr in ipairs(rates) do
      local m = lib.deep(bn, opts.activation)
      local run = m:fit{train, validation = test, epochs = opts.epochs or 3, batch = 32,
        optimizer = optim.sgd(m, {lr = lr}), wait = true, verbose = false}
      out[bn][lr] = run.history.val_acc
      local xs = {}
      for e = 1, #run.history.val_acc do xs[e] = e end
      p:add(("%s lr %g"):format(bn and "batch norm" or "plain", lr), xs, run.history.val_acc)
    end
  end
  return out, p
end

-- Each of the first k features' mean and standard deviation over the batch (the rows
-- of t), as rows {mean, std} for grouped bars, and their labels.
function lib.unit_stats(t, k)
  local mean = t:mean(1, true)
  local std = (t - mean):pow(2):mean(1):sqrt():totable()
  local m = mean:totable()[1]
  local rows, labels = {}, {}
  for j = 1, math.min(k or 16, #m) do rows[j], labels[j] = {m[j], std[j]}, tostring(j) end
  return rows, labels
end

return lib
