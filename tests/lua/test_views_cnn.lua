-- test_views_cnn.lua: the views of a CNN (lua/views_cnn.lua): receptive fields by the
-- window arithmetic; a unit's sum written out equals the layer's output (conv with
-- padding, stride, groups; max and average pooling); filter grids (summed, one channel,
-- all); saliency against finite differences of the score; the top images of a filter
-- against a brute-force search; the explainer's panels, probabilities and selection;
-- every view follows run:seek; each renders to a PNG.
local V = require "views_cnn"
local dir = os.getenv("TMPDIR") or "/tmp"
local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end
local function flat(t)
  local out = {}
  local function walk(v) if type(v) ~= "table" then out[#out + 1] = v else for _, w in ipairs(v) do walk(w) end end end
  walk(t:totable())
  return out
end
local function near(a, b, tol) return math.abs(a - b) <= tol * math.max(1, math.abs(b)) end
local function same(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end
local function png_ok(obj, name)
  local path = dir .. "/test_views_cnn_" .. name .. ".png"
  obj:save(path)
  local f = assert(io.open(path, "rb"))
  local size = f:seek("end")
  f:close()
  expect(size > 2000, "%s: the PNG has %d bytes", name, size)
  os.remove(path)
end

nn.seed(7)
local train = data.fashion_mnist{limit = 120, split = "train", shape = "image"}
local function lenet()
  return nn.sequential{nn.conv2d(1, 6, 5, {padding = 2}), nn.relu(), nn.maxpool2d(2), nn.conv2d(6, 16, 5),
    nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(400, 120), nn.relu(), nn.linear(120, 84), nn.relu(),
    nn.linear(84, 10)}
end
local m = lenet()
local ok, err

-- receptive fields of LeNet-5: C1 5x5 (padding 2: rows -1..3 for the first unit), S2
-- 6x6, C3 14x14, S4 16x16
local L = V.layers(m, {1, 28, 28})
expect(#L == 12 and L[6].shape[1] == 16 and L[6].shape[2] == 5, "LeNet's layers and shapes")
local function rf(k, r, c) return {V.receptive_field(L, k, r, c)} end
expect(same(rf(1, 1, 1), {-1, 3, -1, 3}), "C1 unit (1,1) sees rows -1..3, got %s", table.concat(rf(1, 1, 1), ","))
expect(same(rf(3, 5, 5), {7, 12, 7, 12}), "S2 unit (5,5) sees rows 7..12, got %s", table.concat(rf(3, 5, 5), ","))
expect(same(rf(4, 1, 1), {-1, 12, -1, 12}), "C3 unit (1,1): 14x14, got %s", table.concat(rf(4, 1, 1), ","))
expect(same(rf(6, 2, 3), {3, 18, 7, 22}), "S4 unit (2,3): 16x16 at stride 4, got %s", table.concat(rf(6, 2, 3), ","))
-- stride 2 and dilation 2: unit 2 starts 2 rows on and spans 5
local sd = nn.sequential{nn.conv2d(1, 2, 3, {stride = 2, dilation = 2})}
local Ls = V.layers(sd, {1, 11, 11})
expect(same({V.receptive_field(Ls, 1, 2, 3)}, {3, 7, 5, 9}), "stride 2, dilation 2: rows 3..7, cols 5..9")

-- m:window: each conv and pooling layer's window, nil for others
local w1, w3 = m:children()[1]:window(), m:children()[3]:window()
expect(w1.kind == "conv2d" and w1.kh == 5 and w1.sh == 1 and same(w1.pad, {2, 2, 2, 2}) and w1.groups == 1,
  "C1's window: 5x5, stride 1, padding 2")
expect(w3.kind == "max" and w3.kh == 2 and w3.sh == 2 and same(w3.pad, {0, 0, 0, 0}), "S2's window: 2x2, stride 2")
expect(m:children()[2]:window() == nil and m:children()[8]:window() == nil, "no window for relu and linear")
local wg = nn.conv2d(4, 6, {3, 1}, {padding = "same", groups = 2, stride = {2, 1}, dilation = {1, 2}}):window()
expect(wg.kh == 3 and wg.kw == 1 and wg.sh == 2 and wg.sw == 1 and wg.dw == 2 and wg.same and wg.groups == 2,
  "a conv's window keeps kernel, stride, dilation, same and groups")
expect(nn.avgpool2d(3, {padding = 1}):window().kind == "avg" and nn.global_avgpool():window().kind == "global_avg",
  "pool kinds")
-- flat data is refused with the reason
local flat_set = data.fashion_mnist{limit = 5, split = "test"}
ok, err = pcall(plot.explain, m, 1, {data = flat_set, show = false})
expect(not ok and err:find('shape = "image"', 1, true), "flat inputs are refused naming shape = \"image\": %s", tostring(err))

-- a unit's sum: the recomputed sum equals the layer's output
local x = train:x():rows(4, 1)
for _, t in ipairs{{1, 2, 1, 1}, {1, 5, 14, 20}, {4, 9, 3, 7}, {3, 2, 6, 6}, {6, 16, 5, 5}, {2, 3, 9, 9}} do
  local u = V.unit_sum(m, x, t[1], t[2], t[3], t[4])
  expect(near(u.total, u.value, 1e-4), "layer %d unit %d,%d,%d: sum %.6g, the layer gives %.6g", t[1], t[2], t[3],
    t[4], u.total, u.value)
  expect(type(u.text) == "string" and u.text:find(("%.4g"):format(u.total), 1, true), "the text shows the sum %.4g: %s", u.total, u.text)
end
local u4 = V.unit_sum(m, x, 4, 9, 3, 7)
for line in u4.text:gmatch("[^\n]+") do -- the explainer's text panel stays at a readable size
  expect(utf8.len(line) <= 44, "a line of the written-out sum fits its panel: %q", line)
end
expect(#u4.terms == 6 and #u4.terms[1].products == 25, "C3's sum runs over 6 maps of 25 products")
-- groups, "same" padding, average pooling
local g = nn.sequential{nn.conv2d(4, 6, 3, {padding = "same", groups = 2, stride = 2}), nn.avgpool2d(2, {padding = 1})}
local xg = nn.randn{1, 4, 9, 9}
for _, t in ipairs{{1, 1, 1, 1}, {1, 5, 5, 5}, {1, 4, 3, 2}, {2, 6, 1, 1}, {2, 2, 3, 2}} do
  local u = V.unit_sum(g, xg, t[1], t[2], t[3], t[4])
  expect(near(u.total, u.value, 1e-4), "groups/same/avg: layer %d unit %d,%d,%d: %.6g against %.6g", t[1], t[2],
    t[3], t[4], u.total, u.value)
end
expect(#V.unit_sum(g, xg, 1, 5, 2, 2).terms == 2, "a group of 2 input maps")
ok, err = pcall(V.unit_sum, m, x, 4, 17, 1, 1)
expect(not ok and err:find("outside layer 4's maps 16×10×10", 1, true), "a unit off the maps is refused: %s", tostring(err))
ok, err = pcall(V.unit_sum, m, x, 8, 1, 1, 1)
expect(not ok and err:find("gives no maps"), "a linear layer has no maps: %s", tostring(err))

-- filters: summed over input channels, one channel, all
local c2 = nn.sequential{nn.conv2d(2, 3, 2, {bias = false})}
local W = c2:children()[1]:param(1)
local vals = {}
for i = 1, 24 do vals[i] = i end
require("nn.train").assign(W, nn.tensor(vals):reshape(3, 8))
local fs = V.filter_images(c2, 1, "sum")
expect(fs.n == 3 and fs.h == 2 and fs.w == 2, "3 summed filters of 2x2")
expect(same(fs.images, {1 + 5, 2 + 6, 3 + 7, 4 + 8, 9 + 13, 10 + 14, 11 + 15, 12 + 16, 17 + 21, 18 + 22, 19 + 23, 20 + 24}),
  "the summed filters: %s", table.concat(fs.images, ","))
local f2 = V.filter_images(c2, 1, 2)
expect(same(f2.images, {5, 6, 7, 8, 13, 14, 15, 16, 21, 22, 23, 24}), "channel 2 of each filter")
local fa = V.filter_images(c2, 1, "all")
expect(fa.n == 6 and fa.cols == 2 and same(fa.images, vals), "all: a row a filter")
ok, err = pcall(plot.filters, m, {layer = 2, show = false})
expect(not ok and err:find("the conv layers are 1, 4"), "a layer that is not conv is refused naming them: %s", tostring(err))
ok, err = pcall(V.filter_images, c2, 1, 3)
expect(not ok and err:find("1 to 2"), "channel 3 of 2 refused: %s", tostring(err))
local pf, fv = plot.filters(m, {layer = 4, channel = 3, show = false})
expect(#fv.images == 16 * 25, "layer 4 channel 3: 16 filters of 25")
png_ok(pf, "filters")

-- saliency: d score / d x against central differences of the score (tanh: smooth)
nn.seed(11)
local sm = nn.sequential{nn.conv2d(1, 3, 3), nn.tanh(), nn.avgpool2d(2), nn.flatten(), nn.linear(12, 4)}
local xs = nn.randn{1, 1, 6, 6}
local s = V.saliency_map(sm, xs, 2)
expect(s.class == 2 and #s.grad == 36 and #s.saliency == 36, "saliency: a gradient per pixel")
local base = flat(xs)
local function score(v) return sm:predict(nn.tensor(v):reshape(1, 1, 6, 6)):totable()[1][3] end
expect(near(s.score, score(base), 1e-5), "the score is the logit of class 2")
local eps, worst = 1e-2, 0
for p = 1, 36 do
  local up, dn = {table.unpack(base)}, {table.unpack(base)}
  up[p], dn[p] = up[p] + eps, dn[p] - eps
  local fd = (score(up) - score(dn)) / (2 * eps)
  worst = math.max(worst, math.abs(fd - s.grad[p]))
  expect(near(s.saliency[p], math.abs(s.grad[p]), 1e-9), "saliency is |grad| for one channel")
end
expect(worst < 2e-3, "saliency against finite differences: largest difference %.3g", worst)
local sp = V.saliency_map(sm, xs)
local pr = sm:predict(xs):totable()[1]
local best = 1
for i = 2, 4 do if pr[i] > pr[best] then best = i end end
expect(sp.class == best - 1, "no class: the predicted one")
ok, err = pcall(V.saliency_map, sm, xs, 4)
expect(not ok and err:find("0 to 3"), "class 4 of 4 refused: %s", tostring(err))
local ws, sv = plot.saliency(m, 5, {data = train, show = false})
expect(#sv.map.saliency == 784, "the saliency of a 28x28 image")
png_ok(ws, "saliency")

-- top images: against brute force over the set
local top = V.top_activations(m, train, 5, 3, 9)
local h = train:x()
for i = 1, 5 do h = m:children()[i]:predict(h) end
local all = h:totable()
local scores = {}
for i = 1, #all do
  local mx = -math.huge
  for _, row in ipairs(all[i][3]) do for _, v in ipairs(row) do mx = math.max(mx, v) end end
  scores[i] = {index = i, value = mx}
end
table.sort(scores, function(a, b) if a.value ~= b.value then return a.value > b.value end return a.index < b.index end)
expect(#top == 9, "9 top images")
for i = 1, 9 do
  expect(top[i].index == scores[i].index and near(top[i].value, scores[i].value, 1e-6),
    "top image %d: %d (%.4g), brute force %d (%.4g)", i, top[i].index, top[i].value, scores[i].index, scores[i].value)
end
ok, err = pcall(V.top_activations, m, train, 5, 17, 9)
expect(not ok and err:find("16 maps"), "filter 17 of 16 refused: %s", tostring(err))
local pt, tv = plot.top_images(m, train, {layer = 5, filter = 3, show = false})
expect(tv.top[1].index == scores[1].index, "the view shows the top images")
png_ok(pt, "top_images")

-- the explainer: a panel per layer with maps or units, probabilities of the scores,
-- a unit selected lights its receptive field
local we, ev = plot.explain(m, 4, {data = train, show = false})
assert(repl.repr(ev):find("^explainer: %d+ layers$"), "one line at the prompt: " .. repl.repr(ev))
local logits = m:predict(x):totable()[1]
local z = 0
for _, v in ipairs(logits) do z = z + math.exp(v) end
for i, p in ipairs(ev.probs) do expect(near(p, math.exp(logits[i]) / z, 1e-5), "probability %d is the softmax", i) end
expect(ev.panel1 and ev.panel6 and ev.panel10 and not ev.panel7 and not ev.panel12,
  "panels for the maps and hidden units, not flatten or the scores")
local u = ev:select(4, 2, 3, 3)
expect(same(ev.field, {V.receptive_field(L, 4, 3, 3)}), "the selection lights the unit's receptive field")
expect(near(u.total, u.value, 1e-4), "the selection's sum")
local hu = ev:hover(3, "image 4  row 6  col 2  value 0.25")
expect(hu and hu.layer == 3 and same(ev.field, {V.receptive_field(L, 3, 6, 2)}), "a hover over S2's map 4 selects it")
expect(ev:hover(8, "image 1  row 1  col 7  value 1") == nil, "a hover over a vector selects nothing")
expect(ev:hover(3, "nothing here") == nil and same(ev.field, {V.receptive_field(L, 3, 6, 2)}), "text without a unit keeps the selection")
-- a click chooses a unit: hovers preview others, and with the cursor off the maps
-- (no tooltip text) the chosen one comes back; n and b slide from the chosen one
local cu = ev:click(4, 1, 2, 5)
expect(cu and cu.layer == 4 and same(ev.chosen, {4, 1, 2, 5}) and same(ev.field, {V.receptive_field(L, 4, 2, 5)}),
  "a click on C3's map 1 at row 2, col 5 chooses that unit")
expect(ev:hover(1, "image 2  row 9  col 9  value 0.5") and same(ev.field, {V.receptive_field(L, 1, 9, 9)}),
  "a hover previews another unit")
expect(same(ev.chosen, {4, 1, 2, 5}), "a hover does not choose")
expect(ev:hover(1, "") == nil and ev.unit.layer == 4 and same(ev.field, {V.receptive_field(L, 4, 2, 5)}),
  "off the maps the clicked unit comes back")
expect(ev:click(8, 1, 1, 7) == nil and same(ev.chosen, {4, 1, 2, 5}), "a click on a vector chooses nothing")
expect(ev:click(4, 1, 99, 1) == nil and same(ev.chosen, {4, 1, 2, 5}), "a click off the maps chooses nothing")
ev:hover(1, "image 2  row 9  col 9  value 0.5")
local sl = ev:slide()
expect(sl.layer == 4 and sl.row == 2 and sl.col == 6, "n slides the chosen unit, not the hovered one")
ev:select(1, 3, 1, 27)
local us = ev:slide()
expect(us.row == 1 and us.col == 28 and near(us.total, us.value, 1e-4), "slide: one column on")
us = ev:slide()
expect(us.row == 2 and us.col == 1 and same(ev.field, {V.receptive_field(L, 1, 2, 1)}), "slide: on to the next row")
us = ev:slide(-2)
expect(us.row == 1 and us.col == 27, "slide back")
png_ok(we, "explain")

-- every view follows run:seek: after a seek to epoch 0 it shows the untrained net
nn.seed(2)
local mr = lenet()
local maps0 = V.feature_maps(mr, x)
local filt0 = V.filter_images(mr, 1, "sum").images
local sal0 = V.saliency_map(mr, x, 3).saliency
local top0 = V.top_activations(mr, train, 2, 1, 9)
local run = mr:fit{train, epochs = 2, batch = 20, optimizer = optim.sgd(mr, {lr = 0.05, momentum = 0.9}), wait = true,
  verbose = false}
local _, fview = plot.filters(mr, {run = run, show = false})
local _, eview = plot.explain(mr, x, {run = run, show = false})
local _, sview = plot.saliency(mr, x, {class = 3, run = run, show = false})
local _, tview = plot.top_images(mr, train, {layer = 2, filter = 1, run = run, show = false})
expect(not same(fview.images, filt0), "the filters trained")
run:seek(0)
fview:refresh(); eview:refresh(); sview:refresh(); tview:refresh()
expect(same(fview.images, filt0), "filters after seek(0) are the untrained ones")
expect(same(eview.maps[5].values, maps0[5].values), "explain's maps after seek(0) are the untrained net's")
expect(same(sview.map.saliency, sal0), "saliency after seek(0) is the untrained net's")
for i = 1, 9 do expect(tview.top[i].index == top0[i].index, "top images after seek(0)") end
run:seek("latest")
fview:refresh()
expect(not same(fview.images, filt0), "seek latest shows the trained filters again")
print("views_cnn: ok")
