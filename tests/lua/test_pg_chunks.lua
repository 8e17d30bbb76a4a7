-- test_pg_chunks.lua: at the prompt the playground trains in runs of 1000 epochs, and a
-- small net ends several a second. The loss view follows the runs that rolled over at
-- its next redraw (lua/playground.lua, follow_chunks), not at each rollover, where each
-- follow redrew the curve; the curve it then draws is the one it drew before: every
-- chunk in order, continuing where the last ended. Offscreen; the job driven by hand.

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

repl.interactive = true -- the job trains in chunks only at the prompt
nn.seed(3)
-- views never redrawn by the job (fps 0.001): only a rollover could redraw the curve
local pg = playground{ data = "xor", n = 40, hidden = { 3 }, batch = 10, speed = 0, grid = 20, fps = 0.001 }
local lv = pg.views.loss
-- every point pushed to the loss panel, as pushed (x of the test curve)
local xs, panel = {}, lv.plot
lv.plot = setmetatable({ push = function(_, name, y, x)
  if name == lv.names[2] then xs[#xs + 1] = x end
  return panel:push(name, y, x)
end }, { __index = function(_, k)
  local v = panel[k]
  if type(v) == "function" then return function(_, ...) return v(panel, ...) end end
  return v
end })
repl._jobs_step(0) -- the job's first pass draws every view once
local frames = lv.frames
local rollovers, deadline = 0, os.clock() + 60
while rollovers < 3 do
  local run = pg.raw_run
  repl._jobs_step(0) -- one slice of the job
  if pg.raw_run ~= run then rollovers = rollovers + 1 end
  expect(os.clock() < deadline, "%d rollovers after 60 s of CPU", rollovers)
end
expect(lv.frames == frames, "the loss view was redrawn %d times by 3 rollovers; it follows them at its next redraw",
  lv.frames - frames)
expect(lv.run ~= pg.raw_run and #pg._chunks == 3, "3 runs wait for the view (%d)", #pg._chunks)
pg.run:pause()

-- the next redraw catches up: the view follows the newest run, where the chunks before
-- it ended (3000 epochs on, or 4000 when the first slice ended a chunk too), and its
-- curve runs through every chunk in order
local before = pg._epochs
expect(before >= 3000, "3 chunks of 1000 epochs ended: %d", before)
pg:refresh()
expect(lv.run == pg.raw_run and #pg._chunks == 0, "the view follows the latest run after a redraw")
expect(lv.offset == before, "the curve goes on at epoch %d: %g", before, lv.offset)
expect(#xs > 0, "no test curve")
for i = 2, #xs do expect(xs[i] > xs[i - 1], "the curve goes back from %g to %g", xs[i - 1], xs[i]) end
expect(xs[#xs] >= before, "the curve reaches epoch %d: %g", before, xs[#xs])

lv.plot = panel
pg:stop()
pg.window:close()
repl.interactive = false
print(("pg_chunks: ok (%d points to epoch %g)"):format(#xs, xs[#xs]))
