-- scrub.lua: the slider along the bottom of every window that shows a view of a run
-- (m:fit's), for scrubbing through the run's snapshots with the mouse: one position a
-- kept snapshot (0 is before training) and a last one for the model as it is now.
-- Dragging or clicking it seeks the run (run:seek), as the arrow keys do (scrub.key: the
-- keys of every run's windows, the playground's included); the run calls
-- scrub.update after each snapshot and each seek, so the knob follows them. The
-- windows are found through the run's views (view.plot:window()), so that a view moved
-- into a bigger window (the playground's) takes the slider along.
local M = {}

-- The positions of a run: its snapshots' epochs, then the epoch it has reached.
function M.positions(run)
  local now = run._r:status().epoch
  local list = {}
  for _, e in ipairs(run._snaps and run._snaps.epochs or {}) do
    if e < now then list[#list + 1] = e end
  end
  list[#list + 1] = now
  return list, now
end

-- The windows showing a view of run.
local function windows(run)
  local out = {}
  for view in pairs(run._views or {}) do
    local p = rawget(view, "plot")
    local ok, w = pcall(function() return p:window() end)
    if ok and w and w:is_open() ~= nil then out[w] = true end
  end
  return out
end

local clock = os.clock
local MIN_GAP = 0.1 -- seconds of CPU between the updates an epoch's end asks for

--- scrub.set(win, src [, soon]): the slider of a source of history in window win:
--- src.positions() -> the epochs (kept snapshots, then the latest) and the latest;
--- src.shown() -> the epoch shown; src.seek(epoch | "latest"). soon (an epoch's end):
--- at most every MIN_GAP, since small nets end thousands of epochs a second. -> true
--- when the slider was set (false: too soon).
local last_set = setmetatable({}, {__mode = "k"})
local slid = setmetatable({}, {__mode = "k"}) -- window -> the source its handler seeks
function M.set(win, src, soon)
  if soon then
    local t = clock()
    if t - (last_set[win] or -1) < MIN_GAP then return false end
    last_set[win] = t
  end
  local list, now = src.positions()
  local shown = src.shown()
  local pos = #list
  for i, e in ipairs(list) do if e == shown then pos = i end end
  if #list < 2 then win:slider(0); return true end
  local text = shown == now and ("epoch %d (latest)"):format(now) or ("epoch %d of %d"):format(shown, now)
  win:slider(#list, pos, text)
  if slid[win] ~= src then -- the handler once a source (a run's history) and window
    slid[win] = src
    win:on_slide(function(k)
      local l = src.positions()
      src.seek(k >= #l and "latest" or l[math.max(1, k)])
    end)
  end
  return true
end

--- scrub.label(win, src): the label of win's slider names the epoch reached now, when
--- the slider shows the latest (src as for scrub.set). Its positions stay as they are:
--- snapshots come every stride epochs, and the label said 'epoch 2026 (latest)' under a
--- status line at epoch 2307 until the next one; a new count of positions, or a slider
--- where there was none, would move the panels (the strip comes with the second position).
function M.label(win, src)
  local n, pos = win:slider()
  if n < 2 or pos ~= n then return end
  local now = select(2, src.positions())
  if src.shown() ~= now then return end
  win:slider(n, pos, ("epoch %d (latest)"):format(now))
end

-- The keys of a run's windows, as the windows report them (SDL's key codes).
M.KEY_LEFT, M.KEY_RIGHT = "key1073741904", "key1073741903"
M.KEY_HOME, M.KEY_END = "key1073741898", "key1073741901"

--- scrub.key(run, key) -> true when key moved through the history of run (a run of
--- m:fit or the playground's): left and right one kept snapshot back and forward, Home
--- the first (epoch 0), End the latest; false for any other key.
function M.key(run, key)
  if key == M.KEY_LEFT or key == "left" then run:step_back()
  elseif key == M.KEY_RIGHT or key == "right" then run:step_forward()
  elseif key == M.KEY_HOME or key == "home" then
    local first = run:snapshots().epochs[1]
    if first then run:seek(first) end
  elseif key == M.KEY_END or key == "end" then run:seek("latest")
  else return false end
  return true
end

-- A run of m:fit as a source.
local function run_source(run)
  return {positions = function() return M.positions(run) end,
    shown = function() return run:shown_epoch() end,
    seek = function(e) run:seek(e) end}
end

--- scrub.update(run [, soon]): the slider of run's history in each window of its views.
function M.update(run, soon)
  for w in pairs(windows(run)) do M.set(w, run_source(run), soon) end
end

return M
