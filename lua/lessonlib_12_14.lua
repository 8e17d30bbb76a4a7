-- lessonlib_12_14.lua: the plumbing of lessons 12 (a CNN on Fashion-MNIST) and 14
-- (transfer learning), kept out of the code the lessons print. A lesson takes what it
-- needs with one line, such as `lenet5 = require("lessonlib_12_14").lenet5`. Nothing
-- here leaves names in the user's globals. tests/lua/test_lessons_12_14.lua calls the
-- same functions with the same settings, so the numbers the lessons' text claims are
-- asserted there.
local lib = {}

--- lib.lenet5([{classes = 10, seed = 1}]) -> LeNet-5 for 1×28×28 images, as the course
--- builds it: C1 conv 6@5×5 (padding 2), ReLU, S2 max pool 2, C3 conv 16@5×5, ReLU, S4
--- max pool 2, flatten, F5 120, ReLU, F6 84, ReLU, output `classes`. Seeded.
function lib.lenet5(opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  return nn.sequential{nn.conv2d(1, 6, 5, {padding = 2}), nn.relu(), nn.maxpool2d(2), nn.conv2d(6, 16, 5),
    nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(400, 120), nn.relu(), nn.linear(120, 84), nn.relu(),
    nn.linear(84, opts.classes or 10)}
end

--- lib.train(m, train, test [, {epochs = 3, lr = 0.002, batch = 32, seed = 1}]) -> run:
--- Adam, the same seed for every model (the same batches), in the foreground.
function lib.train(m, train, test, opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  return m:fit{train, validation = test, epochs = opts.epochs or 3, batch = opts.batch or 32,
    optimizer = optim.adam(m, {lr = opts.lr or 2e-3}), wait = true, verbose = false}
end

--- lib.mean_accuracy(run) -> the mean of the run's test (validation) accuracy over its
--- epochs: how far ahead a net is over a whole run, where one epoch's accuracy on 1000
--- images moves by a few tenths of a percent with the order of a sum.
function lib.mean_accuracy(run)
  local acc, sum = run.history.val_acc, 0
  for _, a in ipairs(acc) do sum = sum + a end
  return sum / #acc
end

--- lib.shapes(m, in_shape) -> rows {layer =, name =, shape = "6×28×28", params =} and the
--- total: the output shape and parameter count of each layer.
function lib.shapes(m, in_shape)
  local rows, shape, total = {}, in_shape, 0
  for k, c in ipairs(m:children()) do
    shape = c:out_shape(shape)
    local n = c:info().nparams
    total = total + n
    rows[k] = {layer = k, name = c:info().name, shape = table.concat(shape, "×"), params = n}
  end
  return rows, total
end

--- lib.rf_side(m, k [, in_shape]) -> the side of the receptive field of a unit in the
--- middle of layer k's maps (how many input pixels wide it sees).
function lib.rf_side(m, k, in_shape)
  local V = require "views_cnn"
  local L = V.layers(m, in_shape or {1, 28, 28})
  local s = L[k].shape
  local r0, r1 = V.receptive_field(L, k, (s[2] + 1) // 2, (s[3] + 1) // 2)
  return r1 - r0 + 1
end

--- lib.classes(d, first, last [, n]) -> a set of the first n rows of d whose class is
--- first..last, relabelled 0..last-first (all of them when n is nil).
function lib.classes(d, first, last, n)
  local ys = d:y():totable()
  local idx, labels = {}, {}
  for i, y in ipairs(ys) do
    local c = math.floor(type(y) == "table" and y[1] or y)
    if c >= first and c <= last and (not n or #idx < n) then
      idx[#idx + 1], labels[#labels + 1] = i, {c - first}
    end
  end
  return data.from(d:x():gather(idx), nn.tensor(labels), {classes = last - first + 1})
end

--- lib.frozen_moved(before, m, layers) -> true when any weight of m's layers `layers`
--- (a list) differs from the model `before`'s same layers.
function lib.moved(before, m, layers)
  local kb, km = before:children(), m:children()
  for _, k in ipairs(layers) do
    local pb, pm = kb[k]:parameters(), km[k]:parameters()
    for j = 1, #pb do
      local a, b = pb[j]:totable(), pm[j]:totable()
      local fa, fb = {}, {}
      local function walk(v, out) if type(v) ~= "table" then out[#out + 1] = v else for _, w in ipairs(v) do walk(w, out) end end end
      walk(a, fa); walk(b, fb)
      for i = 1, #fa do if fa[i] ~= fb[i] then return true end end
    end
  end
  return false
end

--- lib.curves(runs, order, title) -> one plot of each run's validation accuracy.
function lib.curves(runs, order, title)
  local p = plot.lines{title = title or "validation accuracy", xlabel = "epoch", ylabel = "accuracy"}
  for _, name in ipairs(order) do
    local h, xs = runs[name].history, {}
    for e = 1, #h.val_acc do xs[e] = e end
    p:add(name, xs, h.val_acc)
  end
  return p
end

return lib
