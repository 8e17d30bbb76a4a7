-- test_views_worker.lua: the decision surface computed off the training thread
-- (nn.field, src/repl/bind_field.c; view:tick in lua/views.lua). The worker's surface
-- equals the one computed from the model in Lua (logit, sigmoid, softmax and
-- regression outputs); it is one weight version, the weights of its submit, however
-- the model trains, is freed or is rebuilt meanwhile; training gives the same numbers
-- with the live view as without; a stale surface is never drawn after a rebuild or a
-- seek; closing the window, closing the worker or dropping the view while a field is
-- computed neither hangs nor crashes; the heat map and contours rendered on the
-- worker's thread are the window's own pixels. Offscreen (SDL_VIDEODRIVER=dummy).
local field = require "nn.field"
local train = require "nn.train"
local nncore = require "nn.core"
local views = require "views"

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

-- largest difference between two tensors of the same shape
local function maxdiff(a, b)
  expect(a.shape[1] == b.shape[1] and a.shape[2] == b.shape[2], "shapes [%d,%d] and [%d,%d] differ",
    a.shape[1], a.shape[2], b.shape[1], b.shape[2])
  local ta, tb, worst = a:totable(), b:totable(), 0
  for i = 1, #ta do
    for j = 1, #ta[i] do worst = math.max(worst, math.abs(ta[i][j] - tb[i][j])) end
  end
  return worst
end

