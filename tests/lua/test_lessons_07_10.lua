-- test_lessons_07_10.lua: the claims that the text of lessons 07-10 makes from numbers
-- hold for the runs the lessons make (the same helpers of lua/lessonlib_07_10.lua with
-- the same settings and seeds). A change that moves a figure past what the text says
-- fails here; then fix the text or the lesson, not this test.
local L = require "lessonlib_07_10"
local V = require "views_data"

local function check(cond, fmt, ...)
  if not cond then error(("lesson claim does not hold: " .. fmt):format(...), 2) end
end

---------------------------------------------------------------------------- lesson 07
local tr, te = data.fashion_mnist{limit = 1000}
local models = {}
for _, k in ipairs{"sigmoid", "relu", "batchnorm", "dropout"} do models[#models + 1] = {k, L.course_model(k)} end
local runs = L.compare(models, tr, te, {epochs = 5, show = false})
local function last(name, key) local h = runs[name].history[key]; return h[#h] end
local function gap(name) return last(name, "acc") - last(name, "val_acc") end
for _, k in ipairs{"relu", "batchnorm", "dropout"} do
  check(last("sigmoid", "val_acc") < last(k, "val_acc"), "07: the sigmoid net is the slowest (val %.3f against %s %.3f)",
    last("sigmoid", "val_acc"), k, last(k, "val_acc"))
  if k ~= "batchnorm" then
    check(last("batchnorm", "acc") > last(k, "acc") and last("batchnorm", "val_acc") > last(k, "val_acc"),
      "07: batch norm fits the training set fastest and ends best")
  end
end
check(gap("relu") >= 0.08, "07: ReLU's train-validation gap is about ten points (%.3f)", gap("relu"))
check(last("dropout", "acc") < last("relu", "acc") and last("dropout", "acc") < last("batchnorm", "acc"),
  "07: dropout has the lowest training accuracy of the ReLU nets")
check(gap("dropout") < gap("relu") and gap("dropout") < gap("batchnorm"), "07: dropout has the smallest gap")
local upper = {[0] = true, [2] = true, [4] = true, [6] = true}
for _, pair in ipairs(V.worst_pairs(runs.relu:confusion("validation"), 4)) do
  check(upper[pair["true"]] and upper[pair.predicted], "07: the worst pairs are among shirts, T-shirts, pullovers and coats (%d, %d)",
    pair["true"], pair.predicted)
end
local p, r, f = L.class_scores({{8, 2}, {1, 9}}, 0)
check(math.abs(p - 8 / 9) < 1e-12 and math.abs(r - 0.8) < 1e-12 and math.abs(f - 2 * p * r / (p + r)) < 1e-12,
  "class_scores: precision by column, recall by row")
print("ok   07")

---------------------------------------------------------------------------- lesson 08
nn.seed(1)
local probe = L.course_model("relu")
local rt = nn.lr_range_test{probe, tr, batch = 64, lr_min = 1e-5, lr_max = 1, steps = 100, optimizer = optim.adam(probe)}
local lo, hi = V.lr_suggest(rt)
check(lo > 3e-5 and lo < 1e-3 and hi > 1e-3 and hi < 1e-2, "08: Adam's range is about 1e-4 to a few 1e-3 and holds 0.001 (%g to %g)", lo, hi)
local cyc = optim.schedule{kind = "cyclic", lr_min = lo, lr0 = hi, period = 16}
local lr_runs = L.compare({ {"fixed", L.course_model("relu")}, {"cyclic", L.course_model("relu"), {schedule = cyc}} },
  tr, te, {epochs = 4, show = false})
local a1, a2 = lr_runs.fixed.history.val_acc[4], lr_runs.cyclic.history.val_acc[4]
check(math.abs(a1 - a2) < 0.05, "08: fixed and cyclic end within a few points (%.3f, %.3f)", a1, a2)
local x = te:x():rows(1, 200)
local zero = L.init_stats("zeros", x)
for _, s in ipairs(zero) do check(s == 0, "08: zero weights give zero outputs") end
local rnd = L.init_stats({"normal", 0, 1}, x)
check(rnd[6] / rnd[1] > 1e4 and rnd[2] / rnd[1] > 8 and rnd[2] / rnd[1] < 14, "08: N(0,1) grows about 11 times a layer (%g)", rnd[2] / rnd[1])
local xav = L.init_stats("xavier_normal", x)
for i = 2, 6 do check(xav[i] < xav[i - 1], "08: Xavier's spread shrinks every layer with ReLU") end
check(xav[6] / xav[1] < 0.25, "08: Xavier ends below a quarter of the first layer's spread")
for _, init in ipairs{"he_normal", {"orthogonal", math.sqrt(2)}} do
  local s = L.init_stats(init, x)
  check(s[6] / s[1] > 0.7 and s[6] / s[1] < 1.3, "08: He and orthogonal sqrt(2) keep the spread (%g)", s[6] / s[1])
end
local _, _, z0 = L.init_stats("he_normal", x, {bias = 0})
local _, _, z1 = L.init_stats("he_normal", x, {bias = 0.01})
check(z1 < z0, "08: bias 0.01 leaves fewer outputs at exactly 0 (%g against %g)", z1, z0)
print("ok   08")

---------------------------------------------------------------------------- lesson 09
local tr5, te5 = data.fashion_mnist{limit = 500}
local cap = L.capacity({2, 8, 64, 512}, tr5, te5, {epochs = 20, show = false})
check(cap[1].train < 0.5 and cap[1].val < 0.5, "09: two units underfit")
check(cap[4].train >= 0.99 and cap[4].val > 0.75 and cap[4].val < 0.82, "09: 512 units fit all training images, miss about a fifth of the test")
for i = 3, 4 do check(cap[i].train - cap[i].val > cap[i - 1].train - cap[i - 1].val, "09: the gap grows with the width") end
local figs = {}
for _, rr in ipairs{ {"none", 0, 0}, {"l2", 0, 1e-3}, {"l1", 1e-4, 0}, {"elastic", 1e-4, 1e-3} } do
  local _, fig = L.regularised(tr5, te5, rr[2], rr[3])
  figs[rr[1]] = fig
end
check(figs.l2.std < figs.none.std and figs.elastic.std < figs.none.std, "09: L2 shrinks the spread of the weights")
check(figs.l1.small > 0.15 and figs.l1.small < 0.3 and figs.none.small < 0.05, "09: L1 puts about a fifth at zero (%g), none a few percent (%g)",
  figs.l1.small, figs.none.small)
check(figs.elastic.small > 0.15, "09: the elastic net does both")
for k, fg in pairs(figs) do
  check(math.abs(fg.val - figs.none.val) <= 0.02, "09: %s moves the validation accuracy by a point or so (%.3f)", k, fg.val)
end
local drop = nn.sequential{nn.dropout(0.5)}
drop:train()
local d = drop(nn.ones(1, 1000)):totable()[1]
local sum = 0
for _, v in ipairs(d) do check(v == 0 or math.abs(v - 2) < 1e-6, "09: p = 0.5 gives 0 or 2"); sum = sum + v end
check(math.abs(sum / 1000 - 1) < 0.1, "09: the mean stays near 1")
local es_model = L.one_hidden(512)
local es = es_model:fit{tr5, validation = te5, epochs = 40, batch = 32, patience = 3,
  optimizer = optim.adam(es_model, {lr = 1e-3}), wait = true, verbose = false}
check(es.best_epoch < #es.history.loss and #es.history.loss < 40, "09: early stopping stops and keeps an earlier epoch")
local aug = L.augment(tr5, {shift = 2, noise = 0.1})
check(aug:info().n == 1000, "09: augment adds one copy of each image")
local acc = {}
for name, set in pairs{original = tr5, augmented = aug} do
  local m = L.one_hidden(256)
  m:fit{set, epochs = 10, batch = 32, optimizer = optim.adam(m, {lr = 1e-3}), wait = true, verbose = false}
  acc[name] = m:evaluate(te5).accuracy
end
check(acc.augmented >= acc.original + 0.01, "09: augmentation gains about two points (%.3f against %.3f)", acc.augmented, acc.original)
print("ok   09")

---------------------------------------------------------------------------- lesson 10
nn.seed(1)
local lin, bn = nn.linear(784, 64), nn.batchnorm(64)
local zh = bn(lin(tr:x():rows(1, 64)))
local mean = zh:mean(1, true)
local std = (zh - mean):pow(2):mean(1):sqrt()
check(mean:abs():max():item() < 1e-4, "10: mean 0 per feature before gamma and beta")
check((std - 1):abs():max():item() < 1e-3, "10: std 1 per feature before gamma and beta")
local sweep = L.bn_sweep({0.01, 0.1, 0.5}, tr, te, {epochs = 3, show = false})
local plain_best, bn_first = 0, 1
for _, lr in ipairs{0.01, 0.1, 0.5} do
  for _, a in ipairs(sweep[false][lr]) do plain_best = math.max(plain_best, a) end
  bn_first = math.min(bn_first, sweep[true][lr][1])
end
check(plain_best <= 0.25, "10: the plain deep sigmoid net stays near chance (%.3f)", plain_best)
check(bn_first > plain_best, "10: with batch norm every rate beats the plain net's best after one epoch")
print("ok   10")
print("test_lessons_07_10: ok")
