-- lessonlib_24_25.lua: the plumbing of lessons 24 (RBMs and deep belief nets) and 25
-- (control and fault detection), kept out of the code the lessons print, and the
-- reference answers their checks compare with. Nothing here leaves names in the
-- user's globals. tests/lua/test_rbm_apps.lua calls the same functions with the
-- same settings, so the figures the lessons' text claims are asserted there.
local rbm = require "rbm"
local control = require "control"
local faults = require "faults"

local lib = {}

-- Lesson 24's RBM: 64 hidden units on the digits, CD-1, lr 0.1, 30 epochs, seed 1.
function lib.digit_rbm(train, test, o)
  o = o or {}
  nn.seed(1)
  local r = nn.rbm(64, o.hidden or 64)
  r:fit(train, {epochs = o.epochs or 30, lr = o.lr or 0.1, k = o.k or 1, persistent = o.persistent,
    validation = test, view = o.view})
  return r
end

-- The free energy of row i of x by the formula, in Lua from r:params(): the
-- reference the lesson's task compares with.
function lib.free_energy_of(r, x, i)
  local W, b, c = r:params()
  local w, bv, cv, v = W:totable(), b:totable()[1], c:totable()[1], x:rows(i):totable()[1]
  local f = 0
  for a = 1, #v do f = f - bv[a] * v[a] end
  for j = 1, #cv do
    local s = cv[j]
    for a = 1, #v do s = s + v[a] * w[a][j] end
    f = f - (s > 30 and s or math.log(1 + math.exp(s)))
  end
  return f
end

-- The recipe and the same net from scratch, on the digits: models, runs and their
-- last validation accuracies. iterations as the recipe (100) unless given.
function lib.dbn_against_scratch(train, test, o)
  o = o or {}
  local m1, run1, rbms = nn.dbn(train, test, {iterations = o.iterations, seed = 1})
  local m2, run2 = nn.dbn(train, test, {iterations = o.iterations, seed = 1, pretrain = false})
  local a1, a2 = run1.history.val_acc, run2.history.val_acc
  return {dbn = m1, scratch = m2, rbms = rbms, run_dbn = run1, run_scratch = run2,
    acc_dbn = a1[#a1], acc_scratch = a2[#a2], first_dbn = a1[1], first_scratch = a2[1]}
end

-- The two runs' validation accuracy by epoch on one plot.
function lib.accuracy_plot(cmp, o)
  local p = plot.lines{title = "validation accuracy: DBN against scratch", xlabel = "epoch", show = (o or {}).show}
  for _, name in ipairs{"dbn", "scratch"} do
    local h = cmp["run_" .. name].history.val_acc
    local xs = {}
    for e = 1, #h do xs[e] = e end
    p:add(name == "dbn" and "pre-trained (DBN)" or "from scratch", xs, h)
  end
  p:add("textbook 93.3%", {1, #cmp.run_dbn.history.val_acc}, {0.933, 0.933})
  return p
end

-- Lesson 25's identification of a plant from random levels (seeded), with a
-- validation input of other levels.
function lib.identify(kind)
  local p = control.plant(kind)
  local us = control.random_levels{n = 2000, hold = 20, low = p.umin, high = p.umax, seed = 1}
  local val = control.random_levels{n = 400, hold = 25, low = p.umin, high = p.umax, seed = 2}
  local model = control.identify(p, us, {validation = val})
  return p, model, val
end

-- The free-run comparison of plant and model on the validation input.
function lib.identification_plot(p, model, val, o)
  local yp, ym = p:simulate(val), model:simulate(val)
  local ts = {}
  for t = 1, #val do ts[t] = t * p.dt end
  local pl = plot.lines{title = "validation: true plant and learned model run free", xlabel = "time (s)",
    show = (o or {}).show}
  pl:add("input u", ts, val)
  pl:add("true plant", ts, yp)
  pl:add("learned model", ts, ym)
  return pl
end

-- The overshoot of a response as the lessons define it: (peak - r) / r, 0 if none.
function lib.overshoot(resp)
  return control.metrics(resp).overshoot
end

-- Lesson 25's fault data, models and scores.
function lib.fault_study(o)
  o = o or {}
  local s_tr, s_te = faults.series{seed = 1, windows = 400}, faults.series{seed = 2, windows = 200}
  local tr, scale = faults.windows(s_tr)
  local te = faults.windows(s_te, scale)
  local ae = faults.autoencoder(tr)
  local dbn = faults.dbn(tr)
  local pos_tr, pos_te = faults.is_fault(tr), faults.is_fault(te)
  local normal_tr = {}
  for i, p in ipairs(pos_tr) do normal_tr[i] = not p end
  local ae_scores, dbn_scores = faults.recon_scores(ae, te), faults.fault_scores(dbn, te)
  local roc_ae, auc_ae = faults.roc(ae_scores, pos_te)
  local roc_dbn, auc_dbn = faults.roc(dbn_scores, pos_te)
  local threshold = faults.threshold(faults.recon_scores(ae, tr), normal_tr, 0.95)
  return {series_train = s_tr, series_test = s_te, train = tr, test = te, ae = ae, dbn = dbn,
    ae_scores = ae_scores, dbn_scores = dbn_scores, fault = pos_te, roc_ae = roc_ae, roc_dbn = roc_dbn,
    auc_ae = auc_ae, auc_dbn = auc_dbn, threshold = threshold,
    dbn_confusion = dbn:evaluate(te).confusion}
end

-- The share of faulty windows whose score is above the threshold.
function lib.detection_rate(scores, fault, thr)
  local hit, n = 0, 0
  for i, s in ipairs(scores) do
    if fault[i] then
      n = n + 1
      if s > thr then hit = hit + 1 end
    end
  end
  return hit / n
end

return lib
