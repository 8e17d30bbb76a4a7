-- views_lm.lua: text sampled live while a language model trains (plot.lm_samples): a
-- window with a text panel, lines sampled from the model at a few temperatures
-- redrawn every `every` training steps, beside the loss curve in bits per character
-- with the corpus's unigram entropy drawn as the line to beat. The view refreshes
-- from fit's on_step (view.on_step: live in a foreground fit as well) or by itself
-- at the prompt while a background run trains (run =); it follows run:seek as the
-- other views of a run do (views_data.follow_run): the samples of a past epoch come
-- from that epoch's weights. Each refresh draws with the same seed, so that from one
-- refresh to the next only the model changes, not the dice.
local plot = require "plot"
local checker = require "options"
local check = require "argcheck"
local views_data = require "views_data"

local M = {}
local LN2 = math.log(2)

local describe = check.describe
local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

--- M.unigram_bits(corpus) -> the entropy -Σ p log2 p of the corpus's token
--- frequencies: the bits per character of a model that knows only how often each
--- character occurs (the baseline a language model must beat)
function M.unigram_bits(c)
  local n, h = 0, 0
  for _, k in ipairs(c.vocab.counts) do n = n + k end
  for _, k in ipairs(c.vocab.counts) do
    if k > 0 then h = h - k / n * math.log(k / n) / LN2 end
  end
  return h
end

