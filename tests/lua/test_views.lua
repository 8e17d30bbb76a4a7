-- test_views.lua: the training views (lua/views.lua) and the playground
-- (lua/playground.lua), rendered offscreen and read back as pixels: a trained XOR
-- net's decision surface has each class colour in the right quadrants; discretize
-- makes each region one flat colour; a regression surface is bright where the
-- prediction is high; the network view draws each neuron's map and its links by
-- weight, the loss view its curves and markers where they belong, and a loss window
-- follows the run a click starts; playground
-- settings apply while it runs, clicks add points, run:step() advances one step.
local plot = require "plot"
local playground = require "playground"
local nncore = require "nn.core"
local train = require "nn.train"
local optim_core = require "nn.optim"
local ndata = require "nn.data"
local png = require "views.core"

local dir = os.getenv("TMPDIR") or "/tmp"
local function tmp(name) return ("%s/nnlab-test-views-%s.png"):format(dir, name) end
local W, H = 640, 560

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

-- Trains a 2-8-1 tanh net on XOR to convergence; returns model and data.
local function trained_xor()
  nncore.seed(11)
  local d = ndata.synth("xor", 400, 2, 0.05)
  local m = train.sequential{ train.linear(2, 8, "xavier_uniform", 0, 0, "zeros"), train.activation("tanh"),
    train.linear(8, 1, "xavier_uniform", 0, 0, "zeros") }
  local o = optim_core.new("adam", m, { lr = 0.03 })
  local r = train.run(m, o, d, nil, { loss = "bce", epochs = 60, batch = 16 })
  expect(r:run_for(0) == "done", "the XOR run did not finish")
  local h = r:history()
  expect(h.acc[#h.acc] > 0.95, "XOR did not train: accuracy %.3f", h.acc[#h.acc])
  return m, d
end

-- The pixel of data point (x, y) in a panel saved at W x H: the plot area is affine,
-- so two pixels' data coordinates give the map.
local function pixel_of(p, x, y)
  local x1, y1 = p:to_data(W * 0.4, H * 0.4, W, H)
  local x2, y2 = p:to_data(W * 0.6, H * 0.6, W, H)
  expect(x1 and x2, "to_data failed: %s", tostring(y1))
  local px = W * 0.4 + (x - x1) / (x2 - x1) * (W * 0.2)
  local py = H * 0.4 + (y - y1) / (y2 - y1) * (H * 0.2)
  return math.floor(px + 0.5), math.floor(py + 0.5)
end

local function colour_at(img, p, x, y)
  return img:pixel(pixel_of(p, x, y))
end

-- The majority label of the data points in the quadrant of (sx, sy).
local function quadrant_label(d, sx, sy)
  local xs, ys = d:x():totable(), d:y():totable()
  local votes = { [0] = 0, [1] = 0 }
  for i, r in ipairs(xs) do
    if r[1] * sx > 0 and r[2] * sy > 0 then
      local c = math.floor(ys[i][1] + 0.5)
      votes[c] = votes[c] + 1
    end
  end
  return votes[1] > votes[0] and 1 or 0
end

local tests = {}

function tests.decision_surface_of_trained_xor_has_class_colours_in_the_right_quadrants()
  local m, d = trained_xor()
  local v = plot.decision(m, d, { show = false, n = 120 })
  expect(v:save(tmp("xor"), W, H), "save failed")
  local img = assert(png.read_png(tmp("xor")))
  -- class 1 (label 0) is drawn blue and class 2 (label 1) orange: blue > red, or red > blue
  local seen = { [0] = 0, [1] = 0 }
  for _, q in ipairs{ { 1, 1 }, { -1, 1 }, { -1, -1 }, { 1, -1 } } do
    local want = quadrant_label(d, q[1], q[2])
    seen[want] = seen[want] + 1
    for _, r in ipairs{ 2.0, 3.5 } do
      local red, green, blue = colour_at(img, v.plot, q[1] * r, q[2] * r)
      local got = red > blue + 40 and 1 or (blue > red + 40 and 0 or nil)
      expect(got == want, "quadrant (%d, %d) at radius %g: colour (%d, %d, %d) is %s; the data say class %d there",
        q[1], q[2], r, red, green, blue, got == nil and "neither class's colour" or ("class " .. got), want)
    end
  end
  expect(seen[0] == 2 and seen[1] == 2, "XOR data should have two quadrants of each class")
end

function tests.discretize_draws_each_region_in_one_flat_colour()
  local m, d = trained_xor()
  local soft = plot.decision(m, d, { show = false, n = 120 })
  local hard = plot.decision(m, d, { show = false, n = 120, discretize = true })
  soft:save(tmp("soft"), W, H)
  hard:save(tmp("hard"), W, H)
  local simg, himg = assert(png.read_png(tmp("soft"))), assert(png.read_png(tmp("hard")))
  -- two places of the same region, one near the boundary and one deep inside; away
  -- from the points (data run from -6 to 6; points are drawn on top)
  local function same(img, p)
    local a = { colour_at(img, p, 0.6, 5.8) }
    local b = { colour_at(img, p, 5.8, 5.8) }
    return a[1] == b[1] and a[2] == b[2] and a[3] == b[3], a, b
  end
  local soft_same, a, b = same(simg, soft.plot)
  expect(not soft_same, "without discretize, confidence should shade the region: (%d,%d,%d) and (%d,%d,%d)",
    a[1], a[2], a[3], b[1], b[2], b[3])
  local hard_same
  hard_same, a, b = same(himg, hard.plot)
  expect(hard_same, "with discretize a region is one colour: (%d,%d,%d) and (%d,%d,%d)", a[1], a[2], a[3], b[1], b[2], b[3])
end

function tests.three_classes_get_three_colours_and_early_stopping_is_marked()
  local tr, te = data.blobs{ n = 300, classes = 3, noise = 0.3, test = 0.3, seed = 4 }
  nncore.seed(4)
  local m = nn.sequential{ nn.linear(2, 16), nn.relu(), nn.linear(16, 3) }
  local run = m:fit{ tr, validation = te, loss = nn.cross_entropy, epochs = 60, batch = 16,
    verbose = false, patience = 3 }
  local v = plot.decision(m, tr, { test = te, show = false })
  v:save(tmp("blobs"), W, H)
  -- the regions' colours, not the markers of the points that crowd the means
  v.plot:clear()
  v.plot:save(tmp("blobs_regions"), W, H)
  local img = assert(png.read_png(tmp("blobs_regions")))
  -- the colour at each class's mean point; the three must differ clearly
  local sums = {}
  local xs, ys = tr:x():totable(), tr:y():totable()
  for i, r in ipairs(xs) do
    local c = math.floor(ys[i][1] + 0.5) + 1
    sums[c] = sums[c] or { 0, 0, 0 }
    sums[c][1], sums[c][2], sums[c][3] = sums[c][1] + r[1], sums[c][2] + r[2], sums[c][3] + 1
  end
  local colours = {}
  for c = 1, 3 do
    expect(sums[c], "class %d has no training points", c)
    colours[c] = { colour_at(img, v.plot, sums[c][1] / sums[c][3], sums[c][2] / sums[c][3]) }
  end
  for a = 1, 3 do
    for b = a + 1, 3 do
      local d = 0 -- summed over the channels: blue and green differ in two of them
      for k = 1, 3 do d = d + math.abs(colours[a][k] - colours[b][k]) end
      expect(d > 60, "classes %d and %d look alike at their centres: (%d,%d,%d) and (%d,%d,%d)", a, b,
        colours[a][1], colours[a][2], colours[a][3], colours[b][1], colours[b][2], colours[b][3])
    end
  end
  -- early stopping: the loss view ends with a marker at the best epoch
  local st = run:status()
  local lv = plot.loss(run, { show = false })
  expect(lv.ended, "the loss view sees that the run ended")
  expect(st.best_epoch > 0 and st.best_epoch < st.epoch,
    "this run (seed 4, patience 3) stops early; best epoch %d of %d", st.best_epoch, st.epoch)
  local lv2 = plot.loss(run, { show = false, live = false })
  local before = lv2.plot:version()
  lv2.ended = false -- drawn once at creation; the marker is added again on this refresh
  lv2:refresh()
  expect(lv2.plot:version() > before, "early stopping (best epoch %d of %d) adds a marker", st.best_epoch, st.epoch)
end

-- A live refresh (the run still training) that finds more than 100 new epochs (a tiny
-- net's thousands a second) adds a point for each block of epochs, their mean at the
-- block's last epoch, at most 50 a series; up to 100 new epochs, or a finished run drawn
-- whole, a point an epoch as before.
function tests.loss_view_thins_a_flood_of_epochs_into_block_means()
  local T = require "nn.train"
  local xor = data.from(nn.tensor{ { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, nn.tensor{ { 0 }, { 1 }, { 1 }, { 0 } },
    { classes = 2 })
  local function pushes(epochs, running)
    nncore.seed(3)
    local m = nn.sequential{ nn.linear(2, 3), nn.tanh(), nn.linear(3, 1) }
    local r
    if running then -- a run as the playground makes it, still running after `epochs`
      local raw = require("nn.data").synth("xor", 8, 2, 0.1)
      local net = T.sequential{ T.linear(2, 3, "xavier_uniform", 0, 0, "zeros"), T.activation("tanh"),
        T.linear(3, 1, "xavier_uniform", 0, 0, "zeros") }
      r = T.run(net, require("nn.optim").new("sgd", net, { lr = 0.1 }), raw, raw,
        { loss = "bce", epochs = 10 * epochs, batch = 8 })
      while r:status().epoch < epochs do r:run_for(1e-6) end
    else
      r = m:fit{ xor, validation = xor, loss = nn.bce, epochs = epochs, batch = 4, verbose = false }
    end
    local lv = plot.loss(r, { show = false, live = false })
    local got, pts = {}, {}
    lv.plot = setmetatable({ push = function(_, name, y, x) pts[name] = pts[name] or {}; table.insert(pts[name], { x, y }) end },
      { __index = function() return function() end end })
    lv.epochs_drawn, lv.watched, lv.ended = 0, 0, true
    lv:refresh()
    got.train, got.test = pts[lv.names[1]] or {}, pts[lv.names[2]] or {}
    return got, lv.run:history()
  end
  local got, h = pushes(1000, true)
  expect(#got.test == 50 and #got.train == 50, "1000 epochs in one refresh: %d and %d points", #got.test, #got.train)
  local mean = 0
  for e = 21, 40 do mean = mean + h.val_loss[e] / 20 end
  expect(got.test[2][1] == 40 and math.abs(got.test[2][2] - mean) < 1e-12,
    "the second point is the mean of epochs 21-40 at epoch 40: %s at %s", got.test[2][2], got.test[2][1])
  expect(got.train[50][1] == 1000, "the last point at the last epoch: %s", got.train[50][1])
  got, h = pushes(100, true)
  expect(#got.test == 100 and got.test[7][1] == 7 and got.test[7][2] == h.val_loss[7],
    "100 epochs: a point an epoch (%d points)", #got.test)
  got, h = pushes(1000, false)
  expect(#got.test == 1000 and got.test[700][2] == h.val_loss[700], "a finished run: a point an epoch (%d)", #got.test)
end

function tests.regression_surface_is_bright_where_the_prediction_is_high()
  nncore.seed(5)
  -- y = x1 + x2 on [-1, 1]^2: a linear model learns it exactly
  local rows, ys = {}, {}
  for i = 1, 200 do
    local a, b = math.random() * 2 - 1, math.random() * 2 - 1
    rows[i], ys[i] = { a, b }, { a + b }
  end
  local d = ndata.from(nncore.tensor(rows), nncore.tensor(ys))
  local m = train.sequential{ train.linear(2, 1, "xavier_uniform", 0, 0, "zeros") }
  local r = train.run(m, optim_core.new("adam", m, { lr = 0.05 }), d, nil, { loss = "mse", epochs = 100, batch = 20 })
  r:run_for(0)
  local v = plot.decision(m, d, { show = false, n = 60 })
  expect(v.classes == 0, "a data set of numbers is a regression")
  v:save(tmp("regression"), W, H)
  local img = assert(png.read_png(tmp("regression")))
  -- signed values use the diverging map: red above 0, blue below. Corners away from
  -- any point (the box has a margin around the data).
  local r1, g1, b1 = colour_at(img, v.plot, 1.05, 1.05)
  local r2, g2, b2 = colour_at(img, v.plot, -1.05, -1.05)
  expect(r1 > b1 + 60, "the prediction at (1, 1) is about 2, but the colour is (%d, %d, %d)", r1, g1, b1)
  expect(b2 > r2 + 60, "the prediction at (-1, -1) is about -2, but the colour is (%d, %d, %d)", r2, g2, b2)
end

function tests.network_view_draws_the_layers_and_follows_training()
  local m, d = trained_xor()
  local v = plot.network(m, { show = false, box = { xmin = -6, xmax = 6, ymin = -6, ymax = 6 } })
  expect(v.kind == "network", "plot.network(model) is the network view")
  local before = v.plot:version()
  v:refresh()
  expect(v.plot:version() > before, "refresh must redraw the panel")
  expect(v:save(tmp("network")), "save failed")
  local img = assert(png.read_png(tmp("network")))
  local w, h = img:size()
  expect(w > 100 and h > 100, "network PNG is %dx%d", w, h)
  -- one neuron large: the picked column of the layer, redrawn with the view
  local z = v:neuron(1, 2)
  local zv = z:version()
  v:refresh()
  expect(z:version() > zv, "the enlarged neuron is redrawn with the network view")
  -- the inputs are named by their features (the viz labels the column "input n")
  expect(v.title_text == "network (inputs x1, x2)", "the title names the inputs: %s", v.title_text)
  expect(v:neuron(0, 2) == z and v.zoom.title == "input 2: x2", "input 2 enlarged: %s", v.zoom.title)
  local m3 = train.sequential{ train.linear(3, 2, "xavier_uniform", 0, 0, "zeros") }
  local vf = plot.network(m3, { show = false, live = false, features = { "x1", "x2", "x1^2" } })
  expect(vf.title_text == "network (inputs x1, x2, x1^2)", "features in the title: %s", vf.title_text)
  vf:neuron(0, 3)
  expect(vf.zoom.title == "input 3: x1^2", "input 3 is x1^2: %s", vf.zoom.title)
  local ok0, err0 = pcall(v.neuron, v, 1, 9)
  expect(not ok0 and err0:find("layer 1 has neurons 1 to 8", 1, true), "a neuron outside the layer is named: %s", tostring(err0))
  -- plot.lua's own form still works
  local p = plot.network{ sizes = { 2, 3, 1 }, show = false }
  expect(p:kind() == "network", "plot.network{sizes=...} is plot.lua's panel")
  local ok, err = pcall(plot.decision, {}, d)
  expect(not ok and err:find("expected a model", 1, true), "a bad model is named: %s", tostring(err))
end

function tests.loss_view_follows_a_run_and_marks_lr_changes()
  nncore.seed(2)
  local d = ndata.synth("circle", 300, 2, 0.05)
  local tr, va = d:split(0.3)
  local m = train.sequential{ train.linear(2, 6, "xavier_uniform", 0, 0, "zeros"), train.activation("tanh"),
    train.linear(6, 1, "xavier_uniform", 0, 0, "zeros") }
  local o = optim_core.new("sgd", m, { lr = 0.1 })
  local r = train.run(m, o, tr, va, { loss = "bce", epochs = 20, batch = 10 })
  local v = plot.loss(r, { show = false, optimizer = o })
  -- an epoch must end (a loaded machine may end none in 5 ms), not all 20
  repeat r:run_for(5) until r:status().epoch >= 1
  v:refresh()
  expect(v.acc_plot, "a classification run gets an accuracy panel once it reports accuracy")
  local drawn = v.epochs_drawn
  o.lr = 0.01
  local version = v.plot:version()
  v:refresh()
  expect(v.plot:version() > version, "an lr change must add a marker")
  expect(math.abs(v.lr - 0.01) < 1e-6, "the view keeps the new lr, got %s", tostring(v.lr))
  r:run_for(0)
  v:refresh()
  expect(v.ended and v.epochs_drawn == 20 and v.epochs_drawn >= drawn, "the view draws all 20 epochs, drew %d", v.epochs_drawn)
  expect(v:save(tmp("loss")), "save failed")
end

function tests.playground_applies_settings_adds_points_and_steps_when_paused()
  local pg = playground{ data = "xor", hidden = { 4 }, epochs = 3, seed = 4, show = false }
  expect(pg.raw_run:status().state == "done", "a script's playground trains to its epochs")
  expect(pg.model:nparams() == (2 * 4 + 4) + (4 * 1 + 1), "2-4-1 net has 17 parameters, got %d", pg.model:nparams())
  pg.lr = 0.01
  expect(math.abs(pg.opt.lr - 0.01) < 1e-6, "pg.lr sets the optimizer's lr, got %s", tostring(pg.opt.lr))
  pg.hidden = { 3 }
  expect(pg.model:nparams() == (2 * 3 + 3) + (3 * 1 + 1), "pg.hidden = {3} rebuilds the net, got %d parameters", pg.model:nparams())
  pg.features = { "x1", "x2", "x1^2" }
  expect(pg.train_set:info().nx == 3, "three features give three inputs, got %d", pg.train_set:info().nx)
  local ok, err = pcall(function() pg.learning_rate = 1 end)
  expect(not ok and err:find("no setting \"learning_rate\"", 1, true), "unknown settings are refused: %s", tostring(err))
  ok, err = pcall(pg.reset, 5)
  expect(not ok and err:find("pg:reset: call it on a playground with a colon, pg:reset(...); got 5", 1, true),
    "a method on something else says so: %s", tostring(err))
  ok, err = pcall(pg.views.decision.refresh)
  expect(not ok and err:find("view:refresh: call it on a decision view", 1, true), "a view's method too: %s", tostring(err))
  ok, err = pcall(function() pg.noize = 1 end)
  expect(not ok and err:find("no setting \"noize\"; did you mean 'noise'?", 1, true), "a typo names the setting: %s",
    tostring(err))
  ok, err = pcall(function() pg.hidden = { 0 } end)
  expect(not ok and err:find("hidden[1]", 1, true), "bad widths are refused: %s", tostring(err))

  local n = #pg._rows.x
  pg:add_point(0.5, 0.5, 2)
  expect(pg.train_set:info().n == n + 1, "a click adds a training point: %d -> %d", n, pg.train_set:info().n)

  local pg2 = playground{ data = "circle", epochs = 5, seed = 1, show = false, wait = false }
  pg2.job:pause()
  local s0 = pg2.raw_run:status().step
  pg2.run:step()
  pg2.run:step()
  expect(pg2.raw_run:status().step == s0 + 2, "two run:step() calls advance two steps: %d -> %d", s0, pg2.raw_run:status().step)
  ok, err = pcall(function() pg2.job:resume(); pg2.run:step() end)
  expect(not ok and err:find("pause it first", 1, true), "step while running is refused: %s", tostring(err))
  wait(pg2.job)
  expect(pg2.raw_run:status().state == "done", "the resumed run finishes")
  expect(pg2.views.decision.frames > 0 and pg2.views.network.frames > 0, "the views were drawn")
end

function tests.clicking_a_decision_view_adds_a_point_and_training_goes_on()
  local tr = data.xor{ n = 200, noise = 0.05, seed = 6 }
  nncore.seed(6)
  local m = nn.sequential{ nn.linear(2, 8), nn.tanh(), nn.linear(8, 1) }
  local was = repl.interactive
  repl.interactive = true -- as at the prompt: fit trains in the background
  local ok, err = pcall(function()
    local run = m:fit{ tr, loss = nn.bce, epochs = 30, batch = 10, verbose = false }
    run:pause()
    local v = plot.decision(m, tr, { run = run, show = false })
    v:add_point(3, -3, 2)
    expect(v.data:info().n == 201, "the point joined the data: %d points", v.data:info().n)
    expect(run:status().state == "stopped", "the old run stops, got %s", run:status().state)
    expect(v.run ~= run and v.run.job, "a new run goes on in the background")
    expect(v.run.optimizer == run.optimizer, "with the same optimizer")
    wait(v.run.job)
    expect(v.run:status().state == "done", "the new run trains to the end: %s", v.run:status().state)
    local pok, perr = pcall(v.add_point, v, 0, 0, 3)
    expect(not pok and perr:find("class must be 1 to 2", 1, true), "bad classes are refused: %s", tostring(perr))
  end)
  repl.interactive = was
  if not ok then error(err, 0) end
end

function tests.fit_run_pauses_steps_and_feeds_the_loss_view()
  nncore.seed(8)
  local tr = data.spiral{ n = 200, noise = 0.1 }
  local m = nn.sequential{ nn.linear(2, 8), nn.tanh(), nn.linear(8, 1) }
  -- as at the prompt: fit runs as a background job
  local was = repl.interactive
  repl.interactive = true
  local ok, run = pcall(function() return m:fit{ tr, loss = nn.bce, epochs = 5, batch = 10, verbose = false } end)
  repl.interactive = was
  expect(ok, "fit failed: %s", tostring(run))
  expect(run.job, "at the prompt fit runs as a job")
  run:pause()
  local s0 = run:status().step
  run:step()
  expect(run:status().step == s0 + 1, "run:step() advances one step: %d -> %d", s0, run:status().step)
  local v = plot.loss(run, { show = false })
  expect(v.optimizer == run.optimizer, "the loss view watches the run's optimizer")
  run:resume()
  wait(run.job)
  v:refresh()
  expect(v.epochs_drawn == 5, "the loss view drew the 5 epochs, drew %d", v.epochs_drawn)
end

-- ---- pixels of the network and loss views ----------------------------------------

local function is_white(r, g, b) return r > 240 and g > 240 and b > 240 end
local function hue(r, g, b)
  if r > b + 40 then return "red" elseif b > r + 40 then return "blue" end
  return nil
end

-- A 2-input, 1-output linear net with the given weights (bias 0).
local function net2(w1, w2)
  local m = train.sequential{ train.linear(2, 1, "xavier_uniform", 0, 0, "zeros") }
  train.assign(m:children()[1]:param(1), nncore.tensor{ { w1 }, { w2 } })
  return m
end

-- The coloured (red or blue) pixels of img inside x in [xa, xb), y in [ya, yb):
-- their bounding box and the share of red and blue in its first and last fifth,
-- along x (dir "x") or y.
local function heat_box(img, xa, xb, ya, yb)
  local bx0, bx1, by0, by1 = math.huge, -1, math.huge, -1
  for y = ya, yb - 1 do
    for x = xa, xb - 1 do
      if hue(img:pixel(x, y)) then
        bx0, bx1, by0, by1 = math.min(bx0, x), math.max(bx1, x), math.min(by0, y), math.max(by1, y)
      end
    end
  end
  expect(bx1 >= 0, "no heat map in x %d..%d, y %d..%d", xa, xb, ya, yb)
  local function ends(dir)
    local function count(lo, hi)
      local n = { red = 0, blue = 0 }
      for y = by0, by1 do
        for x = bx0, bx1 do
          local t = dir == "x" and (x - bx0) / (bx1 - bx0) or (y - by0) / (by1 - by0)
          local h = t >= lo and t <= hi and hue(img:pixel(x, y))
          if h then n[h] = n[h] + 1 end
        end
      end
      return n.red > n.blue and "red" or "blue"
    end
    return count(0, 0.2), count(0.8, 1)
  end
  return { x0 = bx0, x1 = bx1, y0 = by0, y1 = by1, ends = ends }
end

-- The runs of non-white pixels down column x between rows ya and yb: {from, len, hue}.
local function runs_down(img, x, ya, yb)
  local runs, cur = {}, nil
  for y = ya, yb do
    local r, g, b = img:pixel(x, y)
    if not is_white(r, g, b) then
      if not cur then cur = { from = y, len = 0, n = { red = 0, blue = 0 } }; runs[#runs + 1] = cur end
      cur.len = cur.len + 1
      local h = hue(r, g, b)
      if h then cur.n[h] = cur.n[h] + 1 end
    else
      cur = nil
    end
  end
  for _, run in ipairs(runs) do run.hue = run.n.red > run.n.blue and "red" or (run.n.blue > 0 and "blue" or "grey") end
  return runs
end

function tests.network_view_draws_each_neurons_heat_map_and_links_by_weight()
  local NW, NH = 720, 520
  local v = plot.network(net2(3, -3), { show = false, live = false, classes = 0 })
  expect(v:save(tmp("net-maps"), NW, NH), "save failed")
  local img = assert(png.read_png(tmp("net-maps")))
  -- the input maps, left: x1 grows to the right (blue to red), x2 upwards (the top
  -- node is x1, the lower x2); the output 3 x1 - 3 x2: red at the right and the top
  -- (below the weight-colour key, which sits in the top-left corner)
  local x1 = heat_box(img, 0, NW // 2 - 60, NH * 15 // 100, NH // 2)
  local x2 = heat_box(img, 0, NW // 2 - 60, NH // 2, NH)
  local left, right = x1.ends("x")
  expect(left == "blue" and right == "red", "x1's map: %s at the left, %s at the right", left, right)
  local top, bottom = x2.ends("y")
  expect(top == "red" and bottom == "blue", "x2's map: %s at the top, %s at the bottom", top, bottom)
  local out = heat_box(img, NW // 2 + 60, NW, 0, NH)
  left, right = out.ends("x")
  expect(left == "blue" and right == "red", "the output's map along x: %s to %s", left, right)
  top, bottom = out.ends("y")
  expect(top == "blue" and bottom == "red" or top == "red" and bottom == "blue", "the output's map along y")
  expect(top == "blue", "3 x1 - 3 x2 falls with x2: the top of the output's map is %s", top)
  -- the links, down the middle column: from x1 (w = 3) red above, from x2 (w = -3)
  -- blue below, equally thick
  local mid = NW // 2
  local runs = runs_down(img, mid, math.floor(NH * 0.15), math.floor(NH * 0.85))
  expect(#runs == 2, "two links cross the middle, found %d runs", #runs)
  expect(runs[1].hue == "red" and runs[2].hue == "blue", "link colours: %s above, %s below", runs[1].hue, runs[2].hue)
  expect(math.abs(runs[1].len - runs[2].len) <= 1, "|w| equal, thickness %d and %d", runs[1].len, runs[2].len)
  -- a smaller weight draws a thinner link, and its sign its colour
  local v2 = plot.network(net2(-3, 1), { show = false, live = false, classes = 0 })
  v2:save(tmp("net-thin"), NW, NH)
  local img2 = assert(png.read_png(tmp("net-thin")))
  runs = runs_down(img2, mid, math.floor(NH * 0.15), math.floor(NH * 0.85))
  expect(#runs == 2 and runs[1].hue == "blue" and runs[2].hue == "red",
    "w = (-3, 1): a blue link above and a red one below, got %d runs", #runs)
  expect(runs[2].len < runs[1].len, "w = 1 is drawn thinner than w = -3: %d and %d px", runs[2].len, runs[1].len)
end

-- The non-white pixels down the column of x = e (data units) of a lines panel saved
-- at W x H, between 20% and 80% of its height.
local function column_ink(img, p, e)
  local px = pixel_of(p, e, 0)
  local n = 0
  for y = math.floor(H * 0.2), math.floor(H * 0.8) do
    if not is_white(img:pixel(px, y)) then n = n + 1 end
  end
  return n
end

function tests.loss_view_draws_its_curve_and_the_early_stop_marker_where_they_belong()
  local tr, te = data.blobs{ n = 300, classes = 3, noise = 0.3, test = 0.3, seed = 4 }
  nncore.seed(4)
  local m = nn.sequential{ nn.linear(2, 16), nn.relu(), nn.linear(16, 3) }
  local run = m:fit{ tr, validation = te, loss = nn.cross_entropy, epochs = 60, batch = 16,
    verbose = false, patience = 3 }
  local st = run:status()
  expect(st.best_epoch == 31 and st.epoch == 34, "this run (seed 4) stops at 34, best 31: %d, %d", st.epoch, st.best_epoch)
  local lv = plot.loss(run, { show = false, live = false })
  expect(lv.plot:save(tmp("loss-marker"), W, H), "save failed")
  local img = assert(png.read_png(tmp("loss-marker")))
  -- the dashed marker runs down the best epoch's column; half an epoch to either side
  -- (no grid line there: ticks are at multiples of 10) the column is white but for the curves
  local at, beside = column_ink(img, lv.plot, 31), column_ink(img, lv.plot, 32.5)
  expect(at > 100, "the early-stop marker at epoch 31: %d dark pixels down its column", at)
  expect(beside < 20, "no marker at epoch 32.5: %d dark pixels", beside)
  -- the validation curve passes through each epoch's validation loss
  local h = lv.run:history()
  for _, e in ipairs{ 5, 15, 25 } do
    local cx, cy = pixel_of(lv.plot, e, h.val_loss[e])
    local found = false
    for dy = -3, 3 do
      for dx = -2, 2 do
        if hue(img:pixel(cx + dx, cy + dy)) or not is_white(img:pixel(cx + dx, cy + dy)) then found = true end
      end
    end
    expect(found, "no curve at epoch %d, loss %.3f (pixel %d, %d)", e, h.val_loss[e], cx, cy)
  end
end

function tests.loss_view_marks_an_lr_change_at_its_step()
  nncore.seed(2)
  local d = ndata.synth("circle", 300, 2, 0.05)
  local m = train.sequential{ train.linear(2, 6, "xavier_uniform", 0, 0, "zeros"), train.activation("tanh"),
    train.linear(6, 1, "xavier_uniform", 0, 0, "zeros") }
  local o = optim_core.new("sgd", m, { lr = 0.1 })
  local r = train.run(m, o, d, nil, { loss = "bce", epochs = 20, batch = 10 })
  local v = plot.loss(r, { show = false, optimizer = o, live = false, accuracy = false })
  while r:status().epoch < 7 do r:run_for(1e-6) end -- one step a call
  local st = r:status()
  local at = st.step / st.steps_per_epoch -- where the marker goes, in epochs
  o.lr = 0.01
  v:refresh()
  r:run_for(0)
  v:refresh()
  expect(v.plot:save(tmp("loss-lr"), W, H), "save failed")
  local img = assert(png.read_png(tmp("loss-lr")))
  local ink, beside = column_ink(img, v.plot, at), column_ink(img, v.plot, at + 1.5)
  expect(ink > 100, "the lr marker at epoch %.2f: %d dark pixels down its column", at, ink)
  expect(beside < 20, "no marker 1.5 epochs later: %d dark pixels", beside)
end

function tests.playground_refuses_sine_and_keeps_its_settings_when_a_change_fails()
  local pg = playground{ data = "xor", hidden = { 4 }, epochs = 2, seed = 4, show = false }
  local ok, err = pcall(function() pg.data = "sine" end)
  expect(not ok and err:find("sine is a 1-D set", 1, true) and err:find("plane, gauss_sum", 1, true),
    "sine is refused with the reason and the 2-D sets: %s", tostring(err))
  expect(pg.data == "xor" and pg._s.data == "xor", "the refused set is not kept: %s", tostring(pg._s.data))
  ok, err = pcall(function() pg.data = "swirl" end)
  expect(not ok and err:find("no data set \"swirl\"", 1, true), "an unknown set is named: %s", tostring(err))
  -- a change that fails while rebuilding leaves the playground as it was
  local model, flags = pg.model, pg.flags
  ok, err = pcall(function() pg.features = {} end)
  expect(not ok and err:find("choose at least one feature", 1, true), "no features: %s", tostring(err))
  expect(#pg._s.features == 2 and pg.model == model and pg.flags == flags, "the old features and net stay")
  pg.hidden = { 3 } -- and it still rebuilds afterwards
  expect(pg.model:nparams() == (2 * 3 + 3) + (3 + 1), "rebuilt after the failure: %d", pg.model:nparams())
end

-- Distance of (r, g, b) from the nearest colour of the ramp from white to c.
local function off_ramp(r, g, b, c)
  local best = math.huge
  for k = 0, 100 do
    local t = k / 100
    local d = math.abs(r - (255 + t * (c[1] - 255))) + math.abs(g - (255 + t * (c[2] - 255)))
      + math.abs(b - (255 + t * (c[3] - 255)))
    best = math.min(best, d)
  end
  return best
end
local CLASS1, CLASS2 = { 0, 114, 178 }, { 213, 94, 0 } -- the viz's first two series colours

function tests.regression_points_are_coloured_on_the_surfaces_scale()
  -- a field whose value is x; a point of value 0.9 placed at x = 0.1 must take the
  -- surface's colour at x = 0.9, not at 0.1 (the colour scale is the surface's own)
  local p = plot.field{ values = { { 0, 1 }, { 0, 1 } }, xmin = 0, xmax = 1, ymin = 0, ymax = 1, show = false }
  p:levels(0)
  p:points({ 0.1, 0.9 }, { 0.5, 0.5 })
  p:values({ 0.9, 0.1 })
  p:save(tmp("valued"), W, H)
  local img = assert(png.read_png(tmp("valued")))
  local function dist(a, b) return math.abs(a[1] - b[1]) + math.abs(a[2] - b[2]) + math.abs(a[3] - b[3]) end
  local at01, at09 = { colour_at(img, p, 0.1, 0.3) }, { colour_at(img, p, 0.9, 0.3) }
  local pt1, pt2 = { colour_at(img, p, 0.1, 0.5) }, { colour_at(img, p, 0.9, 0.5) }
  expect(dist(pt1, at09) < 30 and dist(pt1, at01) > 100,
    "the point of value 0.9 at x = 0.1 is (%d,%d,%d); the surface is (%d,%d,%d) at 0.9", pt1[1], pt1[2], pt1[3],
    at09[1], at09[2], at09[3])
  expect(dist(pt2, at01) < 30, "the point of value 0.1 is (%d,%d,%d), the surface at 0.1 (%d,%d,%d)",
    pt2[1], pt2[2], pt2[3], at01[1], at01[2], at01[3])
  -- the playground hands the targets over as the values
  local pg = playground{ data = "plane", epochs = 1, seed = 2, n = 80, show = false }
  local vs, ys = pg.views.decision.point_values, pg.train_raw:y():totable()
  expect(#vs == #ys, "%d values for %d training points", #vs, #ys)
  for i = 1, #ys do expect(vs[i] == ys[i][1], "point %d: value %s, target %s", i, vs[i], ys[i][1]) end
end

function tests.decision_view_has_a_legend_of_classes_and_of_train_and_test()
  local m, d = trained_xor()
  local tr, te = d:split(0.5)
  local v = plot.decision(m, tr, { test = te, show = false, n = 60 })
  v:save(tmp("legend"), W, H)
  local img = assert(png.read_png(tmp("legend")))
  -- right of the plot area
  local x0 = pixel_of(v.plot, v.box.xmax, 0) + 4
  local seen = { c1 = 0, c2 = 0, ring = 0, dark = 0 }
  for y = 0, H - 1 do
    for x = math.min(W - 1, x0), W - 1 do
      local r, g, b = img:pixel(x, y)
      if math.abs(r - CLASS1[1]) + math.abs(g - CLASS1[2]) + math.abs(b - CLASS1[3]) < 20 then seen.c1 = seen.c1 + 1 end
      if math.abs(r - CLASS2[1]) + math.abs(g - CLASS2[2]) + math.abs(b - CLASS2[3]) < 20 then seen.c2 = seen.c2 + 1 end
      if r < 80 and g < 80 and b < 80 then seen.dark = seen.dark + 1 end
    end
  end
  expect(seen.c1 > 10 and seen.c2 > 10, "the legend shows both class colours: %d and %d pixels", seen.c1, seen.c2)
  expect(seen.dark > 80, "and its words and the ring of a test point: %d dark pixels", seen.dark)
  -- hidden test points: the same picture as a view without them
  v:toggle_test(false)
  expect(not v.show_test, "toggle_test(false) hides them")
  v:save(tmp("no-test"), W, H)
  local plain = plot.decision(m, tr, { show = false, n = 60 })
  plain:save(tmp("train-only"), W, H)
  local a, b = assert(png.read_png(tmp("no-test"))), assert(png.read_png(tmp("train-only")))
  local differ, shown_differ = 0, 0
  for y = 0, H - 1, 2 do
    for x = 0, W - 1, 2 do
      local r1, g1, b1 = a:pixel(x, y)
      local r2, g2, b2 = b:pixel(x, y)
      if r1 ~= r2 or g1 ~= g2 or b1 ~= b2 then differ = differ + 1 end
      local r3, g3, b3 = img:pixel(x, y)
      if r3 ~= r2 or g3 ~= g2 or b3 ~= b2 then shown_differ = shown_differ + 1 end
    end
  end
  expect(differ == 0, "without its test points the view is the training-only view: %d pixels differ", differ)
  expect(shown_differ > 200, "with them it is not: %d pixels differ", shown_differ)
  expect(tostring(v):find("test (hidden)", 1, true), "its line says so: %s", tostring(v))
  expect(repl.repr(v:refresh()) == tostring(v) and not tostring(v):find("\n"),
    "v:refresh() at the prompt prints one line: %s", repl.repr(v))
end

function tests.network_maps_share_the_decision_surfaces_colours_and_box()
  local m, d = trained_xor()
  -- spread the data over -5..5: the network's maps must cover that box
  local big = ndata.from(d:x() * 5, d:y(), 2)
  local dv = plot.decision(m, big, { show = false, n = 40 })
  local v = plot.network(m, { show = false, live = false })
  expect(v.box.xmin == dv.box.xmin and v.box.ymax == dv.box.ymax,
    "the network view takes the decision view's box: %g..%g, want %g..%g", v.box.xmin, v.box.xmax, dv.box.xmin, dv.box.xmax)
  local v2 = plot.network(m, big, { show = false, live = false })
  expect(math.abs(v2.box.xmax - dv.box.xmax) < 1e-9, "plot.network(model, data) takes data's box: %g", v2.box.xmax)
  expect(v2.layer_names[2] == "8 tanh" and v2.layer_names[3] == "output 1",
    "the hidden layer is named by width and activation: %s, %s", v2.layer_names[2], v2.layer_names[3])
  expect(tostring(v2):find("2-8-1", 1, true), "one line: %s", tostring(v2))
  -- every coloured pixel of the maps lies on the decision surface's two class ramps
  local NW, NH = 720, 520
  v2:save(tmp("net-classes"), NW, NH)
  local img = assert(png.read_png(tmp("net-classes")))
  local coloured, off = 0, 0
  for y = NH // 6, NH - 40, 2 do
    for x = 0, NW - 1, 2 do
      local r, g, b = img:pixel(x, y)
      if math.max(r, g, b) - math.min(r, g, b) > 60 then
        coloured = coloured + 1
        if math.min(off_ramp(r, g, b, CLASS1), off_ramp(r, g, b, CLASS2)) > 30 then off = off + 1 end
      end
    end
  end
  expect(coloured > 500 and off < coloured // 50,
    "%d of %d coloured pixels are in neither class's colours (the old red and blue map)", off, coloured)
end

function tests.playground_stays_stopped_and_marks_data_changes()
  local was = repl.interactive
  repl.interactive = true
  local ok, err = pcall(function()
    local pg = playground{ data = "xor", hidden = { 3 }, epochs = 2, seed = 4 }
    for _ = 1, 20 do repl._jobs_step(0.005) end
    pg:stop()
    local line = repl.repr(pg)
    expect(line:find("^playground: xor") and line:find("stopped$") and not line:find("\n"),
      "the playground prints one line with its state: %s", line)
    local lv = pg.views.loss
    expect(repl.repr(lv):find("^loss view: epoch %d+, train loss [%d.e-]+, test [%d.e-]+, run ") and
      not repl.repr(lv):find("\n"), "the loss view prints one line: %s", repl.repr(lv))
    local before = lv.plot:version()
    pg.noise = 0.3 -- a data setting: a new run over new data
    expect(pg.job.state == "stopped", "after pg:stop() a setting does not restart training: job %s", pg.job.state)
    for _ = 1, 20 do repl._jobs_step(0.005) end
    expect(pg.raw_run:status().step == 0, "no step was taken: %d", pg.raw_run:status().step)
    expect(lv.plot:version() > before, "the loss panel was redrawn with a marker")
    lv.plot:save(tmp("data-marker"), W, H)
    local img = assert(png.read_png(tmp("data-marker")))
    local px = pixel_of(lv.plot, lv.offset, 0)
    local ink = 0
    for y = math.floor(H * 0.3), math.floor(H * 0.8) do
      local r, g, b = img:pixel(px, y)
      if not is_white(r, g, b) then ink = ink + 1 end
    end
    expect(ink > 40, "a dashed marker at epoch %g where the new data starts: %d pixels", lv.offset, ink)
    pg.run:resume()
    expect(pg.job.state == "running", "run:resume() trains again: %s", pg.job.state)
    pg:stop()
    pg.window:close()
  end)
  repl.interactive = was
  if not ok then error(err, 0) end
end

function tests.a_loss_window_follows_the_run_a_click_starts()
  local tr = data.xor{ n = 200, noise = 0.05, seed = 6 }
  nncore.seed(6)
  local m = nn.sequential{ nn.linear(2, 8), nn.tanh(), nn.linear(8, 1) }
  local was = repl.interactive
  repl.interactive = true
  local ok, err = pcall(function()
    local run = m:fit{ tr, loss = nn.bce, epochs = 10, batch = 10, verbose = false }
    run:pause()
    for _ = 1, 30 do run:step() end -- an epoch and a half
    local lv = plot.loss(run, { show = false })
    local v = plot.decision(m, tr, { run = run, show = false })
    local old = lv.run
    v:add_point(3, -3, 2)
    expect(lv.run ~= old, "the loss view follows the new run")
    wait(v.run.job)
    lv:refresh()
    local st = v.run:status()
    expect(lv.run:status().step == st.step and lv.epochs_drawn == st.epoch,
      "the loss view drew the new run's %d epochs, drew %d", st.epoch, lv.epochs_drawn)
    expect(lv.offset > 0, "its curve continues where the old run's ended")
  end)
  repl.interactive = was
  if not ok then error(err, 0) end
end

local names = {}
for name in pairs(tests) do names[#names + 1] = name end
table.sort(names)
local failed = 0
for _, name in ipairs(names) do
  local ok, err = xpcall(tests[name], debug.traceback)
  if not ok then
    failed = failed + 1
    io.stderr:write(("FAIL %s: %s\n"):format(name, err))
  end
end
if failed > 0 then error(("%d of %d view tests failed"):format(failed, #names)) end
print(("ok: %d view tests"):format(#names))

-- plot.network(m) after only m:fit takes its box from the data m trained on
do
  local dd = data.spiral{n = 100}
  local mm = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 2)}
  mm:fit{dd, epochs = 1, verbose = false}
  local nv = plot.network(mm, {show = false})
  assert(nv.box.xmin < -2.5 and nv.box.xmax > 2.5, ("the box of the spiral, not -1..1, got %g..%g"):format(nv.box.xmin, nv.box.xmax))
end
