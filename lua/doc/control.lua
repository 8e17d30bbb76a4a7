-- doc/control.lua: help entries of the control and fault-detection applications
-- (lesson 25): lua/control.lua (plants, excitation signals, identification, PID,
-- tuning, step-response view) and lua/faults.lua (sensor series, DBN and autoencoder
-- detectors, ROC, alarms). Students load them as control = require "control" and
-- faults = require "faults".
local lag = [[
control = require "control"
plant = control.plant("lag")]]

local learned = lag .. [[

us = control.random_levels{n = 150, hold = 10, seed = 1}
model = control.identify(plant, us, {hidden = 8, epochs = 3})]]

local series = [[
faults = require "faults"
s = faults.series{windows = 30, window = 8, seed = 1}
d = faults.windows(s)]]

local scored = [[
faults = require "faults"
scores = {0.9, 0.8, 0.3, 0.6, 0.2, 0.1}
fault = {true, true, false, true, false, false}]]

return {
  ------------------------------------------------------------------ control
  ["control"] = {
    sig = "control = require \"control\"",
    summary = "system identification and PID control of simulated plants (lesson 25)",
    text = [[
A plant (control.plant: a lag, a mass-spring-damper, a DC motor) is excited by
inputs (control.prbs, control.steps, control.random_levels) and a network learns it
from the outputs (control.identify). A PID controller (control.pid, control.pid_step)
then closes the loop on the plant or on the learned model (control.closed_loop),
scored by its step response (control.metrics, control.cost), tuned by a search
(control.tune) and drawn by control.view. help(control.pid) or ?control.pid shows one.]],
    example = lag .. [[

r = control.closed_loop(plant, {kp = 1, ki = 0.5}, {n = 50})
print(#r.y)   --> 50]],
  },
  ["control.plant"] = {
    sig = "plant = control.plant(kind [, params])",
    summary = "a simulated plant to identify and control: \"lag\", \"msd\" or \"motor\"",
    text = [[
"lag": a first-order lag with dead time, tau y' = K u(t − delay) − y, sampled exactly
(defaults K = 2, tau = 2, delay = 0.5, dt = 0.1, umin = −1, umax = 1). "msd": a
mass-spring-damper m x'' = u − c x' − k x, output the position (m = 1, c = 0.6,
k = 2, dt = 0.05, sub = 10 semi-implicit Euler sub-steps a dt, u in [−4, 4]).
"motor": a DC motor's speed, J w' = Kt i − b w, L i' = V − R i − Kt w (J = 0.01,
b = 0.1, Kt = 0.01, R = 1, L = 0.5, dt = 0.05, sub = 20, u in [−12, 12]). params
overrides any of these; an unknown name is an error. plant:step(u) advances one dt
and returns the output; plant:simulate(us) resets it and returns the outputs of the
list of inputs us; plant:reset() returns it to rest. plant.dt, plant.umin,
plant.umax, plant.horizon (the steps of a step response) and plant.gains (the PID
search ranges) are read by control.identify, control.closed_loop and control.tune.]],
    example = lag .. [[

print(plant)   --> plant lag (dt 0.1 s)
ys = plant:simulate(control.steps{levels = {1}, n = 30})
print(ys[5] == 0, ys[30] > 0.5)   --> true true (0.5 s dead time, then the lag)]],
  },
  ["control.plant_kinds"] = {
    sig = "control.plant_kinds",
    summary = "the kinds control.plant knows: {\"lag\", \"msd\", \"motor\"}",
    text = "A list of names, in the order the lesson meets them; each is a valid first argument of control.plant.",
    example = [[
control = require "control"
for _, k in ipairs(control.plant_kinds) do print(control.plant(k)) end]],
  },
  ["control.prbs"] = {
    sig = "us = control.prbs{n = 1000, hold = 5, low = -1, high = 1, seed =}",
    summary = "a pseudo-random binary sequence: n inputs, each level (low or high) held hold steps",
    text = [[
An excitation signal for identification: every hold steps a fair coin picks low or
high. seed reseeds nn's generator first (without it the sequence continues nn's
current one). Returns a plain Lua list of n numbers.]],
    example = [[
control = require "control"
us = control.prbs{n = 20, hold = 4, seed = 1}
print(#us, us[1] == us[4])   --> 20 true]],
  },
  ["control.steps"] = {
    sig = "us = control.steps{levels = {0, 1}, hold = 50, n = #levels * hold}",
    summary = "a list of inputs stepping through levels, each held hold steps, cycling until n",
    text = [[
us[t] = levels[((t − 1) // hold) % #levels + 1]: a test input for a model's free run
or a plant's step response. n defaults to one pass through the levels.]],
    example = [[
control = require "control"
print(table.concat(control.steps{levels = {0, 1, 2}, hold = 2}, " "))   --> 0 0 1 1 2 2]],
  },
  ["control.random_levels"] = {
    sig = "us = control.random_levels{n = 1000, hold = 20, low = -1, high = 1, seed =}",
    summary = "random input levels, uniform in [low, high], each held hold steps",
    text = [[
Richer than a PRBS for a nonlinear model: the plant is seen at many amplitudes, not
only two. low must be below high; seed reseeds nn's generator first. Returns a plain
Lua list of n numbers.]],
    example = [[
control = require "control"
us = control.random_levels{n = 40, hold = 10, low = 0, high = 2, seed = 1}
print(#us, us[1] == us[10], us[1] >= 0 and us[1] <= 2)   --> 40 true true]],
  },
  ["control.identify"] = {
    sig = "model = control.identify(plant, us [, {na =, nb =, hidden = 32, epochs =, lr =, seed = 1, validation =}])",
    summary = "system identification: an MLP learns the plant's next output from past outputs and inputs",
    text = [[
Simulates plant on the inputs us (at least 20), then trains linear(na + nb, hidden),
tanh, linear(hidden, 1) by Adam (mse, batch 32) to predict the change y[t] − y[t−1]
from y[t−1] .. y[t−na] and u[t] .. u[t−nb+1], all scaled by the largest |y|, |u|
and |Δy| seen. na, nb, epochs and lr default to the plant kind's (lag and motor:
na 2, nb 8, 40 epochs, lr 0.01; msd: na 3, nb 3, 150 epochs, lr 0.003). The model
keeps the plant's dt, umin, umax, horizon and gains, so control.closed_loop and
control.tune take it in place of the plant. model.run is the training run;
model:simulate(us) runs it free (its own outputs fed back); with validation = us2,
model.val_rmse is the RMS error of that free run against the plant on us2.]],
    example = learned .. [[

print(#model.run.history.loss, #model:simulate({1, 1, 1}))   --> 3 3]],
  },
  ["control.pid"] = {
    sig = "c = control.pid{kp = 0, ki = 0, kd = 0, dt =, umin = -inf, umax = inf}",
    summary = "a PID controller u = kp e + ki ∫e dt + kd de/dt, with output clamp and anti-windup",
    text = [[
dt (the sample time, > 0) is required. The derivative is taken of the measurement,
−dy/dt, so a jump of the set point gives no kick (and is 0 on the first step). u is
clamped to [umin, umax]; while it is, the integral is frozen (anti-windup). The
controller holds its state (c.i, the integral; c.last, the last measurement): step
it with control.pid_step.]],
    example = [[
control = require "control"
c = control.pid{kp = 2, ki = 1, dt = 0.1, umax = 1.5}
print(control.pid_step(c, 1, 0))   --> 1.5 (2.1 clamped)]],
  },
  ["control.pid_step"] = {
    sig = "u = control.pid_step(c, setpoint, y)",
    summary = "one step of a controller from control.pid: the input u for the error setpoint − y",
    text = [[
e = setpoint − y; u = kp e + ki (i + e dt) − kd (y − last) / dt, clamped to
[umin, umax]; the integral i grows by e dt only when u is not clamped. Updates the
controller's state.]],
    example = [[
control = require "control"
c = control.pid{kp = 1, ki = 1, dt = 0.5}
print(control.pid_step(c, 1, 0), control.pid_step(c, 1, 0))   --> 1.5 2]],
  },
  ["control.closed_loop"] = {
    sig = "resp = control.closed_loop(system, {kp =, ki =, kd =} [, {setpoint = 1, n =}])",
    summary = "the step response of a plant or a learned model under a PID: {t =, r =, y =, u =}",
    text = [[
system is a plant (control.plant, reset first) or a learned model (control.identify).
The PID uses the system's dt, umin and umax; from y = 0 it runs n steps (default
the system's horizon: lag 200, msd 400, motor 100): u = pid(setpoint, y), then y =
the system's next output. resp.t (time t·dt), resp.r (the set point), resp.y and
resp.u are lists of n numbers; control.metrics and control.view read them.]],
    example = lag .. [[

resp = control.closed_loop(plant, {kp = 1, ki = 0.5}, {n = 50})
print(#resp.y, resp.t[50])   --> 50 5]],
  },
  ["control.metrics"] = {
    sig = "m = control.metrics(resp)",
    summary = "a step response's figures: {overshoot =, settling =, rise =, error =, iae =}",
    text = [[
resp as control.closed_loop returns it (t, r, y; the set point is r[1]).
overshoot: (peak − r) / r, 0 if never above; settling: the last time y is outside
the ±5% band around r (0 if never); rise: the time from 10% to 90% of r (math.huge
if not reached); error: |r − y| at the end; iae: Σ |r − y| dt.]],
    example = [[
control = require "control"
m = control.metrics{t = {1, 2, 3, 4}, r = {1, 1, 1, 1}, y = {0.5, 1.2, 1, 1}}
print(m.overshoot, m.settling, m.rise, m.error, m.iae)   --> ~0.2 2 1 0 0.7]],
  },
  ["control.cost"] = {
    sig = "j = control.cost(metrics)",
    summary = "the cost control.tune minimises: iae + 20·max(0, overshoot − 0.05) + 10·error",
    text = "metrics as control.metrics returns them (iae, overshoot and error are read). Lower is better.",
    example = [[
control = require "control"
print(control.cost{iae = 1, overshoot = 0.15, error = 0.01})   --> ~3.1]],
  },
  ["control.tune"] = {
    sig = "gains, cost, tried = control.tune(system [, {kp =, ki =, kd =, candidates = 200, rounds = 3, n =, setpoint = 1, seed = 1}])",
    summary = "PID gains by a seeded random search on the learned model (or a plant)",
    text = [[
Each round draws candidates gain sets log-uniformly in the ranges ({lo, hi} each,
lo raised to hi/1000 if below; defaults: the plant kind's, e.g. lag kp {0.05, 10},
ki {0.01, 5}, kd {0.001, 2}; hi = 0 keeps that gain 0), simulates every
step response of n steps (default the horizon) and scores it with control.cost; the
next round searches a factor 2 around the best, which stays a candidate. On a
learned model all candidates run at once as one batch through the network; on a
plant one by one. Returns the best gains {kp =, ki =, kd =}, its cost and the number
of candidates tried (candidates × rounds).]],
    example = lag .. [[

g, j, tried = control.tune(plant, {candidates = 10, rounds = 2, n = 60})
print(tried, g.kp > 0, j == control.cost(control.metrics(control.closed_loop(plant, g, {n = 60}))))   --> 20 true true]],
  },
  ["control.view"] = {
    sig = "w, out, effort = control.view({plant = resp, model = resp} [, {title =, live = true, show =}])",
    summary = "a window of step responses (set point, true plant, learned model) and the control effort u",
    text = [[
responses holds a plant response, a model response or both (from
control.closed_loop, of the same length). The top plot draws the set point and the
outputs, the bottom one the inputs u. live (the default) draws them in twenty
chunks, as if in time; live = false at once. Returns the window and its two plots.]],
    example = lag .. [[

resp = control.closed_loop(plant, {kp = 1, ki = 0.5}, {n = 40})
w = control.view({plant = resp}, {live = false, show = false})]],
  },
  ["plant:simulate"] = {
    sig = "ys = plant:simulate(us)",
    summary = "reset the plant, then its outputs for the list of inputs us (plant:step(u) is one of them)",
    text = [[
ys[t] is the output after input us[t] has acted for one dt. plant:step(u) advances
the plant's state one dt and returns that output; plant:reset() returns it to rest.]],
    example = lag .. [[

ys = plant:simulate{0, 1, 1}
print(#ys, ys[1])   --> 3 0]],
  },
  ["learned:simulate"] = {
    sig = "ys = model:simulate(us)",
    summary = "a learned model (control.identify) run free from rest on the inputs us, its own outputs fed back",
    text = [[
The honest test of an identified model: errors pile up, as they would in a
simulation of the plant. Compare with plant:simulate(us).]],
    example = learned .. [[

print(#model:simulate(control.steps{levels = {1}, n = 20}))   --> 20]],
  },
  ------------------------------------------------------------------ faults
  ["faults"] = {
    sig = "faults = require \"faults\"",
    summary = "sensor fault detection (lesson 25): simulated series, DBN and autoencoder detectors, ROC, alarms",
    text = [[
faults.series simulates a sensor whose windows are normal or carry a fault (of the
kinds faults.kinds); faults.windows makes them a data set. A classifier pre-trained
as a deep belief net (faults.dbn) or an autoencoder trained on normal windows only
(faults.autoencoder) scores each window (faults.fault_scores, faults.recon_scores);
faults.roc, faults.threshold and faults.alarm_confusion turn scores into alarms, and
faults.roc_view and faults.alarm_view draw them. help(faults.roc) or ?faults.roc
shows one.]],
    example = series .. [[

print(d:info().n)   --> 30]],
  },
  ["faults.kinds"] = {
    sig = "faults.kinds",
    summary = "the window kinds: {\"normal\", \"imbalance\", \"bearing\", \"overheat\", \"stuck sensor\"}",
    text = "A series' labels and a window set's y are 0 .. 4: the name of kind k is faults.kinds[k + 1].",
    example = [[
faults = require "faults"
print(#faults.kinds, faults.kinds[1])   --> 5 normal]],
  },
  ["faults.series"] = {
    sig = "s = faults.series{windows = 400, window = 32, fault_share = 0.4, seed = 1}",
    summary = "simulated machine sensors (vibration, temperature) with faults injected",
    text = [[
windows × window samples. Vibration: a shaft turn every 8 samples, amplitude growing
with the machine's load, noise 0.25; temperature: 60 °C + 8·load + noise 0.3. The
load wanders. The windows come in segments: with probability fault_share one of
1-3 windows of a fault (the four kinds equally likely), else 2-5 normal windows.
Imbalance adds a second sine; bearing, ±3 spikes every fifth sample; overheat, a
temperature climbing 0.4 °C a sample (cooling as fast after); stuck sensor, a
vibration frozen at its last value. Returns {vib =, temp =, label = (per sample, 0 normal), kinds =
(per window), window =, windows =, n =}. Seeds nn's generator with seed.]],
    example = [[
faults = require "faults"
s = faults.series{windows = 10, window = 8}
print(s.n, #s.vib, #s.kinds)   --> 80 80 10]],
  },
  ["faults.windows"] = {
    sig = "d, scale = faults.windows(series [, scale])",
    summary = "a data set of a series' windows: x the window's scaled samples, y its kind",
    text = [[
x [windows, 2·window]: the vibration's samples then the temperature's, each scaled
to [0, 1] by scale = {vmin, vmax, tmin, tmax} and clipped; y the window's kind
(0 .. 4, five classes). Without scale it is the series' own range; pass the training
series' scale for a test series. Returns the set and the scale used.]],
    example = series .. [[

d, scale = faults.windows(s)
print(#d, d:x().shape[2], #scale)   --> 30 16 4
test = faults.windows(faults.series{windows = 5, window = 8, seed = 2}, scale)]],
  },
  ["faults.autoencoder"] = {
    sig = "ae = faults.autoencoder(train [, {hidden = 8, epochs = 60, lr = 0.003, seed = 1}])",
    summary = "an MLP autoencoder trained on the normal windows only: its error flags faults",
    text = [[
linear(nx, hidden), tanh, linear(hidden, nx), sigmoid, trained by Adam (mse, batch
32) to reproduce the windows of kind 0 of train (a set from faults.windows); the
faults are never seen, so they reconstruct worse. Score windows with
faults.recon_scores.]],
    example = series .. [[

ae = faults.autoencoder(d, {epochs = 2})
print(ae:predict(d:x()).shape[2])   --> 16: a window in, a window out]],
  },
  ["faults.recon_scores"] = {
    sig = "scores = faults.recon_scores(ae, d)",
    summary = "each window's mean squared reconstruction error: an anomaly score",
    text = "A list of #windows numbers, mean over the window's values of (ae(x) − x)²; higher = more likely a fault.",
    example = series .. [[

scores = faults.recon_scores(faults.autoencoder(d, {epochs = 2}), d)
print(#scores == #d, scores[1] > 0)   --> true true]],
  },
  ["faults.dbn"] = {
    sig = "m = faults.dbn(train [, {hidden = {64, 32}, rbm_epochs = 20, rbm_lr = 0.05, epochs = 60, lr = 0.01, activation = \"sigmoid\", seed = 1}])",
    summary = "a deep belief net classifier of the windows: RBMs pre-trained greedily, then fine-tuned",
    text = [[
One RBM per hidden layer is trained greedily on train's x (CD, rbm_epochs,
rbm_lr, batch 32); their weights start an MLP of those widths and activation, with
5 outputs (the kinds), fine-tuned on the labels by Adam (batch 32). m:predict gives
the logits; faults.fault_scores turns them into fault probabilities.]],
    example = series .. [[

m = faults.dbn(d, {hidden = {8}, rbm_epochs = 2, epochs = 2})
print(m:predict(d:x()).shape[2])   --> 5: a logit per kind]],
  },
  ["faults.fault_scores"] = {
    sig = "scores = faults.fault_scores(m, d)",
    summary = "each window's probability of a fault, 1 − p(normal), from a classifier's softmax",
    text = "m is a classifier of the five kinds (faults.dbn); d a set from faults.windows. Returns a list of numbers in [0, 1].",
    example = series .. [[

m = faults.dbn(d, {hidden = {8}, rbm_epochs = 1, epochs = 1})
scores = faults.fault_scores(m, d)
print(#scores == #d, scores[1] >= 0 and scores[1] <= 1)   --> true true]],
  },
  ["faults.is_fault"] = {
    sig = "flags = faults.is_fault(d)",
    summary = "the truth: a list of booleans, true where the window's kind is not normal",
    text = "d is a data set from faults.windows. The positive list faults.roc and faults.alarm_confusion take.",
    example = series .. [[

flags = faults.is_fault(d)
print(#flags, flags[1] == (s.kinds[1] ~= 0))   --> 30 true]],
  },
  ["faults.roc"] = {
    sig = "curve, auc = faults.roc(scores, positive)",
    summary = "the ROC curve of a score against the truth, and the area under it",
    text = [[
scores: numbers, higher = more likely a fault; positive: as many booleans (both
kinds needed). Sweeping the threshold from the highest score down gives curve =
{fpr =, tpr =, thresholds =} (starting at 0, 0, math.huge; a run of tied scores is
one diagonal step). auc counts ties half, as the Mann-Whitney statistic does: the
chance that a random fault scores above a random normal window.]],
    example = scored .. [[

curve, auc = faults.roc(scores, fault)
print(auc, #curve.fpr)   --> 1 7]],
  },
  ["faults.threshold"] = {
    sig = "thr = faults.threshold(scores, normal [, q = 0.95])",
    summary = "an alarm threshold: the q quantile of the normal windows' scores",
    text = [[
normal: a list of booleans, true for the windows known normal. Returns the
⌈q·n⌉-th smallest of their n scores, so that about 1 − q of normal windows score
above it (an alarm is a score > thr).]],
    example = scored .. [[

normal = {}
for i, f in ipairs(fault) do normal[i] = not f end
print(faults.threshold(scores, normal, 0.5))   --> 0.2]],
  },
  ["faults.alarm_confusion"] = {
    sig = "cm = faults.alarm_confusion(scores, positive, thr)",
    summary = "the alarm's confusion matrix {{tn, fp}, {fn, tp}}: rows the truth, columns the alarm",
    text = "A window raises the alarm when its score is > thr; positive is the truth (faults.is_fault).",
    example = scored .. [[

cm = faults.alarm_confusion(scores, fault, 0.5)
print(cm[1][1], cm[1][2], cm[2][1], cm[2][2])   --> 3 0 0 3]],
  },
  ["faults.roc_view"] = {
    sig = "p = faults.roc_view({name = curve, ...} [, {title = \"ROC\", show =}])",
    summary = "a plot of ROC curves (from faults.roc) by name, with the chance line",
    text = "x the false alarm rate (fpr), y the detection rate (tpr); the curves drawn in the order of their names.",
    example = scored .. [[

p = faults.roc_view({score = faults.roc(scores, fault)}, {show = false})]],
  },
  ["faults.alarm_view"] = {
    sig = "w = faults.alarm_view(series, scores, thr [, {from = 1, windows = 40, title =, show =}])",
    summary = "a window of the sensor series with the true faults and the alarm, window by window",
    text = [[
Three plots over windows from .. from + windows − 1 of the series: the vibration,
the temperature, and two flags per sample, the truth (1 in a fault) and the alarm
(0.9 where the window's score is > thr). scores has one number a window.]],
    example = series .. [[

scores = {}
for i = 1, s.windows do scores[i] = s.kinds[i] ~= 0 and 1 or 0 end
w = faults.alarm_view(s, scores, 0.5, {windows = 10, show = false})]],
  },
}
