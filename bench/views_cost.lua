-- views_cost.lua: what watching the playground costs the training thread, counted
-- in instructions rather than timed, so that a loaded machine gives the same figure
-- (issue 12). FRAMES times: trains STEPS steps (1/15 s of the playground net at
-- 435 000 steps a second), then does what the playground's job does at its default
-- rates (the decision view's tick at 15 Hz, the network view at 7.5 Hz, the loss at
-- 10 Hz) and redraws the window. "bare" trains the same steps with no view. Run both
-- under callgrind and compare the training thread's (thread 1's) totals:
--   OPENBLAS_CORETYPE=Haswell SDL_VIDEODRIVER=dummy valgrind --tool=callgrind \
--     --separate-threads=yes ./build/nnlab bench/views_cost.lua 8 views
--   (the same with bare); (views - bare) / (bare - setup) is the views' share, and
--   thread 2 (the decision view's worker) is what moved off the training thread.
-- Usage: nnlab bench/views_cost.lua [FRAMES [views|bare [STEPS]]]
local frames = tonumber(arg and arg[1]) or 8
local mode = arg and arg[2] or "views"
local steps_each = tonumber(arg and arg[3]) or 29000
local train = require "nn.train"
repl.interactive = true
nn.seed(1)
local pg = playground{ data = "spiral", hidden = { 8, 8 }, activation = "tanh", lr = 0.03,
  features = { "x1", "x2", "x1^2" }, batch = 10, seed = 1, grid = 200, speed = 0 }
pg:stop()
local v = pg.views
local spe = pg.raw_run:status().steps_per_epoch
local steps, loss_next = 0, 0
for i = 1, frames do
  local r = train.run(pg.model, pg.opt, pg.train_set, pg.test_set,
    { loss = "bce", epochs = steps_each // spe, batch = 10 })
  while r:run_for(1000) == "running" do end
  steps = steps + r:status().step
  if mode == "views" then
    v.decision:tick()
    if i % 2 == 0 then v.network:refresh() end
    if i >= loss_next then v.loss:refresh(); loss_next = loss_next + 1.5 end
    plot.pump()
  end
end
print(("%s: %d steps, decision view %d frames, network %d, window %d"):format(mode, steps,
  v.decision.frames, v.network.frames, pg.window:frames_drawn()))
pg.window:close()
repl.interactive = false
