-- playground.lua: the TensorFlow Playground at the prompt. playground{...} makes a
-- 2-D data set, a small net and an optimizer, opens the network, decision and loss
-- views in one window and trains in a background job. Every setting can be changed
-- while it runs (pg.lr = 0.01 at once; pg.hidden = {4} rebuilds the net, as the
-- Playground does); clicking the decision surface adds a point (left: the chosen
-- class, right or shift-left: the other) and training goes on with it; hovering a
-- neuron of the network view shows its output large; space in the window
-- pauses and resumes, r starts the net again from new weights (pg:reset()), and
-- pg.run:step() advances one mini-batch while paused. The window's top line shows the
-- epoch, the losses, the learning rate and the layer sizes, large enough for a room.
-- playground{model = m | "file.nnl"} starts from a trained net (its widths become
-- pg.hidden).
local views = require "views"
local plot = require "plot"
local nncore = require "nn.core"
local train = require "nn.train"
local optim_core = require "nn.optim"
local checker = require "options"
local ndata = require "nn.data"
local rcore = require "repl.core"
local util = require "util"

local now = rcore.now
local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

-- The settings, their defaults (those of the Playground where it has one) and what a
-- change rebuilds: "live" applies at the next step, "run" starts a new run of the
-- same net, "model" a new net, "data" new data (and a new net when widths change).
local SETTINGS = {
  data = { "spiral", "data" }, n = { 400, "data" }, noise = { 0.1, "data" },
  classes = { 2, "data" }, test = { 0.5, "data" }, seed = { false, "data" },
  hidden = { { 4, 2 }, "model" }, activation = { "tanh", "model" },
  features = { { "x1", "x2" }, "model" }, optimizer = { "sgd", "model" }, init = { "xavier_uniform", "model" },
  lr = { 0.03, "live" }, l1 = { 0, "live" }, l2 = { 0, "live" },
  batch = { 10, "run" }, epochs = { false, "run" },
  grid = { 100, "view" }, discretize = { false, "view" }, fps = { 15, "view" }, speed = { 20, "view" },
  show_test = { true, "view" },
}
local ORDER = { "data", "n", "noise", "classes", "test", "seed", "hidden", "activation", "features",
  "optimizer", "init", "lr", "l1", "l2", "batch", "epochs", "grid", "discretize", "fps", "speed",
  "show_test" }

-- The 2-D sets the views can draw, and which of them are regression sets (targets
-- are numbers, not classes). The engine's 1-D sine (x -> y) has no input plane.
local SETS = { "spiral", "circle", "xor", "gauss", "moons", "blobs", "plane", "gauss_sum" }
local REGRESSION = { plane = true, gauss_sum = true }

local Playground = {}
local load_given -- below: playground{model = ...}

-- "playground: no setting "lrate"; did you mean 'lr'? (the settings are ...)"
local function no_setting(name)
  local ok, repl = pcall(require, "repl")
  local near = ok and type(name) == "string" and repl.nearest(name, ORDER)[1]
  return ("playground: no setting %q%s (the settings are %s)"):format(tostring(name),
    near and ("; did you mean '" .. near .. "'?") or "", table.concat(ORDER, ", "))
end

