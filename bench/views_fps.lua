-- views_fps.lua: the cost of watching a net learn (issue 6). Trains the playground
-- net of the issue (spiral, hidden {8, 8}, tanh, features x1, x2, x1^2, batch 10)
-- three ways for SECONDS each and prints training steps a second:
--   1. no views: the run alone, in slices of 8 ms as the playground's job takes them;
--   2. the playground with its views at their default rates (decision 15 Hz, network
--      7.5 Hz, loss 10 Hz) and a 200 x 200 decision grid;
--   3. the same with the decision view uncapped (fps = 1000): the frames a second
--      the 200 x 200 decision view reaches while the net trains;
--   4. the playground's job with its views never redrawn (fps = 0.001): what the job
--      itself costs (history snapshots, the slider, the status line, the window's
--      redraws for them), so that 2 against 4 is what the views alone cost.
-- The issue's figure is 2 against 1 (printed as "% of no views"). The comparison is
-- fair: the same net, data and seed, the same 8 ms slices of run_for, and every step
-- counted, across the playground's chunks of 1000 epochs too.
-- The playground is driven as the prompt drives it (job slices, then plot.pump, which
-- redraws the window when a display is there). Run: nnlab bench/views_fps.lua [SECONDS]
-- (under xvfb-run for a real window; SDL_VIDEODRIVER=dummy measures offscreen).
-- An optional second argument sets the decision grid's points per side (200), a third
-- the rounds (3): 1, 2 and 4 take turns that many times and each keeps its best.
local seconds = tonumber(arg and arg[1]) or 5
local grid = math.tointeger(tonumber(arg and arg[2])) or 200
local rounds = math.tointeger(tonumber(arg and arg[3])) or 3
local now, cpu_time = require("repl.core").now, require("repl.core").cpu_time
local train = require "nn.train"

local settings = { data = "spiral", hidden = { 8, 8 }, activation = "tanh", lr = 0.03,
  features = { "x1", "x2", "x1^2" }, batch = 10, seed = 1, grid = grid, speed = 0 }

local function copy(t, extra)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

-- 1. the run alone
local function alone()
  nn.seed(1)
  local pg0 = playground(copy(settings, { epochs = 1, show = false }))
  local r = train.run(pg0.model, pg0.opt, pg0.train_set, pg0.test_set, { loss = "bce", epochs = 1000000, batch = 10 })
  local t0, c0, steps0 = now(), cpu_time(), r:status().step
  while now() - t0 < seconds do r:run_for(8) end
  local n = r:status().step - steps0
  local steps, cpu = n / (now() - t0), (cpu_time() - c0) / n
  r:stop()
  return steps, cpu
end

-- 2 and 3: the playground at the prompt's pace
local function watched(fps)
  repl.interactive = true
  local pg = playground(copy(settings, { fps = fps }))
  local t1, c1 = now(), cpu_time()
  local s1 = pg.raw_run:status().step
  local f1 = pg.views.decision.frames
  local steps_before = 0 -- steps of earlier runs (each chunk of epochs is a new run)
  local run = pg.raw_run
  while now() - t1 < seconds do
    repl._jobs_step(0.02)
    plot.pump()
    if pg.raw_run ~= run then
      steps_before = steps_before + run:status().step
      run = pg.raw_run
    end
  end
  local dt, dc = now() - t1, cpu_time() - c1
  local steps = steps_before + pg.raw_run:status().step - s1
  local frames = pg.views.decision.frames - f1
  pg:stop()
  pg.window:close()
  repl.interactive = false
  return steps / dt, frames / dt, dc / steps
end

-- The ways 1, 2 and 4 take turns, ROUNDS times, and each keeps its best: a virtual
-- machine's neighbours slow a run by up to half for seconds at a time, and a slowdown
-- that fell on one way alone would read as a cost of the views.
-- Beside the steps a second, the training thread's own CPU time a step (its best of
-- the rounds): what the views cost that thread, which a host that slows the whole
-- machine for seconds does not move (the field worker's thread is not counted).
local bare, capped_steps, capped_fps, job_steps = 0, 0, 0, 0
local bare_cpu, capped_cpu, job_cpu = math.huge, math.huge, math.huge
for _ = 1, rounds do
  local s0, c0 = alone()
  bare, bare_cpu = math.max(bare, s0), math.min(bare_cpu, c0)
  local s, f, c = watched(15)
  if s > capped_steps then capped_steps, capped_fps = s, f end
  capped_cpu = math.min(capped_cpu, c)
  local sj, _, cj = watched(0.001)
  job_steps, job_cpu = math.max(job_steps, sj), math.min(job_cpu, cj)
end
local free_steps, free_fps = watched(1000)

print(("playground net (spiral, {8, 8} tanh, x1 x2 x1^2, batch 10), %g s each, best of %d rounds, display: %s")
  :format(seconds, rounds, tostring(plot.display())))
print(("  no views:                               %9.0f steps/s"):format(bare))
print(("  views at default rates (decision 15 Hz): %9.0f steps/s, decision view %.1f frames/s (%.0f%% of no views)")
  :format(capped_steps, capped_fps, 100 * capped_steps / bare))
print(("  decision view uncapped (%d x %d):     %9.0f steps/s, decision view %.1f frames/s")
  :format(grid, grid, free_steps, free_fps))
print(("  playground job, views never redrawn:     %9.0f steps/s (%.0f%% of no views; views at default rates: %.0f%% of it)")
  :format(job_steps, 100 * job_steps / bare, 100 * capped_steps / job_steps))
print(("  training thread's CPU a step: no views %.2f us, views at default rates %.2f us (%.0f%% of no views' rate),"
  .. " job alone %.2f us"):format(1e6 * bare_cpu, 1e6 * capped_cpu, 100 * bare_cpu / capped_cpu, 1e6 * job_cpu))
