-- experiment.lua: experiment{base = {...}, vary = {lr = {...}, dropout = {...}}} trains
-- every combination of the varied settings one after another (a background job at
-- the prompt, in the foreground in a script), overlays their validation curves in one
-- plot with a legend, prints a results table (best validation accuracy, its epoch,
-- time) and saves it as CSV.
local rcore = require "repl.core"
local checker = require "options"

local Experiment = {}
Experiment.__index = Experiment
Experiment.__name = "experiment"

local now = rcore.now
local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

-- The settings experiment understands in base and vary (anything else is refused,
-- so that a typo does not silently vary nothing).
local KNOWN = {model = 1, data = 1, train = 1, validation = 1, epochs = 1, batch = 1, lr = 1,
  optimizer = 1, loss = 1, hidden = 1, activation = 1, dropout = 1, batchnorm = 1, init = 1,
  bias = 1, l1 = 1, l2 = 1, patience = 1, schedule = 1, seed = 1, momentum = 1}

-- The cartesian product of vary, its keys in sorted order (the first varies slowest).
local function combinations(vary)
  local keys = {}
  for k, v in pairs(vary) do
    if not KNOWN[k] then
      error(("experiment: vary.%s is not a setting (known: lr, dropout, hidden, batch, epochs, l1, l2, "
        .. "activation, batchnorm, init, optimizer, patience, seed, ...)"):format(tostring(k)), 3)
    end
    if type(v) ~= "table" or #v == 0 then
      error(("experiment: vary.%s must be a list of values, got %s"):format(k, type(v)), 3)
    end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local out = {{}}
  for _, k in ipairs(keys) do
    local next_out = {}
    for _, partial in ipairs(out) do
      for _, v in ipairs(vary[k]) do
        local c = {}
        for kk, vv in pairs(partial) do c[kk] = vv end
        c[k] = v
        next_out[#next_out + 1] = c
      end
    end
    out = next_out
  end
  return out, keys
end

local function show_value(v)
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = tostring(x) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  if type(v) == "number" then return ("%g"):format(v) end
  return tostring(v)
end

-- The model of a configuration: base.model(cfg) when it is a function, else an MLP
-- from hidden (a width or a list), activation, dropout, batchnorm, init and bias.
local function build_model(cfg, info)
  if type(cfg.model) == "function" then return cfg.model(cfg) end
  if cfg.model ~= nil then
    error("experiment: base.model must be a function(config) returning a new model (each run needs its own)", 4)
  end
  local hidden = cfg.hidden or {64}
  if type(hidden) == "number" then hidden = {hidden} end
  local layers, inp = {}, info.nx
  local relu_like = (cfg.activation or "relu"):find("relu") ~= nil
  for _, w in ipairs(hidden) do
    layers[#layers + 1] = nn.linear(inp, w, {init = cfg.init or (relu_like and "he_normal" or "xavier_normal"),
      bias = cfg.bias})
    if cfg.batchnorm then layers[#layers + 1] = nn.batchnorm(w) end
    layers[#layers + 1] = nn.activation(cfg.activation or "relu")
    if cfg.dropout and cfg.dropout > 0 then layers[#layers + 1] = nn.dropout(cfg.dropout) end
    inp = w
  end
  layers[#layers + 1] = nn.linear(inp, info.classes > 0 and (info.classes == 2 and cfg.loss == "bce" and 1 or info.classes)
    or info.ny)
  return nn.sequential(layers)
end

-- Trains one configuration; inside a job it yields while the run trains and pushes
-- each finished epoch's validation accuracy to the plot.
local function run_one(self, i)
  local cfg = self.configs[i]
  local d = cfg.data or cfg.train
  nn.seed(cfg.seed or 1)
  local m = build_model(cfg, d:info())
  if cfg.l1 or cfg.l2 then m:regularize(cfg.l1 or 0, cfg.l2 or 0) end
  local oname = cfg.optimizer or "adam"
  local opt = optim.new(oname, m, {lr = cfg.lr, momentum = cfg.momentum})
  local t0 = now()
  local label = self.labels[i]
  local metric = self.metric
  local run = m:fit{d, validation = cfg.validation, loss = cfg.loss, epochs = cfg.epochs or 10,
    batch = cfg.batch or 32, optimizer = opt, patience = cfg.patience, schedule = cfg.schedule,
    verbose = false}
  self.current = run
  local shown = 0
  local function push_new()
    local h = run.history[metric]
    for e = shown + 1, #h do self.plot:push(label, h[e], e) end
    shown = #h
  end
  if run.job then
    while run.job.state == "running" or run.job.state == "paused" do
      push_new()
      coroutine.yield()
      if self.stopped then run:stop() end
    end
  end
  push_new()
  local h = run.history[metric]
  local best, at = -math.huge, 0
  for e, v in ipairs(h) do
    local better = self.lower and -v or v
    if v == v and better > best then best, at = better, e end
  end
  if self.lower then best = -best end
  local row = {label = label, config = cfg, best = at > 0 and best or 0 / 0, epoch = at, epochs = #h,
    seconds = now() - t0, state = run.state, run = run, model = m}
  self.results[i] = row
  self.current = nil
  return row
end

--- ex:table() -> the results as text: one row a configuration, best first
function Experiment:table()
  local rows = {}
  for _, r in pairs(self.results) do rows[#rows + 1] = r end
  local lower = self.lower
  table.sort(rows, function(a, b)
    local x, y = a.best, b.best
    if x ~= x then return false elseif y ~= y then return true end
    if lower then return x < y end
    return x > y
  end)
  local w = 13
  for _, r in ipairs(rows) do w = math.max(w, #r.label) end
  local lines = {("%-" .. w .. "s  %12s  %5s  %8s"):format("configuration", "best " .. self.metric, "epoch", "seconds")}
  for _, r in ipairs(rows) do
    lines[#lines + 1] = ("%-" .. w .. "s  %12.4f  %5d  %8.2f%s"):format(r.label, r.best, r.epoch, r.seconds,
      r.state == "failed" and "  (failed)" or "")
  end
  return table.concat(lines, "\n")
end

--- ex:save_csv(path) -> path: the results as CSV, a column per varied setting
function Experiment:save_csv(path)
  local f, err = io.open(path, "w")
  if not f then error("experiment: cannot write " .. tostring(path) .. ": " .. tostring(err), 2) end
  local head = {}
  for _, k in ipairs(self.keys) do head[#head + 1] = k end
  for _, k in ipairs{"best_" .. self.metric, "best_epoch", "epochs", "seconds", "state"} do head[#head + 1] = k end
  f:write(table.concat(head, ","), "\n")
  for i = 1, #self.configs do
    local r = self.results[i]
    if r then
      local row = {}
      for _, k in ipairs(self.keys) do row[#row + 1] = '"' .. show_value(r.config[k]):gsub('"', '""') .. '"' end
      row[#row + 1] = ("%.6g"):format(r.best)
      row[#row + 1] = tostring(r.epoch)
      row[#row + 1] = tostring(r.epochs)
      row[#row + 1] = ("%.3f"):format(r.seconds)
      row[#row + 1] = r.state
      f:write(table.concat(row, ","), "\n")
    end
  end
  f:close()
  return path
end

local function finish(self)
  self.state = self.stopped and "stopped" or "done"
  self.seconds = now() - self.t0
  if self.csv then self:save_csv(self.csv) end
  if self.verbose then
    print(self:table())
    if self.csv then print("saved " .. self.csv) end
  end
end

--- ex:wait() -> ex: runs a background experiment in the foreground until it ends
function Experiment:wait()
  if self.job then repl.wait(self.job) end
  return self
end

--- ex:stop() -> ex: stops after the configuration that is training (which stops too)
function Experiment:stop()
  self.stopped = true
  if self.current then self.current:stop() end
  if self.job then
    -- a job that has not yet run its loop again still finishes the table
    if self.job.state == "paused" then self.job:resume() end
  end
  return self
end

--- ex:best() -> the results row of the best configuration
function Experiment:best()
  local best
  for _, r in pairs(self.results) do
    if r.best == r.best and (not best or (self.lower and r.best < best.best or not self.lower and r.best > best.best)) then
      best = r
    end
  end
  return best
end

function Experiment:__tostring()
  return ("experiment: %d configurations, %d done, %s"):format(#self.configs, #self.results, self.state)
end

--- experiment{base = {...}, vary = {...}, csv = "experiment.csv", title=, show=, verbose=} -> ex
checker.declare("experiment", {"base", "vary", "metric", "verbose", "csv", "title", "show"}, 0, "experiment",
  "{base = {...}, vary = {...}}")
-- The settings only the model's shape uses: with base.model, the function must read
-- them from its config, or varying them varies nothing.
local MODEL_KEYS = {hidden = true, activation = true, dropout = true, batchnorm = true, init = true, bias = true}

-- Refuses a base.model that ignores a varied setting of the model (its runs would be
-- copies of each other under different names): it builds the first configuration's
-- model once, watching which settings the function reads.
local function check_model_reads(cfg, keys)
  if type(cfg.model) ~= "function" then return end
  local read = {}
  local seen = setmetatable({}, {__index = function(_, k) read[k] = true; return cfg[k] end,
    __newindex = function(_, k, v) cfg[k] = v end, __pairs = function() return next, cfg, nil end})
  local ok, m = pcall(cfg.model, seen)
  if not ok then error("experiment: base.model failed: " .. tostring(m), 0) end
  if type(m) == "userdata" and m.free then m:free() end
  for _, k in ipairs(keys) do
    if MODEL_KEYS[k] and not read[k] then
      error(("experiment: base.model never reads config.%s, so varying %s would train the same net under "
        .. "different names: build with it (function(config) ... config.%s ... end), or leave model out "
        .. "and experiment builds an MLP from hidden, activation, dropout, ..."):format(k, k, k), 3)
    end
  end
end

local function experiment(opts)
  if type(opts) ~= "table" then error("experiment: expected a table {base = {...}, vary = {...}}", 2) end
  checker.check("experiment", opts)
  local base, vary = opts.base or {}, opts.vary or {}
  if type(base) ~= "table" or type(vary) ~= "table" then error("experiment: base and vary must be tables", 2) end
  for k in pairs(base) do
    if not KNOWN[k] then error(("experiment: base.%s is not a setting"):format(tostring(k)), 2) end
  end
  local d = base.data or base.train
  if d == nil then error("experiment: base needs data = (the training set)", 2) end
  if base.validation == nil then error("experiment: base needs validation = (a data set or a fraction): the curves compare validation", 2) end
  local combos, keys = combinations(vary)
  local configs, labels = {}, {}
  for i, c in ipairs(combos) do
    local cfg = {}
    for k, v in pairs(base) do cfg[k] = v end
    for k, v in pairs(c) do cfg[k] = v end
    configs[i] = cfg
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. show_value(c[k]) end
    labels[i] = #parts > 0 and table.concat(parts, " ") or "base"
  end
  if #configs > 0 then check_model_reads(configs[1], keys) end
  local classes = d:info().classes > 0
  local metric = opts.metric or (classes and "val_acc" or "val_loss")
  local self = setmetatable({configs = configs, labels = labels, keys = keys, results = {}, metric = metric,
    lower = metric:find("loss") ~= nil, state = "running", t0 = now(), verbose = opts.verbose ~= false,
    csv = opts.csv == nil and "experiment.csv" or opts.csv}, Experiment)
  local nice = ({val_acc = "validation accuracy", val_loss = "validation loss"})[metric] or metric:gsub("_", " ")
  self.plot = plot.lines{title = opts.title or ("experiment: %s per epoch"):format(nice),
    xlabel = "epoch", ylabel = nice, show = opts.show}
  local function body()
    for i = 1, #configs do
      if self.stopped then break end
      run_one(self, i)
    end
    finish(self)
  end
  if interactive() then
    self.job = spawn(body, ("experiment: %d configurations"):format(#configs))
  else
    body()
  end
  return self
end

return experiment
