-- soak.lua: resident memory over a long session (issue 17): the playground trains the
-- spiral with its views open (decision, network, loss: the loss curve is pushed to
-- all along), a job changes hyper-parameters every few seconds (lr, l2, the batch,
-- which makes a new run), and a lines plot of its own is pushed to each step. The
-- prompt's loop is driven as at the prompt (job slices, then plot.pump). Resident
-- memory (from /proc/self/statm) is sampled every SAMPLE seconds and printed as it
-- goes, then the curve's growth. A benchmark, not a test:
--   SDL_VIDEODRIVER=dummy nnlab bench/soak.lua [SECONDS [SAMPLE]]
-- SECONDS defaults to 3600 (the hour the issue asks for) and SAMPLE to 60, or to a
-- tenth of SECONDS when that is shorter than ten minutes.
local seconds = tonumber(arg and arg[1]) or 3600
local sample = tonumber(arg and arg[2]) or (seconds < 600 and seconds / 10 or 60)
local now = require("repl.core").now
local page_kb = 4

local function resident_mb()
  local f = io.open("/proc/self/statm")
  if not f then return 0 end
  local _, res = f:read("n", "n")
  f:close()
  return res * page_kb / 1024
end

repl.interactive = true
nn.seed(1)
local pg = playground { data = "spiral", hidden = { 8, 8 }, activation = "tanh", lr = 0.03,
  features = { "x1", "x2", "x1^2" }, batch = 10, grid = 100 }
local pushed = plot.lines { title = "pushed each slice" }
local steps = 0

-- the job that changes settings as a student would, every two seconds
local changes = 0
local settings = {
  function() pg.lr = 0.01 end, function() pg.lr = 0.03 end, function() pg.l2 = 0.001 end,
  function() pg.l2 = 0 end, function() pg.batch = 20 end, function() pg.batch = 10 end,
}
local changer = spawn(function()
  local t_next = now() + 2
  while true do
    if now() >= t_next then
      changes = changes + 1
      settings[(changes - 1) % #settings + 1]()
      t_next = now() + 2
    end
    coroutine.yield()
  end
end, "soak: settings")

local t0 = now()
local base, peak = resident_mb(), 0
local rows = {}
print(("minute  resident MB  Lua heap MB  steps  changes   (start %.1f MB, a sample every %gs)")
  :format(base, sample))
local t_sample = t0 + sample
while now() - t0 < seconds do
  repl._jobs_step(0.02)
  plot.pump()
  local st = pg.raw_run:status()
  steps = steps + 1
  pushed:push("slice", st.last_loss == st.last_loss and st.last_loss or 0)
  if now() >= t_sample then
    local r = resident_mb()
    peak = math.max(peak, r)
    rows[#rows + 1] = r
    print(("%6.2f  %11.1f  %11.1f  %5d  %7d"):format((now() - t0) / 60, r,
      collectgarbage("count") / 1024, st.step, changes))
    io.stdout:flush()
    t_sample = t_sample + sample
  end
end
changer:stop()
pg:stop()
pg.window:close()
repl.interactive = false
local half = rows[math.max(1, #rows // 2)] or base
print(("peak %.1f MB; %.1f MB above the start; second half grew %.1f MB; %d slices, %d changes")
  :format(peak, peak - base, (rows[#rows] or base) - half, steps, changes))