local function check_setting(name, v)
  local def = SETTINGS[name]
  if not def then error(no_setting(name), 3) end
  local want = type(def[1])
  if name == "seed" or name == "epochs" then want = "number" end
  if v ~= nil and v ~= false and type(v) ~= want then
    error(("playground: %s must be a %s, got %s"):format(name, want, type(v)), 3)
  end
  if name == "hidden" then
    for i, h in ipairs(v) do
      if math.type(h) ~= "integer" or h < 1 or h > 64 then
        error(("playground: hidden[%d] must be a layer width from 1 to 64, got %s"):format(i, tostring(h)), 3)
      end
    end
  elseif name == "data" then
    local known = false
    for _, set in ipairs(SETS) do known = known or set == v end
    if not known then
      local why = v == "sine" and "sine is a 1-D set (one input x, a target y) and the playground's views are over a 2-D input plane; "
        or ("no data set %q; "):format(v)
      error(("playground: %sthe sets are %s (regression: plane, gauss_sum)"):format(why, table.concat(SETS, ", ")), 3)
    end
  elseif name == "lr" and not (v > 0) then
    error(("playground: lr must be > 0, got %s"):format(tostring(v)), 3)
  elseif (name == "n" or name == "batch" or name == "grid") and (math.type(v) ~= "integer" or v < 2) then
    error(("playground: %s must be an integer of at least 2, got %s"):format(name, tostring(v)), 3)
  elseif name == "speed" and not (v >= 0) then
    error(("playground: speed is epochs a second (0: as fast as it can), got %s"):format(tostring(v)), 3)
  elseif name == "test" and not (v > 0 and v < 1) then
    error(("playground: test is the fraction of points held out, between 0 and 1, got %s"):format(tostring(v)), 3)
  end
end


-- Makes the data: s.n points of s.data, shuffled with the seed, split into train
-- and test; keeps the train points as Lua rows so that clicks can add to them.
local function make_data(pg)
  local s = pg._s
  if s.seed then nncore.seed(s.seed) end
  local classes = REGRESSION[s.data] and 0 or s.classes
  local all = ndata.synth(s.data, s.n, classes, s.noise)
  all:shuffle()
  local tr, te = all:split(s.test)
  pg.nclasses = all:info().classes
  pg._rows = { x = tr:x():totable(), y = tr:y():totable() }
  pg.train_raw, pg.test_raw = tr, te
end

local function flags_of(features)
  local flags = 0
  for _, name in ipairs(features) do
    local bit
    for i, f in ipairs(views.features) do if f == name then bit = i - 1 end end
    if not bit then
      error(("playground: unknown feature %q (the features are %s)"):format(tostring(name), table.concat(views.features, ", ")), 4)
    end
    flags = flags | (1 << bit)
  end
  if flags == 0 then error("playground: choose at least one feature", 4) end
  return flags
end

-- The sets the net sees: the raw points through the chosen features.
local function featurize(pg)
  local flags = flags_of(pg._s.features)
  pg.flags = flags
  pg.train_set, pg.test_set = pg.train_raw:features(flags), pg.test_raw:features(flags)
end

local function output_width(pg) return pg.nclasses > 2 and pg.nclasses or 1 end
local function loss_name(pg)
  if pg.nclasses == 0 then return "mse" end
  return pg.nclasses > 2 and "ce" or "bce"
end

