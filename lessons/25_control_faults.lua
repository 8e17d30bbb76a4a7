-- Lesson 25: networks for control and fault detection, the textbook's applications
-- (6.3, 6.4). A network learns a simulated plant from input/output data (system
-- identification); a PID controller is tuned on the learned model and tried on the
-- true plant, step responses drawn live. Then fault detection on simulated machine
-- sensors: a DBN classifier and an autoencoder's reconstruction error flag the
-- faults; ROC curves, a confusion matrix and the alarm on the time series.
lesson{"control_faults", "Networks for control and fault detection"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Learning a plant from its data

A *plant* is whatever a controller drives: a heated tank, a motor, a valve. Here
it is a simulation, a **first-order lag with dead time**: the output follows the
input with time constant τ = 2 s, gain K = 2, after a delay of 0.5 s. (Also there:
`control.plant("msd")`, a mass-spring-damper, and `"motor"`, a DC motor's speed.)

*System identification* learns a model of the plant from a record of what went
in and what came out. We drive the plant with random input levels held for 2 s
(a step of dt = 0.1 s each) and let an MLP learn the next output from the last
two outputs and the last eight inputs (eight, so that the 0.5 s delay is inside
its view). It predicts the *change* of the output, which is easier to learn than
the level. Then the model runs free on an input it has not seen, fed its own
outputs: the honest test, since errors pile up.
]]

