-- test_lessons_24_25.lua: the claims that the text of lessons 24 and 25 makes from
-- numbers hold for the runs the lessons make (the same helpers of
-- lua/lessonlib_24_25.lua with the same settings and seeds). A change that moves a
-- figure past what the text says fails here; then fix the text or the lesson.
local L = require "lessonlib_24_25"
local control = require "control"

local function check(cond, fmt, ...)
  if not cond then error(("lesson claim does not hold: " .. fmt):format(...), 2) end
end

---------------------------------------------------------------------------- lesson 24
local tr, te = data.digits{seed = 1}
local r = L.digit_rbm(tr, te)
local h = r.history
local e = #h.recon
check(h.recon[e] < h.recon[1] / 2, "24: the reconstruction error falls (%.4f -> %.4f)", h.recon[1], h.recon[e])
check(h.pl[e] > h.pl[1], "24: the pseudo-likelihood rises")
check(h.fe_train[e] < h.fe_train[1], "24: the free energy falls as the RBM learns")
check(math.abs(h.fe_train[e] - h.fe_val[e]) < 1, "24: training and validation free energy within a unit (%.3f, %.3f)",
  h.fe_train[e], h.fe_val[e])
local fe = L.free_energy_of(r, tr:x(), 1)
check(math.abs(fe - r:free_energy(tr:x():rows(1)):item()) < 1e-3, "24: the formula in Lua matches the engine")
local cmp = L.dbn_against_scratch(tr, te)
check(cmp.acc_dbn > 0.933 and cmp.acc_scratch > 0.933, "24: both nets pass 93.3%% (%.3f, %.3f)", cmp.acc_dbn, cmp.acc_scratch)
check(cmp.acc_dbn <= cmp.acc_scratch + 0.005, "24: pre-training does not beat scratch (%.3f, %.3f)", cmp.acc_dbn, cmp.acc_scratch)
check(cmp.first_dbn < cmp.first_scratch, "24: the pre-trained net starts lower (%.3f, %.3f)", cmp.first_dbn, cmp.first_scratch)
check(cmp.dbn:nparams() == 85002, "24: the classifier has 85 002 parameters")
print("ok   24")

---------------------------------------------------------------------------- lesson 25
local plant, model = L.identify("lag")
check(model.val_rmse < 0.05, "25: the learned model follows the plant on validation (RMS %.4f)", model.val_rmse)
local g = control.tune(model, {candidates = 100, rounds = 3})
local on_model, on_plant = control.closed_loop(model, g), control.closed_loop(plant, g)
local gap = 0
for i = 1, #on_model.y do gap = math.max(gap, math.abs(on_model.y[i] - on_plant.y[i])) end
check(gap < 0.05, "25: the model's and the plant's responses lie almost on each other (%.4f apart)", gap)
local st = L.fault_study()
local cm = st.dbn_confusion
check(cm[4][5] == 0 and cm[5][4] == 0 and cm[4][4] > 0 and cm[5][5] > 0,
  "25: the DBN tells an overheat from a stuck sensor")
check(st.auc_ae > 0.9, "25: the autoencoder ranks most faulty windows above normal ones (AUC %.3f)", st.auc_ae)
local normal, flagged = 0, 0
for i, s in ipairs(st.ae_scores) do
  if not st.fault[i] then
    normal = normal + 1
    if s > st.threshold then flagged = flagged + 1 end
  end
end
check(flagged / normal < 0.12, "25: about one normal window in twenty raises a false alarm (%.3f)", flagged / normal)
print("ok   25")
