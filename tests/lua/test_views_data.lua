-- test_views_data.lua: the views of lua/views_data.lua: the numbers each is built from
-- (row percentages, worst pairs, predictions, per-layer statistics, the suggested LR
-- range) against known answers, and every view renders to a PNG headless.
local V = require "views_data"

local function near(a, b, tol) return math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b)) end
local tmp = os.tmpname()
os.remove(tmp)
assert(os.execute("mkdir -p '" .. tmp .. "'"))
local function saved(p, name, w, h)
  local path = tmp .. "/" .. name
  p:save(path, w, h)
  local f = assert(io.open(path, "rb"), name .. " was not written")
  local size = #f:read("a")
  f:close()
  assert(size > 2000, name .. " is too small to be a rendered view: " .. size .. " bytes")
end

-- confusion: row percentages and the worst pairs of a known matrix
local cm = {{50, 0, 10}, {5, 30, 15}, {0, 20, 70}}
local t = V.confusion_table(cm)
assert(t.total == 200 and t.k == 3)
assert(near(t.percent[1][1], 50 / 60 * 100) and near(t.percent[2][3], 30) and near(t.percent[3][2], 20 / 90 * 100))
local worst = V.worst_pairs(cm, 2, {"a", "b", "c"})
assert(#worst == 2)
assert(worst[1]["true"] == 2 and worst[1].predicted == 1 and worst[1].count == 20, "the largest off-diagonal cell is c taken for b")
assert(worst[2]["true"] == 1 and worst[2].predicted == 2 and worst[2].count == 15)
assert(worst[1].text:find("c taken for b: 20", 1, true), worst[1].text)
-- what the view hands the viz: its matrix as k x k flat cells of the row percentages
-- (the first class at the top), on a fixed 0-100 scale: no upsampled nodes and no
-- fake node below zero
local P = require("viz.core").plot_methods
local sent = {}
local cells, grid, range = P.cells, P.grid, P.range
P.cells = function(self, v, ...) sent.cells = v; return cells(self, v, ...) end
P.grid = function(self, v, ...) sent.grid = v; return grid(self, v, ...) end
P.range = function(self, axis, lo, hi) if axis == "c" then sent.clim = {lo, hi} end return range(self, axis, lo, hi) end
local p = plot.confusion(cm, {labels = {"a", "b", "c"}, show = false})
P.cells, P.grid, P.range = cells, grid, range
assert(sent.grid == nil and sent.cells, "the matrix is drawn as cells, not as an interpolated grid")
assert(#sent.cells == 3, "3 rows of cells, got " .. #sent.cells)
for i = 1, 3 do
  assert(#sent.cells[4 - i] == 3, "3 cells a row")
  for j = 1, 3 do
    local v = sent.cells[4 - i][j]
    assert(v >= 0 and near(v, t.percent[i][j]), ("cell %d,%d is %g, its row percentage %g"):format(i, j, v, t.percent[i][j]))
  end
end
assert(sent.clim and sent.clim[1] == 0 and sent.clim[2] == 100, "colours fixed to 0-100%")
saved(p, "cm.png", 900, 700)
assert(not pcall(plot.confusion, {{1, 2}, {3}}), "a ragged matrix is refused")
assert(not pcall(plot.confusion, 42), "a number is refused")

-- a trained Fashion-MNIST model: predictions agree with evaluate, the run's matrix
nn.seed(1)
local train, test = data.fashion_mnist{limit = 600}
local m = nn.sequential{nn.linear(784, 32), nn.relu(), nn.linear(32, 10)}
local run = m:fit{train, validation = test, epochs = 2, batch = 32, verbose = false}
local _, pred, truth = V.predictions(m, test)
assert(#pred == 600 and #truth == 600)
local right = 0
for i = 1, #pred do
  assert(pred[i] >= 0 and pred[i] <= 9, "predicted classes are 0-based: " .. pred[i])
  if pred[i] == truth[i] then right = right + 1 end
end
local ev = m:evaluate(test)
assert(near(right / 600, ev.accuracy, 1e-6), ("accuracy from predictions %g, evaluate %g"):format(right / 600, ev.accuracy))
local pc, tc = plot.confusion(run, {labels = data.fashion_labels, show = false, model = m, data = test})
assert(tc.total == 600, "the run's validation matrix counts the validation set")
do -- at the prompt the view prints one line, not its plots and matrices
  local _, _, cview = plot.confusion(run, {show = false})
  local _, _, sview = plot.samples(m, test, {show = false})
  assert(repl.repr(cview) == "confusion view: 10 classes, 600 samples, follows its run", repl.repr(cview))
  assert(repl.repr(sview):find("^samples view: 16 images, %d+ wrong$"), repl.repr(sview))
end
saved(pc, "cm_run.png", 1100, 800)
-- a model and a data set, as a student types it first: the same counts as evaluate
local _, tm = plot.confusion(m, test, {show = false})
local _, to = plot.confusion{model = m, data = test, show = false}
for i = 1, 10 do
  for j = 1, 10 do
    assert(tm.counts[i][j] == ev.confusion[i][j] and to.counts[i][j] == ev.confusion[i][j],
      ("plot.confusion(m, d) cell %d,%d: %s and %s, evaluate %s"):format(i, j, tm.counts[i][j], to.counts[i][j], ev.confusion[i][j]))
  end
end
assert(tm ~= nil)
-- the title counts samples here, tokens when the labels are one a step (lesson 18's tagger)
local function title_of(...)
  local label = P.label
  local title
  P.label = function(self, which, text) if which == "title" then title = text end return label(self, which, text) end
  local ok, e = pcall(plot.confusion, ...)
  P.label = label
  assert(ok, e)
  return title
end
assert(title_of(m, test, {show = false}):find("(600 samples;", 1, true), title_of(m, test, {show = false}))
local ner = text.entities{n = 60, seed = 1}
nn.seed(7)
local tagger = nn.sequential{nn.embedding(#ner.words.tokens, 8, {padding = 0}),
  nn.lstm(8, 8, {output = "all", mask = true}), nn.linear(8, 7)}
local tokens = 0
for _, row in ipairs(ner.data:y():totable()) do for _, y in ipairs(row) do if y >= 0 then tokens = tokens + 1 end end end
local tt = title_of(tagger, ner.data, {show = false})
assert(tt:find(("(%d tokens;"):format(tokens), 1, true), tt)
local trun = tagger:fit{ner.data, loss = nn.seq_cross_entropy, epochs = 1, verbose = false}
tt = title_of(trun, {show = false})
assert(tt:find(("(%d tokens;"):format(tokens), 1, true), tt)
local ok, err = pcall(plot.confusion, m, 3)
assert(not ok and err:find("expected a data set", 1, true), err)
ok, err = pcall(plot.confusion, m, test, {titel = "x"})
assert(not ok and err:find("did you mean 'title'", 1, true), err)
local ps, info = plot.samples(m, test, {n = 12, show = false})
assert(#info.index == 12)
local wrong = 0
for i = 1, 12 do if pred[i] ~= truth[i] then wrong = wrong + 1 end end
assert(info.wrong == wrong)
saved(ps, "samples.png")
local pw, iw = plot.samples(m, test, {n = 6, wrong = true, show = false})
for _, i in ipairs(iw.index) do assert(pred[i] ~= truth[i], "wrong = true shows only mistakes") end
saved(pw, "wrong.png")
saved(V.cell_samples(m, test, truth[1], pred[1], {labels = data.fashion_labels, show = false}), "cell.png")
local pb, probs = plot.probabilities(m, test, 1, {show = false})
local s, best = 0, 1
for c = 1, 10 do s = s + probs[c]; if probs[c] > probs[best] then best = c end end
assert(near(s, 1, 1e-5) and best - 1 == pred[1], "the bars are softmax probabilities, the highest the prediction")
saved(pb, "probs.png")
assert(not pcall(plot.probabilities, m, test, 601), "a row beyond the set is refused")

-- per-layer statistics: known weights give known activations
local lin = nn.linear(2, 3, {init = 1})
local net = nn.sequential{lin, nn.relu(), nn.linear(3, 1)}
local x = nn.tensor{{1, 1}, {-1, -2}}          -- hidden: 2 each (+bias 0) and relu(-3) = 0
local acts = V.layer_values(net, x)
assert(#acts == 1 and #acts[1].values == 6)
assert(near(acts[1].mean, 1) and near(acts[1].std, 1) and near(acts[1].zero, 0.5), "relu outputs 2,2,2,0,0,0")
local ws = V.layer_values(net, x, "weights")
assert(#ws == 2 and near(ws[1].mean, 1) and near(ws[1].std, 0))
local gs = V.layer_values(m, test, "gradients", 64)
assert(#gs == 2 and gs[1].std > 0 and #gs[1].values == 784 * 32)
assert(m:parameters()[1].grad:abs():sum():item() == 0, "plot.layers leaves no gradients behind")
assert(not pcall(V.layer_values, net, x, "biases"))
local wl = plot.layers(m, test, {show = false})
saved(wl, "acts.png")
saved(plot.layers(m, test, {what = "gradients", show = false}), "grads.png")

-- live: at the prompt, plot.layers{run = a background fit} redraws while it trains
do
  repl.interactive = true
  nn.seed(2)
  local lm = nn.sequential{nn.linear(784, 16), nn.relu(), nn.linear(16, 10)}
  local before = V.layer_values(lm, test, "activations", 64)[1].std
  local lrun = lm:fit{train, epochs = 3, batch = 32, verbose = false}
  assert(lrun.job, "at the prompt fit runs as a job")
  local lw, _, refresh = plot.layers(lm, test, {run = lrun, n = 64})
  assert(refresh()[1].std == before, "before training the view shows the initial activations")
  local panel = lw:panels()[1]
  local v0 = panel:version()
  wait(lrun.job)
  local t_end = os.clock() + 1
  repeat repl._jobs_step(0.05) until os.clock() > t_end  -- the view redraws at most twice a second
  assert(panel:version() > v0, "the view's job redrew the histograms while or after the run trained")
  assert(refresh()[1].std ~= before, "after training the activations differ")
  lw:close()
  repl._jobs_step(0.1)
  repl.interactive = false
end

-- the LR range: a loss falling from 2 to 1 between lr 1e-3 and 1e-1, rising after
local r = {lr = {}, loss = {}}
for i = 1, 100 do
  local lr = 1e-5 * 10 ^ (6 * (i - 1) / 99)
  r.lr[i] = lr
  local l = math.log(lr, 10)
  r.loss[i] = l < -3 and 2 or l < -1 and 2 - (l + 3) / 2 or 1 + (l + 1) ^ 2
end
local lo, hi, smooth = V.lr_suggest(r)
assert(#smooth == 100 and near(smooth[1], 2))
assert(lo > 1e-3 and lo < 1e-2, "the range starts where the loss starts to fall: " .. lo)
assert(hi > lo and hi < 1e-1, "the range ends below the minimum's rate: " .. hi)
-- one lucky batch at the start (a loss of 1.2 among 2s) does not start the range there
local lucky = {lr = r.lr, loss = {table.unpack(r.loss)}}
lucky.loss[3] = 1.2
local lo3, hi3 = V.lr_suggest(lucky)
assert(lo3 > 1e-3 and lo3 < 1e-2 and hi3 == hi, "a lucky early batch: the range still starts at " .. lo3)
local pl, lo2, hi2 = plot.lr_range(r, {show = false})
assert(lo2 == lo and hi2 == hi)
saved(pl, "lr.png")
local okb, errb = pcall(pl.band, pl, 0 / 0, 1)
assert(not okb and tostring(errb):find("band: the ends must be finite numbers, got NaN and 1", 1, true), tostring(errb))
assert(not pcall(V.lr_suggest, {lr = {1}, loss = {1}}))
os.execute("rm -rf '" .. tmp .. "'")
print("test_views_data: ok")
