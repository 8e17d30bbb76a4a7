-- test_seek.lua: run history scrubbing (issue 12). A run keeps its weights after each
-- epoch within a memory budget (thinned to every 2nd, 4th... epoch when over it);
-- run:seek(e) shows the model of epoch e in the run's views without disturbing
-- training: the decision surface after a seek equals the one a run stopped at that
-- epoch draws; the arrow keys of a view move the epoch shown; the network, loss,
-- confusion and sample views follow the seek.
local views = require "views"
local vd = require "views_data"

local dir = os.getenv("TMPDIR") or "/tmp"
local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

local function same(a, b)
  if type(a) ~= "table" then return a == b end
  if #a ~= #b then return false end
  for i = 1, #a do if not same(a[i], b[i]) then return false end end
  return true
end

-- the same seed, the same model and the same batches: a run of 3 epochs is the first
-- 3 epochs of a run of 12
local function fresh()
  nn.seed(5)
  local d = data.spiral{n = 150, classes = 3}
  return nn.sequential{nn.linear(2, 12), nn.tanh(), nn.batchnorm(12), nn.linear(12, 3)}, d
end
local function trained(epochs, extra)
  local m, d = fresh()
  local args = {d, epochs = epochs, batch = 2, verbose = false} -- 75 steps an epoch: each kept
  for k, v in pairs(extra or {}) do args[k] = v end
  return m, d, m:fit(args)
end

-- snapshots: one per epoch and epoch 0, all within the budget
local m, d, r = trained(12)
local s = r:snapshots()
expect(#s.epochs == 13 and s.epochs[1] == 0 and s.epochs[13] == 12 and s.stride == 1,
  "snapshots: expected epochs 0..12, got %s (stride %d)", table.concat(s.epochs, " "), s.stride)
expect(s.bytes > 0 and s.bytes <= s.budget and s.budget == 64 * 1048576, "snapshots: %d bytes of %d", s.bytes, s.budget)