local function net(last, outputs)
  local mods = { train.linear(3, 8, "xavier_uniform", 0, 0, "zeros"), train.activation("tanh"),
    train.linear(8, outputs, "xavier_uniform", 0, 0, "zeros") }
  if last then mods[#mods + 1] = train.activation(last) end
  return train.sequential(mods)
end

-- 1. the worker's surface is the model's class probabilities (or values), computed in
-- chunks on its thread; asynchronous and synchronous jobs agree bit for bit
nn.seed(3)
local g = nncore.randn{ 5000, 3 } -- more rows than one chunk (2048)
local w = field.worker()
local cases = {
  { "one logit", net(nil, 1), 2, function(y) return y:sigmoid():matmul(nncore.tensor{ { -1, 1 } }) + nncore.tensor{ { 1, 0 } } end },
  { "sigmoid output", net("sigmoid", 1), 2, function(y) return y:matmul(nncore.tensor{ { -1, 1 } }) + nncore.tensor{ { 1, 0 } } end },
  { "three logits", net(nil, 3), 3, function(y) return y:softmax(2) end },
  { "softmax output", net("softmax", 3), 3, function(y) return y end },
  { "regression", net(nil, 1), 0, function(y) return y end },
}
for i, c in ipairs(cases) do
  local name, m, classes, want = c[1], c[2], c[3], c[4]
  expect(w:submit(m, g, classes, i) == true, "%s: submit refused", name)
  local s, tag = w:result(true)
  expect(tag == i, "%s: result of submit %d, got tag %s", name, i, tostring(tag))
  local d = maxdiff(s, want(train.predict(m, g)))
  expect(d < 1e-6, "%s: worker surface differs from the Lua one by %g", name, d)
  w:submit(m, g, classes, 100 + i, true)
  expect(maxdiff(w:result(), s) == 0, "%s: the synchronous job differs from the asynchronous one", name)
end
expect(w:result() == nil, "a result is taken once")

-- 2. one weight version: the surface is that of the weights at submit, while the model
-- trains and is then freed before the job ends
local m = net(nil, 1)
local set = require("nn.data").synth("spiral", 200, 2, 0.1):features(1 | 2 | 4)
local snapshot = train.copy(m)
local big = nncore.randn{ 160000, 3 } -- long enough that training overlaps the job
expect(w:submit(m, big, 2, 7) == true, "submit refused")
local run = train.run(m, optim.sgd(m, { lr = 0.1 }), set, nil, { loss = "bce", epochs = 5, batch = 10 })
while run:run_for(1000) == "running" do end
m:free()
collectgarbage()
local s = w:result(true)
w:submit(snapshot, big, 2, 8, true)
expect(maxdiff(s, w:result()) == 0, "the surface mixes weights of after its submit")

-- 3. training gives the same numbers with the live decision view as without
local function losses(with_view)
  nn.seed(11)
  local model = net(nil, 1)
  local opt = optim.sgd(model, { lr = 0.05 })
  local r = train.run(model, opt, set, nil, { loss = "bce", epochs = 30, batch = 10 })
  local view = with_view and views.decision(model, nil, { classes = 2, features = { "x1", "x2", "x1^2" },
    box = { xmin = -1, xmax = 1, ymin = -1, ymax = 1 }, n = 60, live = false, show = false })
  while r:run_for(0.2) == "running" do
    if view then view:tick() end
  end
  return r:losses()
end
local a, b = losses(false), losses(true)
expect(#a == #b and #a > 0, "runs of %d and %d losses", #a, #b)
for i = 1, #a do expect(a[i] == b[i], "loss %d: %.9g without the view, %.9g with it", i, a[i], b[i]) end

-- waits until the worker has finished its job, without taking the result
local function settle(view)
  while view.worker:busy() do end
end

-- 4. the playground: a surface computed for the old net is not drawn after a rebuild,
-- nor after any change of what the view shows; ticks draw what the worker computed
repl.interactive = true
nn.seed(1)
local pg = playground{ data = "spiral", hidden = { 8, 8 }, features = { "x1", "x2", "x1^2" }, grid = 200, speed = 0 }
pg:stop()
local v = pg.views.decision
local frames = v.frames
v:tick() -- hands the worker the {8, 8} net
pg.hidden = { 3 } -- rebuilt at once, drawn synchronously
local rebuilt = v.surface
settle(v)
v:tick()
expect(maxdiff(v.surface, rebuilt) == 0, "a surface of the old net was drawn after pg.hidden = {3}")
expect(v.frames == frames + 1, "the rebuild drew once (%d frames, had %d)", v.frames, frames)
settle(v)
v:tick()
expect(v.frames == frames + 2, "a tick draws the finished surface")
expect(maxdiff(v.surface, rebuilt) == 0, "an idle net's live surface equals the synchronous one")
local shown = v.frames
settle(v)
local kept = v.model
v.model = net(nil, 1) -- changed under the view: the job of the old model is stale
v:tick()
expect(v.frames == shown, "a surface of a model the view no longer shows was drawn")
settle(v)
v:tick()
expect(v.frames == shown + 1, "the new model's surface is drawn at the next tick")
v.model = kept
v:refresh()

-- 5. a view of a run that seeks: the ticks compute the epoch shown, not the latest
repl.interactive = false -- the fit below trains before it returns
nn.seed(5)
local d5 = data.spiral{ n = 150, classes = 3 }
local m5 = nn.sequential{ nn.linear(2, 12), nn.tanh(), nn.linear(12, 3) }
local r5 = m5:fit{ d5, epochs = 6, batch = 2, verbose = false }
local v5 = views.decision(m5, d5, { run = r5, live = false, show = false })
local latest = v5.surface
r5:seek(2)
local sought = v5.surface
expect(maxdiff(sought, latest) > 1e-3, "epochs 2 and 6 draw different surfaces")
v5:tick()
settle(v5)
v5:tick()
expect(maxdiff(v5.surface, sought) == 0, "after seek(2) a tick drew the weights of another epoch")
r5:seek("latest")
expect(maxdiff(v5.surface, latest) == 0, "back at the latest epoch")
repl.interactive = true

-- 6. closing the window while a field is computed: the job ends, nothing hangs; the
-- worker closed while busy cancels its job; a closed worker says so
v:tick()
pg.window:close()
for _ = 1, 5 do plot.pump(); repl._jobs_step(0.01) end
v.worker:close()
expect(not pcall(v.worker.busy, v.worker), "a closed worker refuses work")
local ok, err = pcall(v.worker.submit, v.worker, pg.model, g, 2, 1)
expect(not ok and err:find("field worker was closed", 1, true), "closed worker: %s", tostring(err))
local w2 = field.worker()
w2:submit(pg.model, nncore.randn{ 160000, 3 }, 2, 1)
local t0 = os.clock()
w2:close() -- cancelled between chunks
expect(os.clock() - t0 < 5, "close waited %.1f s for a cancelled job", os.clock() - t0)

-- 7. a view dropped while its field is computed: collected, its thread joined
do
  local d = views.decision(net(nil, 1), nil, { classes = 2, features = { "x1", "x2", "x1^2" }, n = 300,
    box = { xmin = -1, xmax = 1, ymin = -1, ymax = 1 }, live = false, show = false })
  d:tick()
end
collectgarbage()
collectgarbage()

-- 8. a grid the model cannot take (2 inputs for a net of 3): the worker refuses the job
-- and the view falls back to the Lua path, whose error names both shapes
local ok8, err8 = pcall(views.decision, net(nil, 1), nil, { classes = 2, n = 20,
  box = { xmin = -1, xmax = 1, ymin = -1, ymax = 1 }, live = false, show = false })
expect(not ok8 and tostring(err8):find("[batch, 3]", 1, true), "2 inputs for 3: %s", tostring(err8))
-- 9. p:maps takes blocks of tensors (the network view's layers) as it takes a flat
-- list of numbers: the same panel, pixel for pixel
local png = require "views.core"
local dir = os.getenv("TMPDIR") or "/tmp"
local h1, h2 = nncore.randn{ 5, 16 }, nncore.randn{ 4, 16 }
local flat = {}
for _, t in ipairs{ h1, h2 } do
  for _, row in ipairs(t:totable()) do for _, x in ipairs(row) do flat[#flat + 1] = x end end
end
local function drawn(maps, name)
  local p = plot.network{ sizes = { 5, 4 }, show = false }
  p:maps(maps, 4)
  local path = ("%s/nnlab-maps-%s-%d.png"):format(dir, name, math.random(1 << 30))
  assert(p:save(path, 300, 200))
  local img = assert(png.read_png(path))
  os.remove(path)
  return img
end
local ia, ib = drawn(flat, "flat"), drawn({ h1, h2 }, "blocks")
local wi, hi = ia:size()
local differ = 0
for y = 0, hi - 1, 2 do
  for x = 0, wi - 1, 2 do
    local r1, g1, b1 = ia:pixel(x, y)
    local r2, g2, b2 = ib:pixel(x, y)
    if r1 ~= r2 or g1 ~= g2 or b1 ~= b2 then differ = differ + 1 end
  end
end
expect(differ == 0, "p:maps from tensors differs from the flat list at %d pixels", differ)
local okm, errm = pcall(function() plot.network{ sizes = { 5, 4 }, show = false }:maps({ h1, "x" }, 4) end)
expect(not okm and tostring(errm):find("map block 2 is not a tensor", 1, true), "a bad block: %s", tostring(errm))

-- 10. the heat map and contours the worker renders beside the surface (view.layers
-- counts the frames that took them) give the window's pixels that the window draws
-- itself from the same surface: three classes (with their points, drawn by the worker
-- too) and a regression
local function file_bytes(path)
  local f = assert(io.open(path, "rb"))
  local b = f:read("a")
  f:close()
  os.remove(path)
  return b
end
for _, c in ipairs{ { 3, net(nil, 3), d5 }, { 0, net(nil, 1) } } do
  local classes, model = c[1], c[2]
  local v10 = views.decision(model, c[3], { classes = classes, features = { "x1", "x2", "x1^2" }, n = 80,
    box = { xmin = -1, xmax = 1, ymin = -1, ymax = 1 }, live = false, show = true })
  local win = v10.plot:window()
  local path = ("%s/nnlab-layer-%d.png"):format(dir, math.random(1 << 30))
  assert(win:save(path)) -- drawn once: the look a layer copies
  os.remove(path)
  v10:tick()
  settle(v10)
  v10:tick()
  expect(v10.layers == 1, "%d classes: the tick took %d layers, not 1", classes, v10.layers)
  assert(win:save(path))
  local with_layer = file_bytes(path)
  local k = classes > 0 and v10.surface.shape[2] or 1
  v10.plot:grid(v10.surface:reshape{ 80, 80 * k }, -1, 1, -1, 1, k) -- the same, drawn here
  assert(win:save(path))
  expect(file_bytes(path) == with_layer, "%d classes: the worker's layer differs from the window's drawing",
    classes)
  -- discretized views and synchronous refreshes take none
  v10:refresh()
  expect(v10.layers == 1, "refresh took a layer")
  win:close()
  v10.worker:close()
end

repl.interactive = false
print("test_views_worker: ok")
