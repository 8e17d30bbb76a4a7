-- pg_history.lua: the playground run's history for scrubbing (issue 12): snapshots of
-- the net's weights as it trains (every epoch at first; past MAX of them every other
-- one is dropped and the stride doubles, so that an endless run keeps a bounded history), pg.run:seek(epoch)
-- to show the net as it was then (training pauses: the views draw the old weights),
-- and the slider along the bottom of the playground's window (scrub.lua) to drag
-- through them, or the arrow keys in it (left, right, Home, End). The playground's nets have no batch norm: the parameters are the state.
local scrub = require "scrub"
local assign = require("nn.train").assign

local M = {}
local MAX = 64 -- snapshots kept

local function epoch_of(pg)
  return (rawget(pg, "_epochs") or 0) + pg.raw_run:status().epoch
end

-- A snapshot of m's parameters, copied into reused (a state dropped from the history,
-- of the same net) when there is one: a small net takes a snapshot nearly every slice.
-- params: m's parameter tensors when the caller keeps them (m:parameters() makes a
-- table and a tensor object for each at every call: garbage at every slice).
local function take(m, reused, params)
  local s = reused or {}
  for i, p in ipairs(params or m:parameters()) do
    if s[i] then assign(s[i], p) else s[i] = p:copy() end
  end
  return s
end
local function put(m, s)
  for i, p in ipairs(m:parameters()) do assign(p, s[i]) end
end

-- The slider's view of the playground: its positions, the epoch shown, and seeking
-- (one a history, so that the slider's handler is set once).
local function source(pg)
  local h = rawget(pg, "_hist")
  if h.source then return h.source end
  h.source = {
    positions = function()
      local now, list = epoch_of(pg), {}
      for _, e in ipairs(h.epochs) do if e < now then list[#list + 1] = e end end
      list[#list + 1] = now
      return list, now
    end,
    shown = function() return pg.run:shown_epoch() end,
    seek = function(e) pg.run:seek(e) end,
  }
  return h.source
end

--- attach(pg): starts the history of pg's run (at epoch 0, the net's first weights).
function M.attach(pg)
  rawset(pg, "_hist", {epochs = {}, states = {}, stride = 1, model = pg.model, last = -math.huge,
    spare = {}})
  M.record(pg)
end

--- record(pg): after a slice of training, a snapshot when an epoch on the stride ended
--- (a new net or a new run starts the history again). -> true when the slider was set
--- (the playground then draws its status line, so that the two name one epoch).
function M.record(pg)
  local h = rawget(pg, "_hist")
  if not h then return end
  -- training resumed (space) while an old epoch was shown: the views show it live again
  if rawget(pg, "_seek_epoch") and pg.job and pg.job.state == "running" then rawset(pg, "_seek_epoch", nil) end
  local e = epoch_of(pg)
  if h.model ~= pg.model or e < h.last then
    h.epochs, h.states, h.stride, h.model, h.last = {}, {}, 1, pg.model, -math.huge
    h.spare = {} -- states of the old net do not fit the new one
    h.params = nil
    rawset(pg, "_seek_epoch", nil)
  end
  -- a slice trains many epochs of a small net: a snapshot once stride epochs passed
  if e < h.last + h.stride then return false end
  h.last = e
  local spare = h.spare
  -- the net's parameter tensors, asked for once a net (they are the same tensors for
  -- as long as it lives)
  if not h.params then h.params = pg.model:parameters() end
  h.states[e] = take(pg.model, table.remove(spare), h.params)
  h.epochs[#h.epochs + 1] = e
  while #h.epochs > MAX do
    h.stride = h.stride * 2
    local kept = {}
    for i, k in ipairs(h.epochs) do -- every other one, the first (epoch 0) kept
      if i % 2 == 1 then kept[#kept + 1] = k else spare[#spare + 1] = h.states[k]; h.states[k] = nil end
    end
    h.epochs = kept
  end
  return scrub.set(pg.window, source(pg), pg.raw_run:status().state == "running")
end

--- label(pg): the slider's label names the epoch the status line names (the playground
--- calls it with each new status line); between snapshots only the text changes.
function M.label(pg)
  local h = rawget(pg, "_hist")
  if h and h.source and pg.window then scrub.label(pg.window, h.source) end
end

-- The methods pg.run gains (the playground run's class).
local Methods = {}

--- pg.run:snapshots() -> {epochs = {...}, stride =}: the epochs whose weights it keeps
function Methods.snapshots(run)
  local h = rawget(run.pg, "_hist") or {epochs = {}, stride = 1}
  return {epochs = table.move(h.epochs, 1, #h.epochs, 1, {}), stride = h.stride}
end

--- pg.run:shown_epoch() -> the epoch the views show
function Methods.shown_epoch(run)
  return rawget(run.pg, "_seek_epoch") or epoch_of(run.pg)
end

--- pg.run:seek(epoch | "latest") -> the epoch shown: the views draw the net as it was
--- after that epoch (the nearest snapshot at or before it); training pauses while an
--- old epoch is shown, and "latest" shows the net as it is now.
function Methods.seek(run, e)
  local pg = run.pg
  local h = rawget(pg, "_hist")
  local now = epoch_of(pg)
  if e == "latest" or e == nil or e == now then
    rawset(pg, "_seek_epoch", nil)
    pg:refresh()
  else
    if math.type(e) ~= "integer" or e < 0 or e > now then
      error(("run:seek: expected an epoch from 0 to %d or \"latest\", got %s"):format(now, tostring(e)), 2)
    end
    local pick
    for _, k in ipairs(h and h.epochs or {}) do if k <= e then pick = k end end
    if not pick then error(("run:seek: no weights kept at or before epoch %d"):format(e), 2) end
    if pg.job and pg.job.state == "running" then pg.job:pause() end
    rawset(pg, "_seek_epoch", pick)
    local live = take(pg.model)
    put(pg.model, h.states[pick])
    local ok, err = pcall(function()
      pg.views.decision:refresh()
      pg.views.network:refresh()
    end)
    put(pg.model, live)
    if not ok then error(err, 0) end
    pg.window:status(("epoch %d shown (of %d): drag the slider, or \"latest\""):format(pick, now))
    rawset(pg, "_status", false) -- the playground's own line is drawn again at "latest"
  end
  scrub.set(pg.window, source(pg))
  return run:shown_epoch()
end

--- pg.run:step_back() / pg.run:step_forward() -> the epoch shown: one kept snapshot
--- earlier or later (the left and right arrow keys in the playground's window); past
--- the last one the net as it is now
function Methods.step_back(run)
  local h, cur = rawget(run.pg, "_hist"), run:shown_epoch()
  local pick
  for _, k in ipairs(h and h.epochs or {}) do if k < cur then pick = k end end
  if pick then return run:seek(pick) end
  return cur
end
function Methods.step_forward(run)
  local h, cur, now = rawget(run.pg, "_hist"), run:shown_epoch(), epoch_of(run.pg)
  for _, k in ipairs(h and h.epochs or {}) do
    if k > cur and k < now then return run:seek(k) end
  end
  return run:seek("latest")
end

--- pg.run:key(key) -> true when the key moved through the history: left and right
--- arrows, Home (epoch 0) and End (the latest), as in every run's window
function Methods.key(run, key) return scrub.key(run, key) end

--- install(run_class): adds the methods above to the playground run's class.
function M.install(run_class)
  for k, f in pairs(Methods) do run_class[k] = f end
end

return M
