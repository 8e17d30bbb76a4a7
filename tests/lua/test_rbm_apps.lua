-- test_rbm_apps.lua: the Lua side of issue 18: nn.rbm's errors, determinism and
-- training signal; the DBN preset's shapes and counts and the copy of the RBMs into
-- the classifier; the ROC's AUC on hand-made scores; the PID tuned on a learned
-- model stabilising each true plant within stated bounds; fault detection beating
-- chance by a stated AUC. Fixed seeds throughout.
local rbm = require "rbm"
local control = require "control"
local faults = require "faults"

local function check(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end
local function raises(f, pattern)
  local ok, err = pcall(f)
  check(not ok, "expected an error matching %q", pattern)
  check(tostring(err):find(pattern, 1, true), "error %q does not say %q", tostring(err), pattern)
end

---------------------------------------------------------------------------- nn.rbm
raises(function() nn.rbm(0, 3) end, "nn.rbm: visible units must be a whole number from 1 to 1000000, got 0")
raises(function() nn.rbm(4, 2, {gausian = true}) end, "unknown option 'gausian'; did you mean 'gaussian'?")
local r = nn.rbm(4, 2)
raises(function() r:fit(nn.zeros{3, 5}) end, "the data have 5 values a row and the RBM 4 visible units")
raises(function() r:free_energy(nn.zeros{3, 5}) end, "a batch [n, 4] of visible values, got [3,5]")
raises(function() nn.rbm(4, 2, {gaussian = true}):pseudo_likelihood(nn.zeros{1, 4}) end, "Gaussian")
r:free()
raises(function() r:hidden(nn.zeros{1, 4}) end, "rbm was freed")
raises(function() data.digits{path = "/nonexistent/digits.csv.gz"} end, "python3-sklearn")

-- the same seed, the same RBM and the same training
local function trained(seed)
  nn.seed(seed)
  local x = nn.tensor{{1, 1, 0, 0}, {0, 0, 1, 1}, {1, 1, 0, 0}, {0, 0, 1, 1}}
  local m = nn.rbm(4, 3)
  m:fit(x, {epochs = 200, lr = 0.2, batch = 2, persistent = true})
  return m, x
end
local a, x = trained(7)
local b = trained(7)
check(a:mean_free_energy(x) == b:mean_free_energy(x), "same seed, same free energy")
check(a.history.recon[200] < a.history.recon[1] / 4, "persistent CD lowers the reconstruction error (%.4f -> %.4f)",
  a.history.recon[1], a.history.recon[200])
check(a.history.pl[200] > a.history.pl[1], "pseudo-likelihood rises")
local s = a:sample{n = 200, k = 200}:totable()
local pattern = 0 -- the learned model dreams the two patterns (rounded)
for _, row in ipairs(s) do
  local v = {}
  for j = 1, 4 do v[j] = row[j] > 0.5 and 1 or 0 end
  local key = table.concat(v)
  if key == "1100" or key == "0011" then pattern = pattern + 1 end
end
check(pattern >= 180, "samples after 200 Gibbs steps are the training patterns (%d of 200)", pattern)
-- Gaussian visible units on real values: two clusters at (+-1.5, -+1.5) with noise
nn.seed(3)
local g = nn.rbm(2, 4, {gaussian = true})
local pts = nn.randn({400, 2}, 0, 0.3):totable()
for i, p in ipairs(pts) do
  local s = i % 2 == 0 and 1.5 or -1.5
  p[1], p[2] = p[1] + s, p[2] - s
end
local gx = nn.tensor(pts)
local fe0 = g:mean_free_energy(gx)
g:fit(gx, {epochs = 60, lr = 0.01, batch = 20})
check(g:mean_free_energy(gx) < fe0 - 0.5, "a Gaussian RBM lowers the data's free energy (%.3f -> %.3f)",
  fe0, g:mean_free_energy(gx))
check(g.history.recon[60] < g.history.recon[1] / 2, "and its reconstruction error (%.3f -> %.3f)",
  g.history.recon[1], g.history.recon[60])
check(#g.history.pl == 0, "no pseudo-likelihood for Gaussian units")
print("ok   rbm")

---------------------------------------------------------------------------- DBN preset
local R = nn.dbn_recipe
check(R.hidden[1] == 256 and R.hidden[2] == 256 and R.rbm_lr == 0.05 and R.rbm_epochs == 10 and R.lr == 0.1
  and R.iterations == 100 and R.batch == 32 and R.activation == "relu" and R.dropout == 0.2 and R.test == 0.25,
  "the recipe is the textbook's (K-07)")
local train, test = data.digits{seed = 1}
check(train:info().n == 1348 and test:info().n == 449 and train:info().nx == 64 and train:info().classes == 10,
  "a 75/25 split of the 1797 digits of 64 pixels")
local rbms = nn.dbn_pretrain(train, {rbm_epochs = 1, seed = 1})
check(#rbms == 2 and rbms[1].nv == 64 and rbms[1].nh == 256 and rbms[2].nv == 256 and rbms[2].nh == 256,
  "two RBMs of 256: 64x256 and 256x256")
local m = nn.dbn_classifier(64, 10, {rbms = rbms})
check(m:nparams() == (64 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10), "parameters: %d", m:nparams())
check(#m:children() == 7, "linear, relu, dropout twice, then linear: %d modules", #m:children())
local W = rbms[1]:params()
local lw = m:children()[1]:param(1)
check((lw - W):abs():max():item() == 0, "the first linear layer's weight is the first RBM's W")
local _, _, c2 = rbms[2]:params()
check((m:children()[4]:param(2):reshape(1, 256) - c2):abs():max():item() == 0, "the second layer's bias is RBM 2's c")
raises(function() nn.dbn_classifier(32, 10, {rbms = rbms}) end, "RBM 1 is 64 x 256, layer 1 is 32 x 256")
print("ok   dbn preset")

---------------------------------------------------------------------------- ROC
local roc, auc = faults.roc({0.9, 0.8, 0.7, 0.6}, {true, false, true, false})
check(math.abs(auc - 0.75) < 1e-12, "AUC of hand-made scores: %.4f, want 0.75", auc)
check(roc.fpr[#roc.fpr] == 1 and roc.tpr[#roc.tpr] == 1, "the curve ends at (1, 1)")
local _, tie = faults.roc({0.5, 0.5}, {true, false})
check(tie == 0.5, "a tie counts half: %.3f", tie)
raises(function() faults.roc({1, 2}, {true, true}) end, "needs windows of both kinds")
print("ok   roc")

---------------------------------------------------------------------------- PID
-- Bounds: overshoot at most 10%, final error under 1% of the set point, settling
-- (5% band) within the time stated per plant; all on the TRUE plant, with gains found
-- only on the learned model.
local settle_bound = {lag = 4, msd = 3, motor = 2}
for _, kind in ipairs(control.plant_kinds) do
  local p = control.plant(kind)
  local us = control.random_levels{n = 2000, hold = 20, low = p.umin, high = p.umax, seed = 1}
  local model = control.identify(p, us)
  local g = control.tune(model, {candidates = 100, rounds = 3})
  local mt = control.metrics(control.closed_loop(p, g))
  check(mt.overshoot <= 0.10 and mt.error < 0.01 and mt.settling <= settle_bound[kind],
    "%s: PID tuned on the learned model on the true plant: overshoot %.3f, settling %.2f s, error %.4f",
    kind, mt.overshoot, mt.settling, mt.error)
  print(("ok   pid %-5s overshoot %.3f settling %.2f s"):format(kind, mt.overshoot, mt.settling))
end
-- an untuned PID (too much gain) on the lag does not meet them: the bounds can fail
local bad = control.metrics(control.closed_loop(control.plant("lag"), {kp = 3, ki = 3, kd = 0}))
check(bad.overshoot > 0.10, "a hot PID overshoots (%.3f)", bad.overshoot)

---------------------------------------------------------------------------- faults
local L = require "lessonlib_24_25"
local st = L.fault_study()
check(st.auc_ae >= 0.85, "autoencoder AUC %.3f, bound 0.85", st.auc_ae)
check(st.auc_dbn >= 0.85, "DBN AUC %.3f, bound 0.85", st.auc_dbn)
local shuffled = {}
for i = 1, #st.fault do shuffled[i] = st.fault[(i * 37) % #st.fault + 1] end
local _, chance = faults.roc(st.ae_scores, shuffled)
check(math.abs(chance - 0.5) < 0.15, "against shuffled labels the score is near chance (%.3f)", chance)
print(("ok   faults AUC autoencoder %.3f, DBN %.3f"):format(st.auc_ae, st.auc_dbn))
