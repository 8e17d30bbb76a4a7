-- test_live_status.lua: live status lines keep the last losses they knew while
-- training goes on. 1. The playground's line (lua/playground.lua) across its chunks of
-- 1000 epochs. At the prompt training goes on in runs of 1000 epochs, each
-- continuing the last; right after a run rolls over, the new one has no step and no
-- epoch yet, and the line must keep the last losses it knew (it showed "train loss –
-- test loss –" at epoch 2000). Back from a seek to an old epoch, the line is the
-- latest's again. A new net (pg:reset()) has no losses: the dashes again.
-- Offscreen (SDL_VIDEODRIVER=dummy); the job is driven by hand, as the prompt does.
-- 2. A fit's line (run:progress_line(): the status above the prompt, the job's name in
-- jobs()) between two epochs, where the epoch just begun has no loss of its own yet.

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

repl.interactive = true -- the job trains in chunks only at the prompt
nn.seed(3)
-- 20 training points in batches of 10: an epoch is two steps, a chunk 2000 steps
local pg = playground{ data = "xor", n = 40, hidden = { 3 }, batch = 10, speed = 0, grid = 20 }

-- every line the window is given, as it is given
local lines = {}
local window = pg.window
pg.window = setmetatable({}, { __index = function(_, k)
  if k == "status" then
    return function(_, text) lines[#lines + 1] = text; return window:status(text) end
  end
  local v = window[k]
  if type(v) == "function" then return function(_, ...) return v(window, ...) end end
  return v
end })

local DASHES = "loss –"
local function epoch_of(line) return tonumber(line:match("^epoch (%d+)")) end

-- Drives the job until the epoch passes `target`; after every slice the line is made
-- again as a redraw would make it, so that the slice right after a rollover is seen
-- (the job itself redraws the line at most 10 times a second).
local rollovers, after_rollover = 0, {}
local function train_to(target)
  local deadline = os.clock() + 60
  while true do
    local run = pg.raw_run
    repl._jobs_step(0) -- one pass: one slice of the job
    expect(pg.job.state == "running", "the job %s: %s", pg.job.state, tostring(pg.job.error))
    pg:refresh()
    local line = lines[#lines]
    if pg.raw_run ~= run then
      rollovers = rollovers + 1
      expect(pg.raw_run:status().step == 0, "the new chunk's run trained before the line was made")
      after_rollover[#after_rollover + 1] = line
    end
    if epoch_of(line) >= target then return end
    expect(os.clock() < deadline, "epoch %d after 60 s of CPU (wanted %d)", epoch_of(line), target)
  end
end

expect(lines[#lines] == nil or lines[#lines]:find(DASHES, 1, true),
  "before the first epoch there is no loss to show: %s", tostring(lines[#lines]))
train_to(2100)
expect(rollovers >= 2, "crossed %d chunk boundaries, wanted 2", rollovers)
for i, line in ipairs(after_rollover) do
  expect(epoch_of(line) == 1000 * i, "rollover %d at %s", i, line)
end
-- once both losses are known, no line the window was given has a dash
local known = false
for _, line in ipairs(lines) do
  if not known and line:find("train loss %d") and line:find("test loss %d") then known = true end
  expect(not (known and line:find(DASHES, 1, true)), "a dash after the losses were known: %s", line)
end
expect(known, "no line with both losses: %s", lines[#lines])
-- the line right after a rollover shows the previous chunk's last epoch
local h_line = after_rollover[2]
expect(h_line:find("train loss 0%.%d%d%d%d") and h_line:find("test loss 0%.%d%d%d%d"),
  "at epoch 2000: %s", h_line)

-- back from an old epoch (the slider, Home then End) while paused: the line of the
-- latest epoch again, not the seek's "epoch 0 shown"
pg.run:pause()
pg:refresh()
local latest = lines[#lines]
pg.run:seek(0)
expect(lines[#lines]:find("^epoch 0 shown"), "seek(0): %s", lines[#lines])
pg.run:seek("latest")
expect(lines[#lines] == latest, "back at the latest epoch: %s (was %s)", lines[#lines], latest)

-- a new net: its losses are not known yet, the line says so
pg:stop()
pg:reset()
expect(pg.raw_run:status().step == 0, "the reset run has not stepped")
expect(lines[#lines]:find("train loss –    test loss –", 1, true), "after reset: %s", lines[#lines])
pg:stop()
pg.window = window
pg.window:close()
repl.interactive = false

-- 2. a full-batch run: every slice of a background fit ends at an epoch's end
nn.seed(1)
local m = nn.sequential{ nn.linear(2, 4), nn.tanh(), nn.linear(4, 1) }
local run = m:fit{ data.xor{ n = 100 }, loss = nn.bce, epochs = 3, batch = 100, verbose = false }
local st = run:status()
expect(st.epoch == 3 and st.step_in_epoch == 0, "epoch %d, step %d of it", st.epoch, st.step_in_epoch)
local h = run.history
local line = run:progress_line()
expect(line:find(("loss %.4f"):format(h.loss[3]), 1, true), "between epochs: %s (epoch 3's loss %.4f)", line, h.loss[3])
expect(line:find(("acc %.4f"):format(h.acc[3]), 1, true), "between epochs: %s (epoch 3's acc %.4f)", line, h.acc[3])
print(("ok: %d chunk boundaries crossed, %d status lines, none with a dash once known"):format(rollovers, #lines))