local function make_model(pg)
  local s = pg._s
  pg._known = {} -- the losses the status line shows: none yet for a new net
  if pg._given then -- playground{model = ...}: the trained net, once
    local outputs = pg._given:info().outputs
    if outputs ~= output_width(pg) then
      error(("playground: the model has %d outputs; %s data needs %d"):format(outputs, s.data, output_width(pg)), 0)
    end
    pg.model, pg._given = pg._given, false
    pg.model:regularize(s.l1, s.l2)
    pg.opt = optim_core.new(s.optimizer, pg.model, { lr = s.lr })
    return
  end
  local mods, width = {}, pg.train_set:info().nx
  for _, h in ipairs(s.hidden) do
    mods[#mods + 1] = train.linear(width, h, s.init, 0, 0, "zeros")
    mods[#mods + 1] = train.activation(s.activation)
    width = h
  end
  mods[#mods + 1] = train.linear(width, output_width(pg), s.init, 0, 0, "zeros")
  pg.model = train.sequential(mods)
  pg.model:regularize(s.l1, s.l2)
  pg.opt = optim_core.new(s.optimizer, pg.model, { lr = s.lr })
end

-- At the prompt it trains until stopped: runs of 1000 epochs, each continuing the
-- last (a run keeps a record per epoch, so one endless run would grow without bound).
local CHUNK_EPOCHS = 1000
local function epochs_of(pg)
  local e = pg._s.epochs
  if e then return e end
  return interactive() and CHUNK_EPOCHS or 200
end

local latest_losses -- below: the status line's losses
-- same_net: the net trains on in the new run; the old run's last losses are kept for
-- the status line (a chunk may end within one slice, before the line was drawn)
local function make_run(pg, same_net)
  if same_net and pg.raw_run then latest_losses(pg) end
  pg.raw_run = train.run(pg.model, pg.opt, pg.train_set, pg.test_set,
    { loss = loss_name(pg), epochs = epochs_of(pg), batch = pg._s.batch })
end

-- The runs of the chunks that rolled over since the loss view last caught up: the view
-- follows them at its next redraw rather than at each rollover (a small net ends a
-- chunk 15 times a second, and each follow redrew the curve: a tenth of training).
-- Whatever follows a new run first catches up with these, so the curve keeps its order.
local function follow_chunks(pg)
  local q = rawget(pg, "_chunks")
  if not q or #q == 0 or not pg.views then return end
  for i = 1, #q do
    pg.views.loss:follow(q[i], true)
    q[i] = nil
  end
end
local MAX_CHUNKS = 8 -- runs kept for the view at most (one a chunk of 1000 epochs)

-- Builds what a change needs, from the deepest level down.
local LEVEL = { data = 4, model = 3, run = 2, live = 1, view = 0 }
local function rebuild(pg, level)
  local data_change = level == LEVEL.data
  local old_width = pg.train_set and pg.train_set:info().nx
  if level >= LEVEL.data then
    make_data(pg)
    featurize(pg)
    if pg.train_set:info().nx ~= old_width or (pg.model and pg.model:info().outputs ~= output_width(pg)) then
      level = LEVEL.model
    end
  end
  if level >= LEVEL.model then
    if level == LEVEL.model then featurize(pg) end
    make_model(pg)
  end
  if level >= LEVEL.run then make_run(pg, level < LEVEL.model) end
  if level == LEVEL.live then
    pg.opt.lr = pg._s.lr
    pg.model:regularize(pg._s.l1, pg._s.l2)
  end
  local v = pg.views
  if v then
    local d = v.decision
    d.model, d.data, d.test, d.classes, d.flags = pg.model, pg.train_raw, pg.test_raw, pg.nclasses, pg.flags
    d.n, d.discretize, d.show_test = pg._s.grid, pg._s.discretize, pg._s.show_test
    v.network.model, v.network.flags, v.network.classes = pg.model, pg.flags, pg.nclasses
    if level >= LEVEL.run then
      follow_chunks(pg)
      -- a new net starts a new curve; new data (with its new net) continues the curve,
      -- where a marker names the change (see __newindex), so the jump shows
      v.loss:follow(pg.raw_run, level < LEVEL.model or data_change)
      v.loss.optimizer = pg.opt
    end
    pg:refresh()
  end
end

-- The widths of the net's layers, inputs first ("2-4-2-1").
local function widths(pg)
  local sizes = {}
  for _, c in ipairs(pg.model:children()) do
    local info = c:info()
    if info.kind == "linear" then
      if #sizes == 0 then sizes[1] = info.inputs end
      sizes[#sizes + 1] = info.outputs
    end
  end
  return table.concat(sizes, "-")
end

-- The line above the views: what a room needs to follow the run. A new run of the
-- same net (the next chunk of epochs, a clicked point, a resume) has no losses until
-- its first step and epoch: the line keeps the last ones known of this net meanwhile,
-- rather than blanking them at each chunk; a new net forgets them (make_model).
latest_losses = function(pg)
  local st = pg.raw_run:status()
  local h = pg.raw_run:history(math.max(1, st.epoch - 1), "loss", "val_loss") -- the last epochs alone
  local n = h.epochs
  local tr, te = st.step > 0 and st.last_loss or nil, nil
  if n > 0 and h.loss[n] == h.loss[n] then tr = h.loss[n] end
  if n > 0 and h.val_loss[n] == h.val_loss[n] then te = h.val_loss[n] end
  local known = pg._known
  if tr then known.train = tr else tr = known.train end
  if te then known.test = te else te = known.test end
  return tr, te
end

local function status_line(pg)
  local st = pg.raw_run:status()
  local tr, te = latest_losses(pg)
  local function num(v) return v and ("%.4f"):format(v) or "–" end
  return ("epoch %d    train loss %s    test loss %s    lr %g    layers %s")
    :format((pg._epochs or 0) + st.epoch, num(tr), num(te), pg._s.lr, widths(pg))
end

local function show_status(pg)
  if not pg.window then return end
  local line = status_line(pg)
  if line ~= pg._status then
    pg._status = line
    pg.window:status(line)
    require("pg_history").label(pg) -- the slider's label: the same epoch
  end
end

--- Redraws the three views now.
function Playground:refresh()
  local v = self.views
  v.decision:refresh()
  v.network:refresh()
  follow_chunks(self)
  v.loss:refresh()
  show_status(self)
  return self
end

--- pg:reset(): the same settings, a new net from new random weights, a new loss
--- curve; training starts again (key r in the window).
function Playground:reset()
  self._epochs = 0
  rebuild(self, LEVEL.model)
  if self.views.loss.diverged ~= nil then self.views.loss:undiverge() end
  if self.window:is_open() and interactive() and self.job
      and (self.job.state == "done" or self.job.state == "stopped") then
    self.job = self._start_job(self)
    self.window:bind(self.job)
  end
  return self
end

--- Adds a training point at (x1, x2) of class c (1-based), then trains on with it.
function Playground:add_point(x1, x2, c)
  if self.nclasses == 0 then
    error("playground: points can be added to classification data only", 2)
  end
  if math.type(c) ~= "integer" or c < 1 or c > self.nclasses then
    error(("playground: class must be 1 to %d, got %s"):format(self.nclasses, tostring(c)), 2)
  end
  local rows = self._rows
  rows.x[#rows.x + 1] = { x1, x2 }
  rows.y[#rows.y + 1] = { c - 1 }
  self.train_raw = ndata.from(nncore.tensor(rows.x), nncore.tensor(rows.y), self.nclasses)
  self.train_set = self.train_raw:features(self.flags)
  follow_chunks(self)
  make_run(self, true)
  local v = self.views
  v.decision.data = self.train_raw
  v.loss:follow(self.raw_run, true)
  self:refresh()
  return self
end

-- The run object users see (pg.run): pause, resume, step and the status.
local Run = {}
Run.__index = Run
Run.__name = "playground run"
function Run:pause() self.pg.job:pause(); return self end
--- Resumes a paused run; after pg:stop() it starts training again.
function Run:resume()
  local pg = self.pg
  if pg.job.state == "done" or pg.job.state == "stopped" then
    pg._stopped = false
    if pg.raw_run:status().state ~= "running" then
      follow_chunks(pg)
      make_run(pg, true)
      pg.views.loss:follow(pg.raw_run, true)
    end
    pg.job = pg._start_job(pg)
    pg.window:bind(pg.job)
  else
    pg.job:resume()
  end
  return self
end
--- Advances one mini-batch while the job is paused, and redraws.
function Run:step()
  local pg = self.pg
  if pg.job.state == "running" then
    error("run:step(): the run is training; pause it first (space in its window, or run:pause())", 2)
  end
  pg.raw_run:run_for(1e-6) -- any positive budget ends the slice after one step
  pg:refresh()
  return pg.raw_run:status()
end
function Run:status() return self.pg.raw_run:status() end
function Run:history() return self.pg.raw_run:history() end
function Run:losses(from) return self.pg.raw_run:losses(from) end
function Run:stop() self.pg:stop(); return self end
require("pg_history").install(Run) -- run:seek, run:shown_epoch, run:snapshots
function Run:__tostring()
  local st = self.pg.raw_run:status()
  local loss = st.step > 0 and ("loss %.4g"):format(st.last_loss) or "no step yet"
  return ("playground run (%s, epoch %d, step %d, %s)"):format(self.pg.job.state, st.epoch, st.step, loss)
end

--- pg:neuron(layer, i): one neuron's output, large, in a window of its own.
function Playground:neuron(layer, i)
  return self.views.network:neuron(layer, i)
end

--- Stops training and the job; the window stays until closed. Settings changed
--- afterwards redraw the views but do not train (pg.run:resume() does).
function Playground:stop()
  rawset(self, "_stopped", true)
  self.raw_run:stop()
  if self.job then self.job:stop() end
  return self
end

-- One slice of training. At the prompt with speed > 0, as many steps as make
-- `speed` epochs a second (a tiny net would otherwise learn faster than the eye can
-- follow); otherwise for slice_ms of work.
local function train_slice(pg, slice_ms)
  local speed = pg._s.speed
  if not interactive() or speed == 0 then return pg.raw_run:run_for(slice_ms) end
  local spe = pg.raw_run:status().steps_per_epoch
  local t = now()
  -- steps owed since the last slice; a backlog of at most a tenth of a second
  pg._credit = math.min(pg._credit + (t - pg._last_t) * speed * spe, speed * spe * 0.1 + 1)
  pg._last_t = t
  local n = math.floor(pg._credit)
  pg._credit = pg._credit - n
  local state = pg.raw_run:status().state
  for _ = 1, n do
    state = pg.raw_run:run_for(1e-6) -- any positive budget ends the slice after one step
    if state ~= "running" then break end
  end
  return state
end

-- The training job: slices of training, views redrawn at a bounded rate (the
-- decision view at fps, the network at about half of it, the loss at up to 10 Hz),
-- until the run ends or the window closes.
local function start_job(pg)
  local last = { decision = -math.huge, network = -math.huge, loss = -math.huge }
  local slice_ms = 8
  pg._last_t = now()
  return spawn(function()
    while true do
      local w = pg.window
      if interactive() and not w:is_open() then return end
      local state = train_slice(pg, slice_ms)
      -- snapshots for the slider (lua/pg_history.lua); a slider set anew names the
      -- epoch now, and the status line above it says the same
      if require("pg_history").record(pg) then show_status(pg) end
      if state == "done" and interactive() and not pg._s.epochs then
        -- the chunk of epochs is done: the same net goes on in a new run
        pg._epochs = (pg._epochs or 0) + pg.raw_run:status().epoch
        make_run(pg, true)
        local q = pg._chunks -- the loss view follows at its next redraw (follow_chunks)
        q[#q + 1] = pg.raw_run
        if #q >= MAX_CHUNKS then follow_chunks(pg) end
        state = "running"
      end
      local t = now()
      local fps = pg._s.fps
      local v = pg.views
      -- the network and loss views change only on the decision view's frames, so
      -- that the window is redrawn once a frame rather than for each view
      if t - last.decision >= 1 / fps then
        v.decision:tick() -- the surface is computed beside training (views.lua)
        last.decision = t
        if t - last.network >= 1.5 / fps then v.network:refresh(); last.network = t end
        if t - last.loss >= 0.1 then
          follow_chunks(pg)
          v.loss:refresh()
          show_status(pg)
          last.loss = t
        end
      end
      if state ~= "running" then
        if state == "failed" then
          error("playground: training failed: " .. pg.raw_run:status().message, 0)
        end
        pg:refresh()
        if not interactive() then return end
        -- finished (or stopped): wait for a change of setting or a new point
        local run = pg.raw_run
        while pg.raw_run == run do
          if not pg.window:is_open() then return end
          coroutine.yield()
        end
      end
      coroutine.yield()
    end
  end, "playground")
end

-- playground{model = m | "file.nnl"}: the net (a module, or a file nn.save wrote)
-- whose layer widths become the hidden setting; its inputs must be the features'
-- count (x1, x2 unless features = {...} says otherwise).
load_given = function(model, s, opts)
  local m = model
  if type(model) == "string" then
    local loaded, why = train.load(model)
    if not loaded then error(("playground: cannot load the model %s: %s"):format(model, tostring(why)), 4) end
    m = loaded
  elseif type(model) == "table" then
    for _, k in ipairs{ "module", "_module", "model" } do
      if type(rawget(model, k)) == "userdata" then m = rawget(model, k) end
    end
  end
  if type(m) ~= "userdata" or not pcall(function() return m:children() end) then
    error(("playground: model must be a model or the name of a saved model file, got %s"):format(type(model)), 4)
  end
  local sizes = {}
  for _, c in ipairs(m:children()) do
    local info = c:info()
    if info.kind == "linear" then
      if #sizes == 0 then sizes[1] = info.inputs end
      sizes[#sizes + 1] = info.outputs
    elseif info.kind == "activation" and s.activation ~= info.name and not opts.activation then
      s.activation = info.name
    end
  end
  if #sizes < 2 then error("playground: the model has no linear layers", 4) end
  local nfeat = #(opts.features or s.features)
  if sizes[1] ~= nfeat then
    error(("playground: the model takes %d inputs, the features {%s} are %d"):format(sizes[1],
      table.concat(opts.features or s.features, ", "), nfeat), 4)
  end
  s.hidden = table.move(sizes, 2, #sizes - 1, 1, {})
  return m
end

local OPTION_NAMES = { "show", "wait", "model" }
for _, name in ipairs(ORDER) do OPTION_NAMES[#OPTION_NAMES + 1] = name end
checker.declare("playground", OPTION_NAMES, 0, "playground", '{data = "spiral", hidden = {4, 2}}')

local function make(opts)
  opts = checker.check("playground", opts)
  local s = {}
  for _, name in ipairs(ORDER) do
    local v = SETTINGS[name][1]
    if type(v) == "table" then v = table.move(v, 1, #v, 1, {}) end
    s[name] = v
  end
  local given = false
  if opts.model ~= nil then given = load_given(opts.model, s, opts) end
  for k, v in pairs(opts) do
    if k ~= "show" and k ~= "wait" and k ~= "model" then
      check_setting(k, v)
      s[k] = v
    end
  end
  -- Every field exists from the start (false until made), so that assignments to
  -- them bypass __newindex, which is for settings only.
  local pg = setmetatable({ _s = s, nclasses = false, train_set = false, test_set = false,
    train_raw = false, test_raw = false, _rows = false, flags = false, model = false, opt = false,
    raw_run = false, run = false, views = false, window = false, job = false, box = false,
    click_class = 1, _credit = 0, _last_t = 0, _given = given, _status = false, _epochs = 0,
    _known = false, _stopped = false, _start_job = start_job, _chunks = {} }, Playground)
  rebuild(pg, LEVEL.data)
  pg.run = setmetatable({ pg = pg }, Run)
  local box = { xmin = -6.5, xmax = 6.5, ymin = -6.5, ymax = 6.5 }
  local rows = pg._rows.x
  if #rows > 0 then
    local m = 0
    for _, r in ipairs(rows) do m = math.max(m, math.abs(r[1]), math.abs(r[2])) end
    box = { xmin = -1.1 * m, xmax = 1.1 * m, ymin = -1.1 * m, ymax = 1.1 * m }
  end
  pg.box = box
  pg.views = {
    network = views.network(pg.model, { box = box, features = pg.flags, classes = pg.nclasses,
      live = false, show = false, title = "network" }),
    decision = views.decision(pg.model, pg.train_raw, { test = pg.test_raw, box = box, n = s.grid,
      features = pg.flags, discretize = s.discretize, show_test = s.show_test, live = false, show = false,
      title = "output" }),
    loss = views.loss(pg.raw_run, { optimizer = pg.opt, names = { "train", "test" },
      accuracy = false, window = false, live = false, title = "loss" }),
  }
  pg.window = plot.window{ pg.views.network.plot, pg.views.decision.plot, pg.views.loss.plot,
    cols = 3, width = 1500, height = 520, title = "playground", show = opts.show }
  pg.views.decision.plot:on_click(function(x1, x2, button, mods)
    if pg.nclasses == 0 or not x1 then return end
    local c = pg.click_class
    if button ~= 1 or (mods and mods.shift) then c = c % pg.nclasses + 1 end
    pg:add_point(x1, x2, c)
  end)
  pg.window:keys{ { "r", "reset: a new net from new weights" },
    { "t", "hide or show the test points" },
    { "click", "add a training point (right or shift: the other class)" },
    { "left/right", "the net one kept epoch earlier or later (training pauses)" },
    { "home/end", "the net before training, and as it is now" } }
  -- one key handler a window: r resets, t hides and shows the test points, the arrows,
  -- Home and End move through the run's history (lua/pg_history.lua)
  pg.window:on_key(function(key)
    if key == "r" then pg:reset()
    elseif key == "t" then pg.show_test = not pg._s.show_test
    else pg.run:key(key) end
  end)
  require("pg_history").attach(pg)
  pg.job = start_job(pg)
  pg.window:bind(pg.job)
  pg:refresh()
  if not interactive() and opts.wait ~= false then wait(pg.job) end
  return pg
end

-- Reading pg.lr gives the setting; assigning it applies it (see SETTINGS).
Playground.__index = function(pg, k)
  local m = rawget(Playground, k)
  if m ~= nil then return m end
  local s = rawget(pg, "_s")
  if SETTINGS[k] then return s[k] end
  return nil
end
Playground.__newindex = function(pg, k, v)
  if not SETTINGS[k] then
    error(no_setting(k), 2)
  end
  check_setting(k, v)
  if type(v) == "table" then v = table.move(v, 1, #v, 1, {}) end
  -- the setting is kept only when the rebuild succeeds: a failure puts every field
  -- back as it was (the views are updated last, so they never saw the change)
  local old, saved = pg._s[k], {}
  for f, fv in next, pg do saved[f] = fv end
  pg._s[k] = v
  local job_ended = pg.job and (pg.job.state == "done" or pg.job.state == "stopped")
  local ok, err = pcall(rebuild, pg, LEVEL[SETTINGS[k][2]])
  if not ok then
    for f, fv in pairs(saved) do rawset(pg, f, fv) end
    pg._s[k] = old
    error(("playground: %s = %s failed: %s"):format(k, tostring(v), util.strip_position(err)), 2)
  end
  if SETTINGS[k][2] == "data" then -- the curve goes on over new data: say where
    local lv = pg.views.loss
    local shown = type(v) == "table" and ("{" .. table.concat(v, ", ") .. "}") or tostring(v)
    lv.plot:marker(lv.offset, ("%s = %s"):format(k, shown))
  end
  if job_ended and not pg._stopped and pg.window:is_open() and interactive() then
    pg.job = start_job(pg)
    pg.window:bind(pg.job)
  end
end
Playground.__name = "playground"
Playground.__tostring = function(pg)
  local s = pg._s
  local st = pg.raw_run:status()
  local loss = st.step > 0 and ("loss %.4g"):format(st.last_loss) or "no step yet"
  local state = pg._stopped and "stopped" or (pg.job and pg.job.state == "paused" and "paused")
    or (st.state == "running" and "training" or st.state)
  return ("playground: %s (%d points, noise %g), hidden {%s} %s, features {%s}, %s lr %g, batch %d; epoch %d, %s, %s")
    :format(s.data, s.n, s.noise, table.concat(s.hidden, ", "), s.activation, table.concat(s.features, ", "),
      s.optimizer, s.lr, s.batch, st.epoch, loss, state)
end

-- pg.reset() for pg:reset() is told so, not met by "attempt to index" in here
util.guard_methods(Playground, "pg")
util.guard_methods(Run, "run")

return make