show[[
control = require("control")
lib25 = require("lessonlib_24_25")
plant, model, val_input = lib25.identify("lag")
print(plant, ("learned in %d epochs; free-run RMS error on validation %.4f"):format(#model.run.history.loss, model.val_rmse))
ident_view = lib25.identification_plot(plant, model, val_input)
]]

say[[
# A PID tuned on the learned model

A PID controller sets the input from the error e = r − y between the set point r
and the output:

    u = Kp·e + Ki·∫e dt + Kd·de/dt

(here the derivative is taken of the measurement, so that a jump of the set point
does not kick u, and u is clamped to the range the plant was identified in, the
integral frozen while it is). `control.tune` searches the gains on the *learned
model* only: 100 candidates at a time on a log scale, three rounds, each around the
best so far, every candidate's step response simulated on the model at once as
one batch. Its cost is the integral of |e| plus a penalty for overshoot above 5%.
Only then do the gains meet the true plant.
]]

show[[
gains, tuning_cost, tried = control.tune(model, {candidates = 100, rounds = 3})
print(("tried %d gain sets: Kp %.3f, Ki %.3f, Kd %.4f"):format(tried, gains.kp, gains.ki, gains.kd))
on_model, on_plant = control.closed_loop(model, gains), control.closed_loop(plant, gains)
step_view = control.view({model = on_model, plant = on_plant})
for _, pair in ipairs{{"model", on_model}, {"plant", on_plant}} do
  local m = control.metrics(pair[2])
  print(("%-6s overshoot %4.1f%%, settling time (5%%) %.1f s, final error %.4f"):format(pair[1], 100 * m.overshoot, m.settling, m.error))
end
]]

say[[
The model's and the plant's responses lie almost on each other: the gains tuned
on the network work on the machine. Every trial on the model was free; on a real
machine each would have cost time, wear and perhaps a spoilt batch. That is the
textbook's case for learned models in control.
]]

task{
  [[From `on_plant` (a table with lists `t`, `r`, `y`, `u`), compute the overshoot of
  the true plant's step response as a share of the set point: (peak − r) / r, or 0
  when the output never passes r. Set `overshoot`.]],
  check = function(env)
    local want = require("lessonlib_24_25").overshoot(env.on_plant)
    local o = env.overshoot
    if type(o) ~= "number" then return false, "set overshoot to a number" end
    local peak = -math.huge
    for _, y in ipairs(env.on_plant.y) do peak = math.max(peak, y) end
    if near(o, peak, 1e-9) then return false, "that is the peak itself; the overshoot is how far it passes r, as a share of r" end
    if near(o, 100 * want, 1e-9) and want > 0 then return false, "a share, not a percentage" end
    if near(o, math.max(0, (peak - env.on_plant.r[1]) / peak), 1e-9) and want > 0 then
      return false, "divide by the set point r, not by the peak"
    end
    if not near(o, want, 1e-9) then return false, ("overshoot is %.5f; it is (max y − r) / r, or 0"):format(o) end
    return true
  end,
  hint = "Find the largest y; r is on_plant.r[1]; math.max(0, (peak - r) / r).",
  solution = [[
local peak = -math.huge
for _, y in ipairs(on_plant.y) do peak = math.max(peak, y) end
overshoot = math.max(0, (peak - on_plant.r[1]) / on_plant.r[1])]],
  wrong = {
    { "the peak itself", [[
local peak = -math.huge
for _, y in ipairs(on_plant.y) do peak = math.max(peak, y) end
overshoot = peak]] },
    { "divided by the peak", [[
local peak = -math.huge
for _, y in ipairs(on_plant.y) do peak = math.max(peak, y) end
overshoot = math.max(0, (peak - on_plant.r[1]) / peak)]] },
    { "the final value instead of the peak", [[
local y = on_plant.y[#on_plant.y]
overshoot = math.max(0, (y - on_plant.r[1]) / on_plant.r[1])]] },
  },
}

pause()

say[[
# Fault detection on machine sensors

A machine carries a vibration sensor and a thermometer. We simulate them: the shaft
turns every 8 samples, load wanders and warms the machine, and now and then one of
four faults sets in for one to three windows of 32 samples: **imbalance** (a
stronger vibration at the shaft's frequency), a damaged **bearing** (sharp knocks),
**overheat** (temperature climbing) and a **stuck sensor** (the vibration signal
frozen). Each window becomes one row: its 32 vibration and 32 temperature samples,
scaled to [0, 1] with the training series' range.

Two detectors:

- a **DBN classifier** (two RBMs of 64 and 32 sigmoid units pre-trained on the
  windows, then fine-tuned with the labels): it names the fault, and 1 − p(normal)
  is its fault score;
- an **autoencoder** (64 → 8 → 64, plain linear layers) trained on *normal windows
  only*: it learns to rebuild healthy data, so its reconstruction error is an
  anomaly score that needs no labelled faults at all.

The **ROC curve** plots, for every threshold on a score, the share of faults caught
(detection rate) against the share of normal windows flagged (false alarm rate);
the area under it (AUC) is the chance that a random faulty window scores above a
random normal one: 0.5 is guessing, 1 is perfect.
]]

show[[
faults = require("faults")
study = lib25.fault_study()
print(("autoencoder AUC %.3f, DBN AUC %.3f on %d test windows"):format(study.auc_ae, study.auc_dbn, #study.fault))
roc_view = faults.roc_view({["autoencoder (reconstruction error)"] = study.roc_ae, ["DBN (1 - p(normal))"] = study.roc_dbn})
confusion_view = plot.confusion(study.dbn_confusion, {labels = faults.kinds})
alarm_view = faults.alarm_view(study.series_test, study.ae_scores, study.threshold, {windows = 30})
]]

say[[
The confusion matrix shows what the labels buy: the DBN tells an overheat from a
stuck sensor. The autoencoder never saw a fault, yet ranks most faulty windows above
the normal ones. Its alarm threshold is the 95th percentile of the normal training
windows' errors, so about one normal window in twenty raises a false alarm. In the
time series, see the alarm follow the faults, and linger where the temperature is
still cooling after an overheat.
]]

task{
  [[With the autoencoder's scores `study.ae_scores`, the truth `study.fault` (true
  for a faulty window) and the threshold `study.threshold`, compute the
  **detection rate**: the share of faulty windows whose score is above the
  threshold. Set `detection`.]],
  check = function(env)
    local s = env.study
    local want = require("lessonlib_24_25").detection_rate(s.ae_scores, s.fault, s.threshold)
    local d = env.detection
    if type(d) ~= "number" then return false, "set detection to a number" end
    local flagged, normal_flagged, normal = 0, 0, 0
    for i, x in ipairs(s.ae_scores) do
      if x > s.threshold then flagged = flagged + 1 end
      if not s.fault[i] then normal = normal + 1; if x > s.threshold then normal_flagged = normal_flagged + 1 end end
    end
    if near(d, flagged / #s.ae_scores, 1e-9) then return false, "that divides by all windows: the detection rate divides by the faulty ones only" end
    if near(d, normal_flagged / normal, 1e-9) then return false, "that is the false alarm rate (normal windows flagged); count the faulty ones" end
    if not near(d, want, 1e-9) then return false, ("detection is %.4f; count faulty windows above the threshold, over all faulty windows"):format(d) end
    return true
  end,
  hint = "Loop over i: when study.fault[i], count it, and count it as caught when study.ae_scores[i] > study.threshold.",
  solution = [[
local caught, faulty = 0, 0
for i, s in ipairs(study.ae_scores) do
  if study.fault[i] then
    faulty = faulty + 1
    if s > study.threshold then caught = caught + 1 end
  end
end
detection = caught / faulty]],
  wrong = {
    { "divided by every window", [[
local caught = 0
for i, s in ipairs(study.ae_scores) do if study.fault[i] and s > study.threshold then caught = caught + 1 end end
detection = caught / #study.ae_scores]] },
    { "the false alarm rate", [[
local flagged, normal = 0, 0
for i, s in ipairs(study.ae_scores) do
  if not study.fault[i] then normal = normal + 1; if s > study.threshold then flagged = flagged + 1 end end
end
detection = flagged / normal]] },
  },
}

say[[
# What to take away

- A network learns a plant from its inputs and outputs; test it running free, on
  inputs it has not seen.
- A controller tuned on the learned model costs nothing to try; keep it inside the
  range the model was identified in (here u is clamped to it).
- Faults are found with labels (a classifier names them) or without (a model of
  normal data flags what it cannot rebuild); the ROC curve and its AUC compare
  detectors over every threshold. Try `control.plant("motor")` or `"msd"` with
  `lib25.identify`, and other thresholds for the alarm.
]]