-- thinning: a budget of 4 snapshots of this net keeps every 4th epoch of 12
local each = s.bytes // #s.epochs
local _, _, rt = trained(12, {snapshots = (4 * each + each // 2) / 1048576})
local st = rt:snapshots()
expect(st.bytes <= st.budget and #st.epochs <= 4, "thinning: %d snapshots, %d bytes over %d", #st.epochs,
  st.bytes, st.budget)
expect(same(st.epochs, {0, 4, 8, 12}) and st.stride == 4, "thinning: expected 0 4 8 12 (stride 4), got %s (stride %d)",
  table.concat(st.epochs, " "), st.stride)
-- epochs of 10 steps: a snapshot every 8 epochs (64 steps or more between them)
local _, _, rsmall = trained(20, {batch = 16})
expect(same(rsmall:snapshots().epochs, {0, 8, 16}) and rsmall:snapshots().stride == 8,
  "short epochs: expected 0 8 16 (stride 8), got %s", table.concat(rsmall:snapshots().epochs, " "))
local _, _, roff = trained(2, {snapshots = false})
expect(#roff:snapshots().epochs == 0, "snapshots = false keeps none")

-- seek restores the exact weights: the surface at epoch 3 equals a 3-epoch run's
local m3, d3 = trained(3)
local v3 = views.decision(m3, d3, {show = false, live = false, n = 30})
local ref = v3.surface:totable()
local ref_params = {}
for i, p in ipairs(m3:parameters()) do ref_params[i] = p:totable() end
local v = views.decision(m, d, {show = false, live = false, n = 30, run = r})
local latest = v.surface:totable()
expect(not same(latest, ref), "the surface after 12 epochs differs from epoch 3's")
local live_params = {}
for i, p in ipairs(m:parameters()) do live_params[i] = p:totable() end
expect(r:seek(3) == 3 and r:shown_epoch() == 3, "seek(3) shows epoch 3")
expect(same(v.surface:totable(), ref), "seek(3): the decision surface equals the one of a run stopped at epoch 3")
expect(v.plot:save(dir .. "/nnlab-test-seek-3.png", 480, 400), "saved")
local inside = r:with_shown(function()
  local out = {}
  for i, p in ipairs(m:parameters()) do out[i] = p:totable() end
  return out
end)
expect(same(inside, ref_params), "seek(3): the weights are those of epoch 3")
for i, p in ipairs(m:parameters()) do
  expect(same(p:totable(), live_params[i]), "the live weights are untouched by the seek (tensor %d)", i)
end
-- batch norm's running statistics come back too (the eval-mode outputs depend on them)
local bn_ref = {m3:children()[3]:running()}
local bn = r:with_shown(function() return {m:children()[3]:running()} end)
expect(same(bn[1]:totable(), bn_ref[1]:totable()) and same(bn[2]:totable(), bn_ref[2]:totable()),
  "seek(3): batch norm's running statistics are epoch 3's")

-- the arrow keys move the shown epoch one snapshot at a time
expect(v:key(r.KEY_LEFT) and r:shown_epoch() == 2, "left arrow: epoch 2, got %d", r:shown_epoch())
v:key(r.KEY_RIGHT); v:key(r.KEY_RIGHT)
expect(r:shown_epoch() == 4, "right arrow twice: epoch 4, got %d", r:shown_epoch())
for _ = 1, 20 do v:key(r.KEY_RIGHT) end
expect(r:shown_epoch() == 12 and rawget(r, "_seek_epoch") == nil, "right past the end: the latest")
expect(same(v.surface:totable(), latest), "back at the latest: the surface of epoch 12")
r:seek(0)
for _ = 1, 3 do v:key(r.KEY_LEFT) end
expect(r:shown_epoch() == 0, "left before the start stays at epoch 0")

-- errors name the range
local ok, err = pcall(r.seek, r, 13)
expect(not ok and err:find("epoch 13 is not in the run's history %(0 to 12%)"), "seek(13): %s", tostring(err))
ok, err = pcall(r.seek, r, "first")
expect(not ok and err:find("expected an epoch"), "seek(\"first\"): %s", tostring(err))
ok, err = pcall(m.fit, m, {d, epochs = 1, snapshots = -1, verbose = false})
expect(not ok and err:find("snapshots must be"), "snapshots = -1: %s", tostring(err))

-- the network and loss views follow the seek; the loss view marks the epoch
r:seek(3)
local net = views.network(m, d, {show = false, live = false, run = r})
expect(net.title_text:find("epoch 3"), "network view's title names epoch 3: %s", net.title_text)
local lv = views.loss(r, {show = false, live = false})
expect(lv.marked == 3, "the loss view marks epoch 3")
lv:key(r.KEY_RIGHT)
expect(lv.marked == 4 and r:shown_epoch() == 4, "the loss view's arrow moves the run to epoch 4")
expect(net.title_text:find("epoch 4"), "the network view followed to epoch 4: %s", net.title_text)
r:seek("latest")
expect(lv.marked == nil and not net.title_text:find("epoch"), "latest: no marker, no epoch in the title")

-- confusion and samples of the run follow the seek: at epoch 0 (untrained) they differ
-- from the latest and equal what the epoch-0 model gives
local pc, tc, cview = vd.confusion(r, {show = false})
local cm_latest = tc.counts
r:seek(0)
local cm0 = cview.table.counts
local m0, d0 = fresh()
local ev0 = nn.evaluate(m0, d0)
expect(same(cm0, ev0.confusion), "confusion at epoch 0 equals the untrained model's")
expect(not same(cm0, cm_latest), "confusion at epoch 0 differs from the latest")
r:seek("latest")
expect(same(cview.table.counts, cm_latest), "confusion back at the latest")
assert(pc)

-- samples of a run follow the seek (the Fashion-MNIST-like 8x8 digits are squares)
local img = data.from(nn.randn{60, 16}, nn.tensor((function()
  local t = {}
  for i = 1, 60 do t[i] = {(i - 1) % 2} end
  return t
end)()), {classes = 2})
nn.seed(9)
local mi = nn.sequential{nn.linear(16, 8), nn.relu(), nn.linear(8, 2)}
local ri = mi:fit{img, epochs = 6, batch = 10, verbose = false, optimizer = optim.sgd(mi, {lr = 0.5})}
local ps, info_latest, sview = vd.samples(mi, img, {n = 60, run = ri, show = false})
assert(ps)
local pred_latest = info_latest.predicted
ri:seek(0)
local pred0 = sview.info.predicted
local _, p0_direct = ri:with_shown(vd.predictions, mi, img)
expect(same(pred0, p0_direct), "samples at epoch 0 show the epoch-0 predictions")
expect(not same(pred0, pred_latest), "samples at epoch 0 differ from the latest")
ri:seek("latest")
expect(same(sview.info.predicted, pred_latest), "samples back at the latest")

print("test_seek: ok")