-- A run of m:fit (its table, not the engine's), or nil.
local function as_run(r)
  return type(r) == "table" and type(r.status) == "function" and type(r.losses) == "function" and r or nil
end

local View = {}
View.__index = View
View.__name = "lm samples view"

-- The text panel's lines: the heading, then each temperature's samples, a few a line.
local PER_LINE = 3
local function sample_text(view)
  local out, wide = {view.heading}, 8
  for _, s in ipairs(view.samples) do
    for _, l in ipairs(s.lines) do wide = math.max(wide, utf8.len(l) or #l) end
  end
  for _, s in ipairs(view.samples) do
    out[#out + 1] = ""
    out[#out + 1] = ("T = %g%s"):format(s.temperature, s.temperature < 0.5 and "  (cold: the likeliest, repetitive)"
      or s.temperature > 1.5 and "  (hot: flatter, random)" or "")
    for i = 1, #s.lines, PER_LINE do
      local row = {}
      for j = i, math.min(#s.lines, i + PER_LINE - 1) do row[#row + 1] = s.lines[j] .. (" "):rep(wide + 2 - (utf8.len(s.lines[j]) or #s.lines[j])) end
      out[#out + 1] = "  " .. table.concat(row, " "):gsub("%s+$", "")
    end
  end
  return table.concat(out, "\n")
end

-- Draws new samples from the model (of the epoch the run shows, when it was seeked).
function View:_sample()
  local text = require "text"
  local function draw()
    local out = {}
    for i, temp in ipairs(self.temperatures) do
      local lines = text.lm_sample(self.model, self.corpus, {n = self.n, temperature = temp, top_k = self.top_k,
        max_len = self.max_len, prefix = self.prefix, seed = self.seed + i - 1})
      out[i] = {temperature = temp, lines = lines}
    end
    return out
  end
  local r = self.run
  if r and type(r.with_shown) == "function" then return r:with_shown(draw) end
  return draw()
end

-- Appends the losses of the steps not drawn yet, averaged over chunks of a tenth of
-- `every` steps (the curve keeps its shape between two refreshes of the samples), in
-- bits per character (the run's loss is in nats).
function View:_push_losses()
  local r = self.run
  if not r then return end
  local shown = rawget(r, "_seek_epoch")
  if shown ~= self.marked then -- a seek: the curve again, marked at the epoch shown
    self.loss:clear()
    self.next_step, self.baseline_to, self.marked, self.started = 1, 0, shown, false
    if shown then
      self.loss:marker(shown * math.max(1, r:status().steps_per_epoch), ("epoch %d shown"):format(shown))
    end
  end
  local losses = r:losses(self.next_step)
  if not self.started and losses[1] and losses[1] == losses[1] then -- where it starts: above the baseline
    self.loss:push("train", losses[1] / LN2, 1)
    self.started = true
  end
  local k = math.max(1, self.every // 10)
  local i = 1
  while i + k - 1 <= #losses do
    local s = 0
    for j = i, i + k - 1 do s = s + losses[j] end
    local x = self.next_step + i + k - 2
    if s == s and s < math.huge then
      self.loss:push("train", s / k / LN2, x)
      self.last_bits = s / k / LN2
    end
    i = i + k
  end
  self.next_step = self.next_step + i - 1
  local last = self.next_step - 1
  if last > self.baseline_to then -- the unigram line spans the steps drawn
    self.loss:add("unigram baseline", {self.baseline_to, last}, {self.baseline, self.baseline})
    self.baseline_to = last
  end
end

--- view:refresh() -> view: new samples from the model as it is now (or at the epoch
--- run:seek chose), and the loss curve up to the run's last step
function View:refresh()
  self.samples = self:_sample()
  local r = self.run
  local where = "untrained"
  if r then
    local st = r:status()
    self:_push_losses()
    local shown = rawget(r, "_seek_epoch")
    if shown then
      where = ("epoch %d (run:seek; the run is at step %d)"):format(shown, st.step)
    elseif st.step > 0 then
      local epochs = rawget(r, "epochs") or st.epoch
      where = ("step %d, epoch %d of %d: loss %.2f bits/char"):format(st.step, math.min(st.epoch + 1, epochs),
        epochs, self.last_bits or 0 / 0)
    end
    self.step = st.step
  end
  self.heading = ("%s; unigram %.2f"):format(where, self.baseline)
  self.panel:text(sample_text(self))
  self.refreshes = self.refreshes + 1
  return self
end

-- Follows run r: seek (and the arrow keys) redraw the view; at the prompt a job
-- refreshes it every `every` steps while r trains in the background, unless fit's
-- on_step does (by_step).
function View:_follow(r, by_step)
  if self.run == r then return end
  self.run, self.next_step, self.baseline_to, self.started = r, 1, 0, false
  self.loss:clear()
  if type(r.with_shown) == "function" then
    views_data.follow_run(r, self, self.panel, {show = self.show})
  end
  if self.window and self.show ~= false and rawget(r, "job") then self.window:bind(r.job) end -- space pauses it
  if interactive() and self.window and rawget(r, "job") and not by_step then
    spawn(function()
      local drawn = -1
      while self.window:is_open() do
        local st = r:status()
        if st.step - drawn >= self.every or (st.state ~= "running" and st.step ~= drawn) then
          drawn = st.step
          if not rawget(r, "_seek_epoch") then self:refresh() end
        end
        if st.state ~= "running" then return end
        coroutine.yield()
      end
    end, "lm samples view")
  end
end

--- view:save(path): the window (samples and loss curve) as a PNG
function View:save(path)
  if self.window then return self.window:save(path) end
  return self.panel:save(path)
end

function View:__tostring()
  return ("lm samples view: %d temperatures, %d samples each, step %d"):format(#self.temperatures, self.n, self.step)
end

checker.declare("plot.lm_samples", {"run", "temperatures", "n", "every", "max_len", "top_k", "prefix", "seed",
  "title", "show"})
--- plot.lm_samples(model, corpus [, {run =, temperatures = {0.2, 1, 2}, n = 6, every = 100,
--- max_len = 20, top_k =, prefix = "", seed = 1, title =, show =}]) -> view: lines
--- sampled from a character model at each temperature, redrawn every `every`
--- training steps, beside the loss in bits per character and the unigram baseline.
--- Live during m:fit{..., on_step = view.on_step} (foreground or background), or
--- with run = a background run at the prompt; run:seek redraws it.
function M.lm_samples(m, c, opts)
  opts = checker.check("plot.lm_samples", opts, 2)
  local ok = pcall(function() return m.predict end)
  if not (ok and m.predict) then error("plot.lm_samples: expected a language model, got " .. describe(m), 2) end
  if type(c) ~= "table" or type(c.vocab) ~= "table" then
    error("plot.lm_samples: expected the corpus the model learns (text.word_list(), data.text(...)), got " .. describe(c), 2)
  end
  local temps = opts.temperatures or {0.2, 1, 2}
  if type(temps) ~= "table" or #temps == 0 then
    error("plot.lm_samples: temperatures must be a list of numbers > 0, got " .. describe(temps), 2)
  end
  for i, t in ipairs(temps) do
    if type(t) ~= "number" or not (t > 0) then
      error(("plot.lm_samples: temperature %d must be a number > 0, got %s"):format(i, describe(t)), 2)
    end
  end
  local function whole(key, default)
    local v = opts[key]
    if v == nil then return default end
    if math.type(v) ~= "integer" or v < 1 then
      error(("plot.lm_samples: %s must be a whole number > 0, got %s"):format(key, describe(v)), 3)
    end
    return v
  end
  local run = opts.run
  if run ~= nil and not as_run(run) then error("plot.lm_samples: run must be a run (m:fit{...} gives one), got " .. describe(run), 2) end
  local view = setmetatable({kind = "lm samples", model = m, corpus = c, temperatures = temps, n = whole("n", 6),
    every = whole("every", 100), max_len = whole("max_len", 20), top_k = opts.top_k, prefix = opts.prefix or "",
    seed = opts.seed or 1, show = opts.show, step = 0, refreshes = 0, next_step = 1, baseline_to = 0,
    baseline = M.unigram_bits(c)}, View)
  if view.top_k ~= nil then whole("top_k") end
  if math.type(view.seed) ~= "integer" then error("plot.lm_samples: seed must be a whole number, got " .. describe(opts.seed), 2) end
  if type(view.prefix) ~= "string" then error("plot.lm_samples: prefix must be a string, got " .. describe(opts.prefix), 2) end
  view.panel = plot.text{text = "", title = "samples at each temperature T", show = false}
  view.loss = plot.lines{title = "loss", xlabel = "step", ylabel = "bits per character", show = false}
  view.window = plot.window{view.panel, view.loss, cols = 2, width = 1100, height = 420,
    title = opts.title or "a language model: samples while it trains", show = opts.show}
  --- view.on_step: give it to fit (on_step = view.on_step): the view follows that run
  --- and redraws every `every` steps
  local last = -math.huge
  view.on_step = function(r)
    if view.run ~= r then view:_follow(r, true) end
    local st = r:status()
    local final = st.step >= (rawget(r, "epochs") or math.huge) * st.steps_per_epoch
    if st.step - last >= view.every or final then
      last = st.step
      if not rawget(r, "_seek_epoch") then view:refresh() end
      if not coroutine.isyieldable() then plot.pump() end -- a foreground fit: the window draws now
    end
  end
  if run then view:_follow(run) end
  view:refresh()
  return view
end

plot.lm_samples = M.lm_samples
return M
