-- views.lua: the live training views. views.decision(model, data) draws the decision
-- surface of a 2-D classifier (or a regression's predicted surface) with the data
-- points; views.loss(run) the train/validation loss (and accuracy) as it grows;
-- views.network(model) the Playground view, each neuron a small heat map of its output
-- over the input plane and each link coloured and thickened by its weight (plot.lua's
-- plot.decision, plot.loss and plot.network(model) call them); playground.lua opens
-- the three and trains a small net, with every setting changeable while it runs. Views refresh at a bounded rate from a background job at
-- the prompt; in scripts they draw when made and on :refresh() and :save().
-- Built on the bindings (nn.train, nn.optim, nn.data) and plot.lua; the engine and
-- the viz know nothing of each other, so the surfaces are grids of floats asked of
-- the engine and handed to the viz.
local plot = require "plot"
local checker = require "options"
local nncore = require "nn.core"
local train = require "nn.train"
local optim_core = require "nn.optim"
local ndata = require "nn.data"
local fieldcore = require "nn.field"
local rcore = require "repl.core"

local views = {}

local now = rcore.now
local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

-- The friendly layers may wrap the binding's userdata in tables; these find it.
local function as_module(m, who)
  if mt_name(m) == "nnlab.module" then return m end
  if type(m) == "table" then
    for _, k in ipairs{"module", "_module", "model"} do
      if mt_name(rawget(m, k)) == "nnlab.module" then return rawget(m, k) end
    end
  end
  error(("%s: expected a model (a module such as nn.sequential{...}), got %s"):format(who, mt_name(m) or type(m)), 3)
end

local function as_dataset(d, who)
  if mt_name(d) == "nnlab.dataset" then return d end
  if type(d) == "table" then
    for _, k in ipairs{"dataset", "_dataset", "set"} do
      if mt_name(rawget(d, k)) == "nnlab.dataset" then return rawget(d, k) end
    end
  end
  error(("%s: expected a data set (as data.spiral{...} makes), got %s"):format(who, mt_name(d) or type(d)), 3)
end

local function as_run(r, who)
  if mt_name(r) == "nnlab.run" then return r end
  if type(r) == "table" then
    for _, k in ipairs{"_r", "run", "_run", "raw"} do
      if mt_name(rawget(r, k)) == "nnlab.run" then return rawget(r, k) end
    end
  end
  error(("%s: expected a training run (what m:fit{...} returns), got %s"):format(who, mt_name(r) or type(r)), 3)
end

-- The run (of m:fit) whose history a view can move through with run:seek, or nil.
local function seekable(r)
  return type(r) == "table" and type(r.with_shown) == "function" and r or nil
end

-- The title with the epoch a seek shows (none when the view shows the latest).
local function epoch_title(title, r)
  local e = r and rawget(r, "_seek_epoch")
  return e and ("%s, epoch %d (<- -> to move)"):format(title, e) or title
end

-- Left and right arrows in a view's window seek its run back and forth; the view
-- redraws on each seek of its run.
local function seek_keys(view)
  local r = seekable(view.run_t or view.run)
  if r then r:_watch(view) end
  return function(key)
    local rr = seekable(view.run_t or view.run)
    return rr and rr:key(key) or false
  end
end
views.seekable = seekable

---------------------------------------------------------------------------------
-- Grids over the input plane
---------------------------------------------------------------------------------

-- The Playground's input features, in the engine's bit order (nn_features).
local FEATURES = { "x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)" }
views.features = FEATURES

-- The names of the inputs that the engine's feature flags select, in its order
-- (nil: the raw inputs x1, x2).
local function input_names(flags)
  if not flags then return { "x1", "x2" } end
  local names = {}
  for i, f in ipairs(FEATURES) do
    if flags & (1 << (i - 1)) ~= 0 then names[#names + 1] = f end
  end
  return names
end

-- Feature names (a list) to the engine's flags; nil means the raw inputs.
local function feature_flags(list)
  if list == nil then return nil end
  if math.type(list) == "integer" then return list end
  local flags = 0
  for _, name in ipairs(list) do
    local bit
    for i, f in ipairs(FEATURES) do if f == name or (name == "x1*x2" and f == "x1x2") then bit = i - 1 end end
    if not bit then
      error(("unknown feature %q (the features are %s)"):format(tostring(name), table.concat(FEATURES, ", ")), 3)
    end
    flags = flags | (1 << bit)
  end
  if flags == 0 then error("features: choose at least one", 3) end
  return flags
end

-- The n x n points of the box as an [n*n, 2] tensor, row j (from ymin up) after row
-- j-1, as the viz lays out a field; mapped through the features when flags is set.
-- Each view keeps its last grid (cache = the view): a refresh at 20 Hz must not
-- rebuild 40 000 points each time.
local function grid_inputs(box, n, flags, cache)
  local key = ("%g %g %g %g %d %s"):format(box.xmin, box.xmax, box.ymin, box.ymax, n, tostring(flags))
  if cache.grid_key == key then return cache.grid end
  local rows = {}
  for j = 0, n - 1 do
    local y = box.ymin + (box.ymax - box.ymin) * j / (n - 1)
    for i = 0, n - 1 do rows[#rows + 1] = { box.xmin + (box.xmax - box.xmin) * i / (n - 1), y } end
  end
  local g = nncore.tensor(rows)
  if flags then
    local d = ndata.from(g, nncore.zeros{ n * n, 1 })
    g = d:features(flags):x()
  end
  cache.grid_key, cache.grid = key, g
  return g
end

-- The box around the data's first two columns, with a margin.
local function data_box(x)
  local rows = x:totable()
  local xmin, xmax, ymin, ymax = math.huge, -math.huge, math.huge, -math.huge
  for _, r in ipairs(rows) do
    xmin, xmax = math.min(xmin, r[1]), math.max(xmax, r[1])
    ymin, ymax = math.min(ymin, r[2]), math.max(ymax, r[2])
  end
  if xmin == math.huge then return { xmin = -1, xmax = 1, ymin = -1, ymax = 1 } end
  local mx, my = 0.1 * math.max(xmax - xmin, 1e-3), 0.1 * math.max(ymax - ymin, 1e-3)
  return { xmin = xmin - mx, xmax = xmax + mx, ymin = ymin - my, ymax = ymax + my }
end

-- The box of the data each model was last drawn with (weak: a model forgotten goes):
-- plot.network(model) then shows its neurons over the plane of plot.decision(model,
-- data), not over -1..1 when the data spans -5..5.
local model_boxes = setmetatable({}, { __mode = "k" })

-- The last module of a model, to know whether its output is already a probability.
local function last_activation(m)
  local kids = m:children()
  local last = #kids > 0 and kids[#kids] or m
  local info = last:info()
  return info.kind == "activation" and info.name or nil
end

-- Class probabilities [N, k] from the model's outputs y [N, k'] (k' = 1: one logit
-- or probability of class 2). Uses tensor ops only: no Lua loop over 40 000 rows.
local function class_probs(m, y)
  local act = last_activation(m)
  local k = y.shape[2]
  if k == 1 then
    local p = act == "sigmoid" and y or y:sigmoid()
    -- [1 - p, p] = p·[-1, 1] + [1, 0]
    return p:matmul(nncore.tensor{ { -1, 1 } }) + nncore.tensor{ { 1, 0 } }
  end
  if act == "softmax" then return y end
  return y:softmax(2)
end

-- One-hot of the most probable class (ties share), from tensor ops:
-- 1 where p equals the row's maximum, 0 elsewhere, rows renormalised.
local function discretize(p)
  local top = p:max(2, true)
  local hot = ((p - top) * 1e6 + 1):relu() - ((p - top) * 1e6):relu()
  return hot / hot:sum(2, true)
end

---------------------------------------------------------------------------------
-- plot.decision
---------------------------------------------------------------------------------

-- The loss views that follow each run (weak both ways: a view or a run forgotten by
-- the user goes): when a decision view replaces the run it trains (add_point), the
-- loss views of the old run follow the new one.
local loss_views = setmetatable({}, { __mode = "k" })
local function follow_later(view, raw)
  loss_views[raw] = loss_views[raw] or setmetatable({}, { __mode = "k" })
  loss_views[raw][view] = true
end
local function hand_over(old_raw, new_run)
  for view in pairs(loss_views[old_raw] or {}) do
    if view.run == old_raw then view:follow(new_run, true) end
  end
end

local Decision = {}
Decision.__index = Decision
Decision.__name = "decision view"

-- Points of a data set on the panel: its raw first two columns, coloured by class
-- (regression: by target value, on the surface's own colour scale, so that a point
-- the net fits well disappears into the surface), hollow for test points. Returns
-- the classes (1-based), or the targets of a regression.
local function add_data_points(p, d, hollow, acc)
  local x, y, info = d:x(), d:y(), d:info()
  local xs, ys, cs, vs = {}, {}, {}, {}
  local rows, labels = x:totable(), y:totable()
  for i, r in ipairs(rows) do
    xs[i], ys[i] = r[1], r[2]
    if info.classes > 0 then cs[i] = math.floor(labels[i][1] + 0.5) + 1 else cs[i], vs[i] = 1, labels[i][1] end
  end
  if #xs == 0 then return cs end
  -- values go to the first points of the panel: the test points (added after the
  -- training ones) are placed after the values of the training points
  local before = acc.n
  p:points(xs, ys, cs, hollow)
  acc.n = before + #xs
  if info.classes == 0 then
    for i = 1, #vs do acc.values[before + i] = vs[i] end
    p:values(acc.values)
    return vs
  end
  return cs
end

--- view:toggle_test([on]): shows or hides the test points (the key t in the window).
function Decision:toggle_test(on)
  if on == nil then on = not self.show_test end
  self.show_test = on and true or false
  return self:refresh()
end

function Decision:__tostring()
  local pts = self.data and self.data:info().n or 0
  local test = self.test and (", %d test%s"):format(self.test:info().n, self.show_test and "" or " (hidden)") or ""
  local what = self.classes > 0 and ("%d classes"):format(self.classes) or "regression"
  return ("decision view: %s, %d points%s, %dx%d grid over x1 %.3g..%.3g, x2 %.3g..%.3g, %d frames")
    :format(what, pts, test, self.n, self.n, self.box.xmin, self.box.xmax, self.box.ymin, self.box.ymax,
      self.frames)
end

-- The view's state a surface belongs to: a surface computed before a change of
-- model, grid, box or classes is dropped, never drawn over the new state.
local function field_key(view)
  local b = view.box
  return ("%s %.17g %.17g %.17g %.17g %d %s %d"):format(tostring(view.model), b.xmin, b.xmax, b.ymin, b.ymax,
    view.n, tostring(view.flags), view.classes)
end

-- The surface in Lua, for a model the field worker cannot copy (a module written in
-- Lua): class probabilities [n*n, k], or the predicted values of a regression.
local function surface_in_lua(view, g)
  local y = train.predict(view.model, g)
  if view.classes > 0 then return class_probs(view.model, y) end
  return y
end

-- The view's field worker (nn.field, src/repl/bind_field.c): it copies the weights
-- when given a job, runs the copy over the grid on a thread of its own and turns the
-- outputs into class probabilities in one pass. Nil when the model cannot be copied.
local function worker_of(view)
  if view._lua_model == view.model then return nil end
  if not view.worker then view.worker = fieldcore.worker() end
  return view.worker
end

-- The surface of the model's weights now, computed on this thread.
function Decision:_surface()
  local g = grid_inputs(self.box, self.n, self.flags, self)
  local w = worker_of(self)
  if w then
    self._tag = self._tag + 1
    self._submitted = nil -- a job still running for tick() is dropped
    local ok = w:submit(self.model, g, self.classes, self._tag, true)
    if ok then
      local s, why = w:result()
      if s then return s end
      error("decision view: " .. tostring(why), 0)
    end
    self._lua_model = self.model -- cannot be copied: computed in Lua from now on
  end
  return surface_in_lua(self, g)
end

--- Recomputes the surface from the model (at the epoch its run shows, see run:seek)
--- and redraws the points.
function Decision:refresh()
  local r = seekable(self.run)
  if r then return r:with_shown(self._draw, self) end
  return self:_draw()
end

-- Hands the weights (at the shown epoch) to the worker, unless it is still busy. The
-- worker also renders the surface's heat map and contours as the plot last drew them
-- (not when discretized: the plot is given other values than the worker's), so that
-- drawing the frame here only copies them (tick, _draw).
local function submit_live(view)
  local w = worker_of(view)
  if not w or w:busy() then return w ~= nil end
  local g = grid_inputs(view.box, view.n, view.flags, view)
  view._tag = view._tag + 1
  local b, p = view.box, not view.discretize and view.plot or nil
  local ok = w:submit(view.model, g, view.classes, view._tag, false, p, view.n, b.xmin, b.xmax, b.ymin, b.ymax)
  if ok == nil then view._lua_model = view.model; return false end
  view._submitted = { tag = view._tag, key = field_key(view), title = epoch_title(view.title, seekable(view.run)) }
  return true
end

--- view:tick(): the live redraw (the playground's job calls it at the view's rate).
--- Draws the surface the worker finished since the last tick, when it still belongs
--- to what the view shows, and hands the worker the weights of now: the forward pass
--- over the grid runs beside training, and the training thread pays only for a copy
--- of the weights and the drawing. A surface drawn is one weight version, a tick
--- late. A model the worker cannot copy is redrawn as refresh() does.
function Decision:tick()
  local w = worker_of(self)
  if not w then return self:refresh() end
  local s, tag = w:result()
  if s == nil and tag ~= nil then return self:refresh() end -- the forward failed: its error, here
  local sub = self._submitted
  if s and sub and tag == sub.tag and sub.key == field_key(self) then
    self._submitted = nil
    self:_draw(s, sub.title, tag)
  end
  local r = seekable(self.run)
  local ok
  if r then ok = r:with_shown(submit_live, self) else ok = submit_live(self) end
  if not ok and not w:busy() then return self:refresh() end
  return self
end

-- Draws surface (computed now when not given) under title (the view's, with the
-- shown epoch, when not given); the points are added again only when they changed.
-- tag: the worker's job the surface came from, whose heat map and contours the plot
-- then takes (drawn on the worker's thread; view.layers counts them).
function Decision:_draw(surface, title, tag)
  local n = self.n
  surface = surface or self:_surface()
  local p = self.plot
  if self.classes > 0 then
    local probs = self.discretize and discretize(surface) or surface
    local k = probs.shape[2]
    self.surface = probs -- the grid drawn (tests compare it)
    p:grid(probs:reshape{ n, n * k }, self.box.xmin, self.box.xmax, self.box.ymin, self.box.ymax, k)
  else
    self.surface = surface
    p:grid(surface:reshape{ n, n }, self.box.xmin, self.box.xmax, self.box.ymin, self.box.ymax)
  end
  if tag and self.worker and self.worker:layer_to(p, tag) then self.layers = self.layers + 1 end
  local pts = self._points
  if not (pts and pts.data == self.data and pts.test == self.test and pts.show_test == self.show_test) then
    p:clear()
    local acc = { n = 0, values = {} } -- the points added so far, and their values
    if self.data then self.point_values = add_data_points(p, self.data, false, acc) end
    if self.test and self.show_test then add_data_points(p, self.test, true, acc) end
    self._points = { data = self.data, test = self.test, show_test = self.show_test }
  end
  p:label("title", title or epoch_title(self.title, seekable(self.run)))
  self.frames = self.frames + 1
  self.last_refresh = now()
  return self
end

--- view:add_point(x1, x2, class): adds a training point (class 1..k) to the view's
--- data set. When the view follows a run (opts.run), training goes on with it: the
--- run stops and a new one continues the same model and optimizer on the larger set
--- for the epochs that were left, or as many again when it had finished (view.run
--- is the new one).
function Decision:add_point(x1, x2, c)
  if self.classes == 0 then error("add_point: points can be added to classification data only", 2) end
  if math.type(c) ~= "integer" or c < 1 or c > self.classes then
    error(("add_point: class must be 1 to %d, got %s"):format(self.classes, tostring(c)), 2)
  end
  if not self.rows then self.rows = { x = self.data:x():totable(), y = self.data:y():totable() } end
  local rows = self.rows
  rows.x[#rows.x + 1] = { x1, x2 }
  rows.y[#rows.y + 1] = { c - 1 }
  self.data = ndata.from(nncore.tensor(rows.x), nncore.tensor(rows.y), self.classes)
  local r = self.run
  if r and r.model and r.optimizer then
    local st = r:status()
    r:stop()
    -- the batch size the run used, from its steps an epoch
    local n = #rows.x - 1
    local batch = math.max(1, math.ceil(n / math.max(1, st.steps_per_epoch)))
    local loss = (self.classes == 2 and self.model:info().outputs == 1) and "bce" or "cross_entropy"
    local set = self.flags and self.data:features(self.flags) or self.data
    -- the epochs that were left, or another full round when the run had finished
    local epochs = r.epochs or 100
    local left = epochs - st.epoch
    self.run = r.model:fit{ set, loss = loss, optimizer = r.optimizer, batch = batch,
      epochs = left >= 1 and left or epochs, verbose = false }
    local w = self.plot:window()
    if w and self.run.job then w:bind(self.run.job) end
    hand_over(as_run(r, "add_point"), self.run) -- plot.loss(run) windows go on with it
    if seekable(self.run) then self.run:_watch(self) end
  end
  return self:refresh()
end

function Decision:save(path, w, h)
  self:refresh()
  return self.plot:save(path, w, h)
end

-- Keeps a view fresh at the prompt: redraws at most fps times a second while its
-- window is open. Scripts draw on demand instead (their jobs must end).
local function keep_fresh(view, fps)
  if not interactive() then return nil end
  local period = 1 / fps
  return spawn(function()
    while true do
      local w = view.plot:window()
      if not (w and w:is_open()) then return end
      if now() - view.last_refresh >= period then
        if view.tick then view:tick() else view:refresh() end
      end
      coroutine.yield()
    end
  end, view.kind .. " view")
end

--- plot.decision(model, data [, opts]) -> view
checker.declare("plot.decision", {"box", "classes", "discretize", "features", "fps", "live", "n", "run",
  "show", "show_test", "test", "title"})
local function decision(model, data, opts)
  opts = checker.check("plot.decision", opts)
  local m = as_module(model, "plot.decision")
  local d = data and as_dataset(data, "plot.decision")
  local test = opts.test and as_dataset(opts.test, "plot.decision")
  local info = d and d:info() or { classes = opts.classes or 0 }
  local n = opts.n or 100
  if math.type(n) ~= "integer" or n < 2 or n > 400 then
    error(("plot.decision: n (the grid's points per side) must be an integer from 2 to 400, got %s"):format(tostring(n)), 2)
  end
  local box = opts.box or (d and data_box(d:x())) or { xmin = -1, xmax = 1, ymin = -1, ymax = 1 }
  local view = setmetatable({
    kind = "decision", model = m, data = d, test = test, classes = info.classes, n = n, box = box,
    flags = feature_flags(opts.features), discretize = opts.discretize == true,
    show_test = opts.show_test ~= false,
    frames = 0, layers = 0, last_refresh = -math.huge, _tag = 0,
  }, Decision)
  view.title = opts.title or (info.classes > 0 and "decision surface" or "predicted surface")
  view.plot = plot.field{ title = view.title, xlabel = "x1", ylabel = "x2", show = opts.show }
  model_boxes[m] = box
  view.run = type(opts.run) == "table" and opts.run or nil
  local seek_key = seek_keys(view)
  view:refresh()
  -- t hides and shows the test points (in a window of its own: the playground's
  -- window has its own keys)
  local win = opts.show ~= false and view.plot:window()
  view.key = function(_, key)
    if key == "t" then view:toggle_test(); return true end
    return seek_key(key)
  end
  if win then win:on_key(function(key) view:key(key) end) end
  if opts.live ~= false then view.job = keep_fresh(view, opts.fps or 20) end
  -- opts.run: space in the window pauses and resumes that run's background job, and
  -- clicks add points that it trains on (left: class click_class; right or
  -- shift-left: the next)
  view.run = type(opts.run) == "table" and opts.run or nil
  view.click_class = 1
  local job = view.run and rawget(view.run, "job")
  local w = view.plot:window()
  if job and w then w:bind(job) end
  if view.classes > 0 then
    view.plot:on_click(function(x1, x2, button, mods)
      if not x1 then return end
      local c = view.click_class
      if button ~= 1 or (mods and mods.shift) then c = c % view.classes + 1 end
      view:add_point(x1, x2, c)
    end)
  end
  return view
end

---------------------------------------------------------------------------------
-- plot.loss
---------------------------------------------------------------------------------

local Loss = {}
Loss.__index = Loss
Loss.__name = "loss view"

-- Keeps a loss view fresh at the prompt: at most 1/period redraws a second while its
-- window is open, until its run ends (follow starts it again for the next run).
local function start_live_loss(view)
  if not (view.window and interactive()) then return end
  view.job = spawn(function()
    while view.window:is_open() do
      if now() - view.last_refresh >= view.period then
        view:refresh()
        if view.ended then return end
      end
      coroutine.yield()
    end
  end, "loss view")
end

local THIN_AFTER, THIN_POINTS = 100, 50 -- see the epochs' loop in Loss:refresh

-- Appends what the run did since the last refresh: the step losses averaged over
-- chunks (about 20 points an epoch, so a long run stays light), each epoch's
-- validation loss and accuracies, and markers for early stopping and for
-- learning-rate changes of the optimizer it watches. x is in epochs, continuing
-- across the runs it followed (see :follow).
function Loss:refresh()
  -- a seek redraws the curves with a marker at the epoch shown
  local sr = seekable(self.run_t)
  local shown = sr and rawget(sr, "_seek_epoch")
  if sr and shown ~= self.marked and self.offset == 0 then
    self.plot:clear()
    if self.acc_plot then self.acc_plot:clear() end
    self.next_step, self.epochs_drawn, self.ended, self.lr = 1, 0, false, nil
    self.marked = shown
    if shown then
      self.plot:marker(shown, ("epoch %d shown"):format(shown))
      if self.acc_plot then self.acc_plot:marker(shown, ("epoch %d"):format(shown)) end
    end
  end
  local r, st = self.run, self.run:status()
  local spe = math.max(1, st.steps_per_epoch)
  local x0, names = self.offset, self.names
  -- Long epochs: the step losses averaged over chunks of spe/20 steps, so the curve
  -- moves within an epoch; short ones (the Playground's): each epoch's mean, as
  -- single mini-batch losses would be mostly noise.
  local by_steps = spe >= 100
  if by_steps then
    local chunk = spe // 20
    local losses = r:losses(self.next_step)
    local i = 1
    while i + chunk - 1 <= #losses do
      local s = 0
      for k = i, i + chunk - 1 do s = s + losses[k] end
      local step_end = self.next_step + i + chunk - 2
      if s == s and s < math.huge then self.plot:push(names[1], s / chunk, x0 + step_end / spe) end
      i = i + chunk
    end
    self.next_step = self.next_step + i - 1
  end
  -- only the epochs not drawn (nor watched for divergence) yet: a playground's run
  -- ends thousands of epochs a second, and this runs ten times a second
  local first = math.min(self.epochs_drawn, self.watched or 0) + 1
  -- the four fields drawn and watched alone: a history table holds eleven
  local h = r:history(first, "loss", "val_loss", "acc", "val_acc")
  local a = h.acc[first]
  if self.acc_plot == nil and self.window and (a == a and h.epochs >= first) then
    -- the first accuracy shows that the run classifies: its panel joins the window
    self.acc_plot = plot.lines{ title = "accuracy", xlabel = "epoch", ylabel = "accuracy", show = false }
    self.window:add(self.acc_plot)
    self.window:cols(2)
  end
  -- A live refresh (of a run training, or handing over to the next) with more than
  -- THIN_AFTER new epochs (a tiny net ends thousands a second) adds one point for each
  -- block of epochs, their mean at the block's last epoch, and at most THIN_POINTS a
  -- series: the curve looks the same at any panel's width, while a point an epoch would
  -- grow the plot by 40 000 points a second, to be pushed here and walked at every
  -- redraw. A run of fewer than 750 epochs a second (a refresh every 0.13 s), and a
  -- finished run drawn whole, keep a point an epoch.
  local first_new, last = self.epochs_drawn + 1, h.epochs
  local block = 1
  local live = st.state == "running" or self.handing_over
  if live and last - first_new + 1 > THIN_AFTER then block = -((first_new - last - 1) // THIN_POINTS) end
  local function push(p, name, values, a, b)
    local sum, n = 0, 0
    for e = a, b do
      local v = values[e]
      if v == v then sum, n = sum + v, n + 1 end
    end
    if n > 0 then p:push(name, sum / n, x0 + b) end
  end
  for a = first_new, last, block do
    local b = math.min(a + block - 1, last)
    if not by_steps then push(self.plot, names[1], h.loss, a, b) end
    push(self.plot, names[2], h.val_loss, a, b)
    if self.acc_plot then
      push(self.acc_plot, names[1], h.acc, a, b)
      push(self.acc_plot, names[2], h.val_acc, a, b)
    end
    self.epochs_drawn = b
  end
  if self.optimizer then
    local lr = self.optimizer.lr
    if self.lr and math.abs(lr - self.lr) > 1e-6 * math.max(1e-3, self.lr) then
      self.plot:marker(x0 + st.step / spe, ("lr %.3g → %.3g"):format(self.lr, lr))
    end
    self.lr = lr
  end
  if st.state ~= "running" and not self.ended and not self.handing_over then
    self.ended = true
    if st.best_epoch > 0 and st.best_epoch < st.epoch then
      self.plot:marker(x0 + st.best_epoch, ("early stop: best epoch %d"):format(st.best_epoch))
    elseif st.state ~= "done" then
      self.plot:marker(x0 + st.step / spe, st.state)
    end
  end
  self:_watch_divergence(h, x0)
  self.frames = self.frames + 1
  self.last_refresh = now()
  return self
end

-- A run diverges when its loss climbs twentyfold above the lowest it reached (or
-- stops being a number): a linear axis would flatten all that came before, so the
-- curve switches to a log scale, the plot's title and the terminal say so.
local DIVERGE_FACTOR = 20
function Loss:_watch_divergence(h, x0)
  if self.diverged then return end
  local low = self.low or math.huge
  for e = (self.watched or 0) + 1, h.epochs or #h.loss do
    local v = h.loss[e]
    if v == v and v < low then low = v end
    local bad = v ~= v or v == math.huge or (low < math.huge and v > DIVERGE_FACTOR * math.max(low, 1e-12) and v > 1e-3)
    if bad then
      self.diverged = true
      self.title = self.title or "loss"
      self.plot:log(false, true)
      self.plot:label("title", ("%s: diverging, log scale"):format(self.title))
      self.plot:marker(x0 + e, "diverged")
      print(("loss: the run is diverging (epoch %d: loss %.3g, lowest %.3g); the curve is now on a log scale. A smaller learning rate may help."):format(e, v, low))
      break
    end
    self.watched = e
  end
  self.low = low
end

--- Back to a linear scale after a divergence (a new net, e.g. pg:reset()).
function Loss:undiverge()
  if self.diverged then
    self.plot:log(false, false)
    self.plot:label("title", self.title)
  end
  self.diverged, self.low, self.watched = false, nil, 0
  return self
end

--- Follows another run: its curve continues where this one's ended (continue
--- true: the same model trains on, e.g. on more data), or starts afresh.
function Loss:follow(run, continue)
  -- the last of the old run, without an end marker when the same model trains on
  self.handing_over = continue
  self:refresh()
  self.handing_over = nil
  local st = self.run:status()
  if continue then
    self.offset = self.offset + st.step / math.max(1, st.steps_per_epoch)
  else
    self.offset = 0
    self.plot:clear()
    if self.acc_plot then self.acc_plot:clear() end
  end
  -- the epochs watched for divergence are the new run's from its first (they were the
  -- old run's numbers: a playground's next chunk went unwatched up to its last epoch)
  self.run, self.next_step, self.epochs_drawn, self.ended = as_run(run, "loss:follow"), 1, 0, false
  self.watched = 0
  self.run_t, self.marked = seekable(run), nil
  if self.run_t then self.run_t:_watch(self) end
  follow_later(self, self.run)
  -- the live job ended with the old run; the new one needs it again
  if self.period and not (self.job and (self.job.state == "running" or self.job.state == "paused")) then
    start_live_loss(self)
  end
  return self
end

function Loss:save(path)
  self:refresh()
  if self.window then return self.window:save(path) end
  return self.plot:save(path)
end

function Loss:__tostring()
  local st = self.run:status()
  local h = self.run:history()
  local last = #h.loss > 0 and h.loss[#h.loss] or st.last_loss
  local val = #h.val_loss > 0 and h.val_loss[#h.val_loss] == h.val_loss[#h.val_loss]
    and (", %s %.4g"):format(self.names[2], h.val_loss[#h.val_loss]) or ""
  return ("loss view: epoch %d, %s loss %s%s, run %s"):format(st.epoch, self.names[1],
    st.step > 0 and ("%.4g"):format(last) or "-", val, st.state)
end

--- plot.loss(run [, opts]) -> view
checker.declare("plot.loss", {"accuracy", "fps", "live", "names", "optimizer", "show", "smooth", "title",
  "window", "ylog"})
local function loss_view(run, opts)
  opts = checker.check("plot.loss", opts)
  local r = as_run(run, "plot.loss")
  local view = setmetatable({
    kind = "loss", run = r, run_t = seekable(run), next_step = 1, epochs_drawn = 0, frames = 0, last_refresh = -math.huge,
    offset = 0, names = opts.names or { "train", "validation" }, title = opts.title or "loss",
    diverged = false, watched = 0,
    optimizer = opts.optimizer or (type(run) == "table" and (rawget(run, "optimizer") or rawget(run, "opt"))) or nil,
  }, Loss)
  view.plot = plot.lines{ title = opts.title or "loss", xlabel = "epoch", ylabel = "loss",
    ylog = opts.ylog, smooth = opts.smooth, show = false }
  -- accuracy: shown when asked (accuracy = true), never with accuracy = false, and
  -- otherwise as soon as the run reports one (it cannot tell before its first epoch)
  if opts.accuracy then
    view.acc_plot = plot.lines{ title = "accuracy", xlabel = "epoch", ylabel = "accuracy", show = false }
  elseif opts.accuracy == false then
    view.acc_plot = false
  end
  if opts.window ~= false then
    local panels = { view.plot, view.acc_plot or nil, title = opts.title or "training", show = opts.show }
    panels.cols = #panels
    view.window = plot.window(panels)
  end
  local seek_key = seek_keys(view)
  view.key = function(_, key) return seek_key(key) end
  if view.window and view.run_t then view.window:on_key(seek_key) end
  view:refresh()
  -- space in the window pauses and resumes a run that trains in the background
  local job = type(run) == "table" and rawget(run, "job")
  if view.window and job then view.window:bind(job) end
  follow_later(view, r)
  if opts.live ~= false then
    view.period = 1 / (opts.fps or 10)
    start_live_loss(view)
  end
  return view
end

---------------------------------------------------------------------------------
-- plot.network: the Playground view
---------------------------------------------------------------------------------

local Network = {}
Network.__index = Network
Network.__name = "network view"

-- The layers of a model as the Playground draws them: the linear modules in order,
-- each followed by the activation (if any) applied to its output.
local function layers_of(m)
  local kids = m:children()
  if #kids == 0 then kids = { m } end
  local layers = {}
  for _, c in ipairs(kids) do
    local info = c:info()
    if info.kind == "linear" then
      layers[#layers + 1] = { linear = c, mods = { c }, inputs = info.inputs, outputs = info.outputs }
    elseif #layers > 0 then
      local l = layers[#layers]
      l.mods[#l.mods + 1] = c
    else
      error(("plot.network: the model starts with a %s; the view needs linear layers first"):format(info.name), 3)
    end
  end
  if #layers == 0 then error("plot.network: the model has no linear layers", 3) end
  return layers
end

-- Appends the columns of h [N, width] (N = res*res) as maps to out: its transpose, a
-- block of width maps that p:maps reads as it is (no Lua number a value).
local function append_maps(out, h)
  out[#out + 1] = h:t()
end

local draw_zoom -- below: the enlarged neuron of view:neuron()

function Network:refresh()
  local r = seekable(self.run)
  if r then return r:with_shown(self._draw, self) end
  return self:_draw()
end

function Network:_draw()
  local layers = layers_of(self.model)
  local sizes, weights = { layers[1].inputs }, {}
  for _, l in ipairs(layers) do
    sizes[#sizes + 1] = l.outputs
    weights[#weights + 1] = l.linear:param(1)
  end
  local p = self.plot
  p:network(sizes, weights)
  -- under each layer its width and activation ("4 tanh"): the diagram alone shows
  -- only sizes, and the activation is what shapes the neurons' maps
  local names = { ("input %d"):format(sizes[1]) }
  for li, l in ipairs(layers) do
    local acts = {}
    for k = 2, #l.mods do acts[#acts + 1] = l.mods[k]:info().name end
    local act = #acts > 0 and (" " .. table.concat(acts, " ")) or ""
    names[li + 1] = li == #layers and ("output %d%s"):format(l.outputs, act) or ("%d%s"):format(l.outputs, act)
  end
  p:layer_names(names)
  self.layer_names = names
  -- the viz labels the input column "input n" only: the title names the features
  -- (the playground changes them while it runs)
  self.title_text = epoch_title(("%s (inputs %s)"):format(self.title, table.concat(input_names(self.flags), ", ")),
    seekable(self.run))
  p:label("title", self.title_text)
  local g = grid_inputs(self.box, self.res, self.flags, self)
  local maps = {}
  -- Every map on the Playground's scale, −1 to 1: inputs divided by the largest
  -- value they take in the box, class outputs as 2p − 1 (so the colour says which
  -- class the neuron votes for); tanh units are there already.
  local span = math.max(math.abs(self.box.xmin), math.abs(self.box.xmax), math.abs(self.box.ymin),
    math.abs(self.box.ymax), 1e-9)
  local top = g:abs():max(1, true)
  append_maps(maps, g / (top + 1e-9 * span))
  local h = g
  for li, l in ipairs(layers) do
    for _, mod in ipairs(l.mods) do h = train.predict(mod, h) end
    if li == #layers and self.classes > 0 then
      local p = last_activation(self.model) and h or (h.shape[2] == 1 and h:sigmoid() or h:softmax(2))
      append_maps(maps, p * 2 - 1)
    else
      -- clamped to [-1, 1] as the Playground does: the viz scales all maps together,
      -- and one ReLU unit at 8 would wash out every other map
      append_maps(maps, (h + 1):relu() - (h - 1):relu() - 1)
    end
  end
  -- the maps in the colours of the surface beside them: a regression's diverging map,
  -- or the two classes' hues
  p:map(self.classes > 0 and "auto" or "diverging")
  p:maps(maps, self.res)
  if self.zoom then draw_zoom(self) end
  self.frames = self.frames + 1
  self.last_refresh = now()
  return self
end

--- view:neuron(layer, i) -> a field plot of one neuron's output over the input plane,
--- large, redrawn with the network view. layer 0 is the inputs, the last the output.
--- Hovering a neuron in the view does the same; the enlarged plot is reused.
function Network:neuron(layer, i)
  local layers = layers_of(self.model)
  local widths = { layers[1].inputs }
  for _, l in ipairs(layers) do widths[#widths + 1] = l.outputs end
  if math.type(layer) ~= "integer" or layer < 0 or layer > #layers then
    error(("neuron: layer must be 0 (the inputs) to %d (the output), got %s"):format(#layers, tostring(layer)), 2)
  end
  if math.type(i) ~= "integer" or i < 1 or i > widths[layer + 1] then
    error(("neuron: layer %d has neurons 1 to %d, got %s"):format(layer, widths[layer + 1], tostring(i)), 2)
  end
  local names = input_names(self.flags)
  local title = layer == 0 and names[i] and ("input %d: %s"):format(i, names[i])
    or ("layer %d, neuron %d"):format(layer, i)
  local z = self.zoom
  if z then
    -- one enlarged neuron at a time: hovering from node to node retitles it
    z.layer, z.index, z.title = layer, i, title
    z.plot:label("title", title)
    local w = z.plot:window()
    if w and not w:is_open() then w:show() end -- closed by the user: back it comes
  else
    self.zoom = { layer = layer, index = i, n = 80, title = title,
      plot = plot.field{ title = title, xlabel = "x1", ylabel = "x2", show = true } }
  end
  self:refresh()
  return self.zoom.plot
end

-- Draws the enlarged neuron: its column of the layer's output on its own grid.
function draw_zoom(self)
  local z = self.zoom
  local g = grid_inputs(self.box, z.n, self.flags, z)
  local h = g
  local layers = layers_of(self.model)
  for li = 1, z.layer do
    for _, mod in ipairs(layers[li].mods) do h = train.predict(mod, h) end
  end
  if z.layer == #layers and self.classes > 0 and not last_activation(self.model) then
    h = h.shape[2] == 1 and h:sigmoid() or h:softmax(2)
  end
  local pick = {} -- a column of zeros with a 1 at the neuron: h·pick is its output
  for k = 1, h.shape[2] do pick[k] = { k == z.index and 1 or 0 } end
  z.plot:grid(h:matmul(nncore.tensor(pick)):reshape{ z.n, z.n }, self.box.xmin, self.box.xmax,
    self.box.ymin, self.box.ymax)
end

function Network:__tostring()
  local layers = layers_of(self.model)
  local sizes = { layers[1].inputs }
  for _, l in ipairs(layers) do sizes[#sizes + 1] = l.outputs end
  return ("network view: %s, maps over x1 %.3g..%.3g, x2 %.3g..%.3g, %d frames"):format(
    table.concat(sizes, "-"), self.box.xmin, self.box.xmax, self.box.ymin, self.box.ymax, self.frames)
end

function Network:save(path, w, h)
  self:refresh()
  return self.plot:save(path, w, h)
end

--- plot.network(model [, data] [, opts]) -> view; plot.network{sizes=...} is the bare
--- panel. The neurons' maps cover the box of data (opts.data, or the data of the last
--- plot.decision of this model), or opts.box, else -1..1.
checker.declare("plot.network(model)", {"box", "classes", "data", "features", "fps", "live", "res", "run", "show",
  "title"}, 0, "plot.network")
local function network_view(model, data, opts)
  if opts == nil and type(data) == "table" and getmetatable(data) == nil
      and not (rawget(data, "dataset") or rawget(data, "_dataset") or rawget(data, "set")) then
    data, opts = nil, data
  end
  opts = checker.check("plot.network(model)", opts)
  local m = as_module(model, "plot.network")
  data = data or opts.data
  local trained = train.trained_on and train.trained_on[m]
  local box = opts.box or (data and data_box(as_dataset(data, "plot.network"):x())) or model_boxes[m]
    or (trained and trained:info().nx == 2 and data_box(trained:x()))
    or { xmin = -1, xmax = 1, ymin = -1, ymax = 1 }
  local view = setmetatable({
    kind = "network", model = m, box = box,
    res = opts.res or 24, flags = feature_flags(opts.features), classes = opts.classes or 2,
    frames = 0, last_refresh = -math.huge, run = seekable(opts.run),
  }, Network)
  view.title = opts.title or "network"
  view.plot = plot.network{ title = view.title, show = opts.show }
  local seek_key = seek_keys(view)
  view.key = function(_, key) return seek_key(key) end
  local win = view.run and opts.show ~= false and view.plot:window()
  if win then win:on_key(seek_key) end
  -- hovering a neuron shows its output over the input plane, large (as the
  -- Playground does); only a move to another neuron recomputes it
  view.plot:on_hover(function(_, _, info)
    local z = view.zoom
    if info.layer and info.node and not (z and z.layer == info.layer and z.index == info.node) then
      view:neuron(info.layer, info.node)
    end
  end)
  view:refresh()
  if opts.live ~= false then view.job = keep_fresh(view, opts.fps or 10) end
  return view
end

views.decision, views.loss, views.network = decision, loss_view, network_view

-- v.refresh() for v:refresh() is told so, not met by "attempt to index" in here
local util = require "util"
util.guard_methods(Decision, "view")
util.guard_methods(Loss, "view")
util.guard_methods(Network, "view")

return views
