-- test_pg_label.lua: the playground's slider label names the epoch its status line
-- names. Snapshots (and the slider's positions with them) come only every stride
-- epochs; the label was set only then, and said 'epoch 2026 (latest)' under 'epoch
-- 2307'. Each new status line now sets the label's text alone: the positions, and so
-- the panels' places, change only with a snapshot. Offscreen; the job driven by hand.

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

repl.interactive = true -- the job trains in chunks only at the prompt
nn.seed(3)
local pg = playground{ data = "xor", n = 40, hidden = { 3 }, batch = 10, speed = 0, grid = 20, fps = 100 }

-- what the window is told, as it is told: status lines and the slider's calls
local window = pg.window
local label, calls = nil, {}
pg.window = setmetatable({}, { __index = function(_, k)
  if k == "status" then
    return function(_, text)
      calls[#calls + 1] = { status = text }
      return window:status(text)
    end
  elseif k == "slider" then
    return function(_, n, ...)
      if n ~= nil then label = select(2, ...) end
      return window:slider(n, ...)
    end
  end
  local v = window[k]
  if type(v) == "function" then return function(_, ...) return v(window, ...) end end
  return v
end })

local function epoch_in(text) return text and tonumber(text:match("^epoch (%d+)")) end

-- trains until the stride has grown past the epochs of a few status lines, checking
-- after each pass that the label, once there is a slider, names the status line's epoch
local checked, deadline = 0, os.clock() + 60
while checked < 20 or pg._hist.stride < 64 do
  local n_before = #calls
  repl._jobs_step(0) -- one pass: one slice of the job
  expect(pg.job.state == "running", "the job %s: %s", pg.job.state, tostring(pg.job.error))
  -- a pass that drew a status line: the label says its epoch, once there is a slider
  -- at the latest epoch (the snapshot of a pass comes before its line)
  local c = calls[#calls]
  local n, pos = window:slider()
  if #calls > n_before and n >= 2 and pos == n then
    expect(epoch_in(label) == epoch_in(c.status), "the slider says %q under %q", tostring(label), c.status)
    checked = checked + 1
  end
  expect(os.clock() < deadline, "%d lines checked, stride %d after 60 s of CPU", checked, pg._hist.stride)
end
pg.run:pause()
-- paused: the last line and the label name one epoch (a slider set anew at a snapshot
-- draws the line too)
expect(epoch_in(label) == epoch_in(calls[#calls].status), "paused: the slider says %q under %q", tostring(label),
  calls[#calls].status)
-- the text alone changed: the panels are where they were
local x, y, w, h = window:cell(2)
pg:refresh()
local x2, y2, w2, h2 = window:cell(2)
expect(x == x2 and y == y2 and w == w2 and h == h2, "the decision panel moved: %d %d %d %d -> %d %d %d %d",
  x, y, w, h, x2, y2, w2, h2)

pg:stop()
pg.window = window
pg.window:close()
repl.interactive = false
print(("pg_label: ok (%d status lines checked, stride %d)"):format(checked, pg._hist.stride))
