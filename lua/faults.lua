-- faults.lua: the course's fault-detection application (6.4): simulated machine
-- sensors (vibration and temperature) with faults of several kinds injected, cut
-- into windows; a deep belief net that classifies the windows, an autoencoder (a
-- plain MLP of nn.linear layers trained on normal windows only) whose reconstruction
-- error is an anomaly score; ROC curves with their AUC, confusion matrices, and the
-- alarm drawn on the time series.
local rbm = require "rbm"
local check = require "argcheck"

local M = {}

M.kinds = {"normal", "imbalance", "bearing", "overheat", "stuck sensor"}
local NORMAL, IMBALANCE, BEARING, OVERHEAT, STUCK = 0, 1, 2, 3, 4

local BASE_TEMP = 60    -- degrees C of a healthy machine
local SHAFT_PERIOD = 8  -- samples per shaft turn
local VIB_NOISE = 0.25  -- vibration noise, in units of the healthy amplitude
local TEMP_NOISE = 0.3  -- degrees C

--- faults.series{windows=400, window=32, fault_share=0.4, seed=1} -> series:
--- {vib=, temp=, label= (per sample, 0 normal), window=, n=}; faults last one to three
--- windows, kinds drawn evenly, machine load (and with it temperature) wanders
function M.series(o)
  local f = "faults.series"
  o = check.options(f, o)
  nn.seed(check.whole(f, "seed", o.seed or 1, 0, math.maxinteger))
  local nw, w = check.whole(f, "windows", o.windows or 400, 1, 100000), check.whole(f, "window", o.window or 32, 1, 4096)
  if nw * w > 4000000 then error(("%s: %d windows of %d samples is more than 4 000 000 samples"):format(f, nw, w), 2) end
  if o.fault_share ~= nil then check.number(f, "fault_share", o.fault_share, 0, 1) end
  local n = nw * w
  local u = nn.rand({n * 4}, 0, 1):totable()
  local g = nn.randn({n * 2}):totable()
  local k = 0
  local function uni() k = k + 1; return u[k] end
  local s = {vib = {}, temp = {}, label = {}, window = w, n = n, windows = nw}
  -- the windows' kinds: segments of 1..3 windows
  local kinds, i = {}, 1
  while i <= nw do
    local kind = uni() < (o.fault_share or 0.4) and 1 + math.floor(uni() * 4) or NORMAL
    local len = kind == NORMAL and 2 + math.floor(uni() * 4) or 1 + math.floor(uni() * 3)
    for j = i, math.min(nw, i + len - 1) do kinds[j] = kind end
    i = i + len
  end
  local load, phase, temp_extra = 0.5, 0, 0
  for t = 1, n do
    local kind = kinds[(t - 1) // w + 1]
    load = math.min(1, math.max(0, load + 0.02 * (uni() - 0.5)))
    phase = phase + 2 * math.pi / SHAFT_PERIOD
    local amp = 1 + 0.3 * load
    local v = amp * math.sin(phase) + VIB_NOISE * g[2 * t - 1]
    if kind == IMBALANCE then v = v + 1.2 * amp * math.sin(phase + 0.7) end
    if kind == BEARING and t % 5 == 0 then v = v + 3 * (uni() < 0.5 and -1 or 1) end
    if kind == STUCK then v = s.vib[t - 1] or 0 end
    temp_extra = kind == OVERHEAT and temp_extra + 0.4 or math.max(0, temp_extra - 0.4)
    s.vib[t] = v
    s.temp[t] = BASE_TEMP + 8 * load + temp_extra + TEMP_NOISE * g[2 * t]
    s.label[t] = kind
  end
  s.kinds = kinds
  return s
end

--- faults.windows(series [, scale]) -> data set x [windows, 2 window] in [0, 1] (the
--- vibration's samples then the temperature's), y the window's kind; scale: the
--- training series' {vmin, vmax, tmin, tmax} (computed when not given), returned too
-- A series from faults.series: its fields, of the sizes they claim.
local function check_series(f, s)
  check.table(f, "the series (faults.series)", s)
  local nw, w = math.tointeger(s.windows), math.tointeger(s.window)
  if not (nw and w and nw > 0 and w > 0 and type(s.vib) == "table" and type(s.temp) == "table"
      and type(s.kinds) == "table" and #s.vib == nw * w and #s.temp == nw * w and #s.kinds == nw and s.n == nw * w) then
    error(f .. ": expected a series from faults.series (windows, window, n, vib, temp and kinds that agree)", 3)
  end
  return s
end

function M.windows(s, scale)
  check_series("faults.windows", s)
  if scale ~= nil then
    check.numbers("faults.windows", "scale ({vmin, vmax, tmin, tmax})", scale, 4)
    if not (scale[1] < scale[2] and scale[3] < scale[4]) then
      error(("faults.windows: scale must be {vmin, vmax, tmin, tmax} with min < max, got {%g, %g, %g, %g}")
        :format(scale[1], scale[2], scale[3], scale[4]), 2)
    end
  end
  if not scale then
    local vmin, vmax, tmin, tmax = math.huge, -math.huge, math.huge, -math.huge
    for t = 1, s.n do
      vmin, vmax = math.min(vmin, s.vib[t]), math.max(vmax, s.vib[t])
      tmin, tmax = math.min(tmin, s.temp[t]), math.max(tmax, s.temp[t])
    end
    scale = {vmin, vmax, tmin, tmax}
  end
  local w, rows, ys = s.window, {}, {}
  local function clip(x) return math.min(1, math.max(0, x)) end
  for i = 1, s.windows do
    local row = {}
    for j = 1, w do
      local t = (i - 1) * w + j
      row[j] = clip((s.vib[t] - scale[1]) / (scale[2] - scale[1]))
      row[w + j] = clip((s.temp[t] - scale[3]) / (scale[4] - scale[3]))
    end
    rows[i], ys[i] = row, {s.kinds[i]}
  end
  return data.from(nn.tensor(rows), nn.tensor(ys), {classes = #M.kinds}), scale
end

--- faults.autoencoder(train, {hidden=8, epochs=60, lr=0.003, seed=1}) -> model: an
--- MLP autoencoder (linear, tanh, linear, sigmoid) trained on the NORMAL windows only
-- Options of a training: counts, a rate, a seed.
local function check_training(f, o)
  o = check.options(f, o)
  if o.hidden ~= nil and type(o.hidden) ~= "table" then check.whole(f, "hidden", o.hidden, 1, 4096) end
  for _, k in ipairs{"epochs", "rbm_epochs"} do if o[k] ~= nil then check.whole(f, k, o[k], 1, 100000) end end
  for _, k in ipairs{"lr", "rbm_lr"} do if o[k] ~= nil then check.positive(f, k, o[k]) end end
  if o.seed ~= nil then check.whole(f, "seed", o.seed, 0, math.maxinteger) end
  return o
end

function M.autoencoder(train, o)
  check.dataset("faults.autoencoder", "train", train)
  o = check_training("faults.autoencoder", o)
  if type(o.hidden) == "table" then error("faults.autoencoder: hidden must be one width (8), got a table", 2) end
  local x, y = train:x(), train:y():totable()
  local keep = {}
  for i, row in ipairs(y) do if row[1] == NORMAL then keep[#keep + 1] = i end end
  if #keep == 0 then error("faults.autoencoder: train has no normal windows (kind 0) to learn from", 2) end
  local xn = x:gather(keep)
  local nx = x.shape[2]
  nn.seed(o.seed or 1)
  local m = nn.sequential{nn.linear(nx, o.hidden or 8), nn.tanh(), nn.linear(o.hidden or 8, nx), nn.sigmoid()}
  local d = data.from(xn, xn)
  m:fit{d, epochs = o.epochs or 60, batch = 32, loss = "mse", optimizer = optim.adam(m, {lr = o.lr or 0.003}),
    wait = true, verbose = false}
  d:free()
  return m
end

--- faults.recon_scores(ae, d) -> list: each window's mean squared reconstruction error
function M.recon_scores(ae, d)
  check.model("faults.recon_scores", "the autoencoder", ae, "predict")
  local x = check.dataset("faults.recon_scores", "d", d):x()
  local e = (ae:predict(x) - x):pow(2):mean(2):totable()
  local s = {}
  for i, r in ipairs(e) do s[i] = type(r) == "table" and r[1] or r end
  return s
end

--- faults.dbn(train, {hidden={64, 32}, rbm_epochs=20, rbm_lr=0.05, epochs=60, lr=0.01,
---   activation="sigmoid", seed=1}) -> classifier: RBMs pre-trained greedily, copied
--- into an MLP, fine-tuned by Adam
function M.dbn(train, o)
  check.dataset("faults.dbn", "train", train)
  o = check_training("faults.dbn", o)
  if o.activation ~= nil and type(o.activation) ~= "string" then
    error("faults.dbn: activation must be a name (\"sigmoid\"), got " .. check.describe(o.activation), 2)
  end
  nn.seed(o.seed or 1)
  local hidden = o.hidden or {64, 32}
  local rbms = rbm.pretrain(train, {hidden = hidden, rbm_lr = o.rbm_lr or 0.05, rbm_epochs = o.rbm_epochs or 20,
    batch = 32})
  local m = rbm.classifier(train:info().nx, #M.kinds, {hidden = hidden, activation = o.activation or "sigmoid",
    dropout = 0, rbms = rbms})
  m:fit{train, epochs = o.epochs or 60, batch = 32, optimizer = optim.adam(m, {lr = o.lr or 0.01}),
    wait = true, verbose = false}
  return m
end

--- faults.fault_scores(model, d) -> list: each window's probability of a fault,
--- 1 - p(normal), from the classifier's softmax
function M.fault_scores(m, d)
  check.model("faults.fault_scores", "the classifier", m, "predict")
  local p = m:predict(check.dataset("faults.fault_scores", "d", d):x()):softmax(2):totable()
  local s = {}
  for i, row in ipairs(p) do s[i] = 1 - row[NORMAL + 1] end
  return s
end

--- faults.is_fault(d) -> list of booleans: the windows whose kind is not normal
function M.is_fault(d)
  check.dataset("faults.is_fault", "d", d)
  local f = {}
  for i, row in ipairs(d:y():totable()) do f[i] = row[1] ~= NORMAL end
  return f
end

--- faults.roc(scores, positive) -> {fpr=, tpr=, thresholds=}, auc: the ROC curve of a
--- score (higher = more likely a fault) against the truth, and the area under it
--- (ties counted half, as the Mann-Whitney statistic does)
-- scores: a list of numbers (NaN refused: it sorts nowhere); flags: a list of as many
-- booleans.
local function check_scores(f, scores, flags, flags_name)
  check.numbers(f, "scores", scores, 1)
  if type(flags) ~= "table" or #flags ~= #scores then
    error(("%s: %s must be a list of %d booleans, one a score, got %s"):format(f, flags_name, #scores,
      type(flags) == "table" and ("a list of %d"):format(#flags) or check.describe(flags)), 3)
  end
  for i = 1, #flags do
    if type(flags[i]) ~= "boolean" then
      error(("%s: %s[%d] must be true or false, got %s"):format(f, flags_name, i, check.describe(flags[i])), 3)
    end
  end
end

function M.roc(scores, positive)
  check_scores("faults.roc", scores, positive, "positive")
  local idx = {}
  for i = 1, #scores do idx[i] = i end
  table.sort(idx, function(a, b) return scores[a] > scores[b] end)
  local P, N = 0, 0
  for _, p in ipairs(positive) do if p then P = P + 1 else N = N + 1 end end
  if P == 0 or N == 0 then error("faults.roc: needs windows of both kinds (faults and normal)", 2) end
  local fpr, tpr, th = {0}, {0}, {math.huge}
  local tp, fp, auc, i = 0, 0, 0, 1
  while i <= #idx do
    local j, s = i, scores[idx[i]]
    local dtp, dfp = 0, 0
    while j <= #idx and scores[idx[j]] == s do -- a run of tied scores moves diagonally
      if positive[idx[j]] then dtp = dtp + 1 else dfp = dfp + 1 end
      j = j + 1
    end
    auc = auc + dfp * (tp + dtp / 2)
    tp, fp = tp + dtp, fp + dfp
    fpr[#fpr + 1], tpr[#tpr + 1], th[#th + 1] = fp / N, tp / P, s
    i = j
  end
  return {fpr = fpr, tpr = tpr, thresholds = th}, auc / (P * N)
end

--- faults.threshold(scores, normal, q=0.95) -> the q quantile of the normal windows'
--- scores: an alarm threshold that raises about 1 - q false alarms
function M.threshold(scores, normal_mask, q)
  check_scores("faults.threshold", scores, normal_mask, "normal")
  if q ~= nil then check.number("faults.threshold", "q", q, 0, 1) end
  local v = {}
  for i, s in ipairs(scores) do if normal_mask[i] then v[#v + 1] = s end end
  if #v == 0 then error("faults.threshold: no window is marked normal", 2) end
  table.sort(v)
  return v[math.max(1, math.min(#v, math.ceil((q or 0.95) * #v)))]
end

--- faults.alarm_confusion(scores, positive, threshold) -> {{tn, fp}, {fn, tp}}
function M.alarm_confusion(scores, positive, thr)
  check_scores("faults.alarm_confusion", scores, positive, "positive")
  check.number("faults.alarm_confusion", "the threshold", thr)
  local cm = {{0, 0}, {0, 0}}
  for i, s in ipairs(scores) do
    local r, c = positive[i] and 2 or 1, s > thr and 2 or 1
    cm[r][c] = cm[r][c] + 1
  end
  return cm
end

--- faults.roc_view(curves, {title=, show=}) -> plot: ROC curves {name = roc}, chance line
function M.roc_view(curves, o)
  check.table("faults.roc_view", "curves ({name = roc})", curves)
  for name, c in pairs(curves) do
    if type(name) ~= "string" then error("faults.roc_view: curves are named by strings, got " .. check.describe(name), 2) end
    check.table("faults.roc_view", "curves." .. name, c)
    check.numbers("faults.roc_view", ("curves.%s.fpr"):format(name), c.fpr, 1)
    check.numbers("faults.roc_view", ("curves.%s.tpr"):format(name), c.tpr, #c.fpr)
  end
  o = check.options("faults.roc_view", o)
  local p = plot.lines{title = o.title or "ROC", xlabel = "false alarm rate", ylabel = "detection rate",
    show = o.show}
  p:add("chance", {0, 1}, {0, 1})
  local names = {}
  for name in pairs(curves) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do p:add(name, curves[name].fpr, curves[name].tpr) end
  return p
end

--- faults.alarm_view(series, scores, threshold, {from=1, windows=40, show=}) ->
--- window: vibration and temperature over time with the true faults and the alarm
function M.alarm_view(s, scores, thr, o)
  local f = "faults.alarm_view"
  check_series(f, s)
  check.numbers(f, "scores", scores, s.windows)
  check.number(f, "the threshold", thr)
  o = check.options(f, o)
  if o.from ~= nil then check.whole(f, "from", o.from, 1, s.windows) end
  if o.windows ~= nil then check.whole(f, "windows", o.windows, 1, s.windows) end
  local first, count = o.from or 1, math.min(o.windows or 40, s.windows - (o.from or 1) + 1)
  local w = s.window
  local vib = plot.lines{title = "vibration", xlabel = "sample", show = false}
  local temp = plot.lines{title = "temperature (°C)", xlabel = "sample", show = false}
  local flags = plot.lines{title = "fault (truth) and alarm", xlabel = "sample", show = false}
  local ts, vs, tt, truth, alarm = {}, {}, {}, {}, {}
  for i = first, first + count - 1 do
    for j = 1, w do
      local t = (i - 1) * w + j
      ts[#ts + 1], vs[#vs + 1], tt[#tt + 1] = t, s.vib[t], s.temp[t]
      truth[#truth + 1] = s.kinds[i] ~= NORMAL and 1 or 0
      alarm[#alarm + 1] = scores[i] > thr and 0.9 or 0
    end
  end
  vib:add("vibration", ts, vs)
  temp:add("temperature", ts, tt)
  flags:add("fault", ts, truth)
  flags:add("alarm", ts, alarm)
  local win = plot.window{vib, temp, flags, title = o.title or "alarm on the sensor series", cols = 1, show = o.show}
  return win
end

return M
