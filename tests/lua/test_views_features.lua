-- test_views_features.lua: plot.features maps a layer's outputs with the engine's PCA
-- (the scores are the projections nn.embed.pca gives for the same outputs, the first
-- axis has the larger variance) and t-SNE (the same seed gives the same map), colours
-- points by class with Fashion-MNIST's names, shows the image of the point nearest
-- the cursor, follows a run's seek (run =), and refuses bad arguments naming them.
-- Barnes-Hut t-SNE (exact = false) is deterministic for a seed.
local embed = require "nn.embed"
local tr, te = data.fashion_mnist{limit = 300}
nn.seed(3)
local m = nn.sequential{nn.linear(784, 32), nn.relu(), nn.linear(32, 10)}
m:fit{tr, epochs = 2, batch = 32, optimizer = optim.adam(m), wait = true, verbose = false}

local p, v = plot.features(m, te, {show = false})
assert(v.layer == 2 and v.method == "pca" and v.n == 300, tostring(v))
local h = m:children()[2]:predict(m:children()[1]:predict(te:x():rows(1, 300)))
local scores = embed.pca(h, 2):totable()
for i = 1, 300 do
  assert(math.abs(scores[i][1] - v.x[i]) < 1e-4 and math.abs(scores[i][2] - v.y[i]) < 1e-4, "point " .. i)
end
assert(v.variance[1] >= v.variance[2] and v.variance[2] > 0)
-- the variance along PC 1 is the variance of the scores
local mean, ss = 0, 0
for i = 1, 300 do mean = mean + v.x[i] / 300 end
for i = 1, 300 do ss = ss + (v.x[i] - mean) ^ 2 end
assert(math.abs(ss / 299 - v.variance[1]) < 1e-3 * v.variance[1], ss / 299 .. " " .. v.variance[1])
assert(v.names[1] == "T-shirt/top" and #v.names == 10)
local truth = te:y():rows(1, 300):totable()
for i = 1, 300 do assert(v.class[i] == math.floor(truth[i][1] or truth[i]) + 1) end
-- hovering: the point nearest to the cursor, its image shown
assert(v:nearest(v.x[17], v.y[17]) == 17 or (v.x[v:nearest(v.x[17], v.y[17])] == v.x[17]))
v:show_point(17)
assert(v.shown == 17)
local tmp = os.tmpname() .. ".png"
v.window:save(tmp)
assert(io.open(tmp)):close()
os.remove(tmp)

-- t-SNE: the same seed gives the same map; another seed another
local _, t1 = plot.features(m, te, {method = "tsne", n = 120, layer = 1, seed = 5, show = false})
local _, t2 = plot.features(m, te, {method = "tsne", n = 120, layer = 1, seed = 5, show = false})
local _, t3 = plot.features(m, te, {method = "tsne", n = 120, layer = 1, seed = 6, show = false})
local same, differ = true, false
for i = 1, 120 do
  same = same and t1.x[i] == t2.x[i] and t1.y[i] == t2.y[i]
  differ = differ or t1.x[i] ~= t3.x[i]
end
assert(same and differ)

-- Barnes-Hut: chosen by exact = false (and above 1000 points), deterministic too
local _, b1 = plot.features(m, te, {method = "tsne", n = 120, layer = 1, seed = 5, exact = false, show = false})
local _, b2 = plot.features(m, te, {method = "tsne", n = 120, layer = 1, seed = 5, exact = false, show = false})
local bsame, bdiffer = true, false
for i = 1, 120 do
  bsame = bsame and b1.x[i] == b2.x[i] and b1.y[i] == b2.y[i]
  bdiffer = bdiffer or b1.x[i] ~= t1.x[i]
end
assert(bsame and bdiffer, "Barnes-Hut: the same map for the same seed, not the exact one's")

-- a run's map follows run:seek, the slider and the arrow keys, as the other views of a run
nn.seed(4)
local mr = nn.sequential{nn.linear(784, 16), nn.relu(), nn.linear(16, 10)}
local r = mr:fit{tr, epochs = 3, batch = 4, optimizer = optim.adam(mr, {lr = 3e-3}), wait = true, verbose = false}
assert(#r:snapshots().epochs == 4, "snapshots after each epoch: " .. table.concat(r:snapshots().epochs, " "))
local _, fv = plot.features(mr, te, {run = r, n = 200, show = false})
local function map_of_shown()
  return r:with_shown(function()
    local hh = mr:children()[2]:predict(mr:children()[1]:predict(te:x():rows(1, 200)))
    return embed.pca(hh, 2):totable()
  end)
end
local function matches(v, ref)
  for i = 1, 200 do
    if math.abs(ref[i][1] - v.x[i]) > 1e-4 or math.abs(ref[i][2] - v.y[i]) > 1e-4 then return false end
  end
  return true
end
local latest = {}
for i = 1, 200 do latest[i] = {fv.x[i], fv.y[i]} end
assert(matches(fv, map_of_shown()) and fv.epoch == 3, "the latest map")
r:seek(0)
assert(fv.epoch == 0 and matches(fv, map_of_shown()), "seek(0): the map of the untrained weights")
assert(not matches(fv, latest), "the untrained map differs from the latest")
fv:key(r.KEY_RIGHT)
assert(r:shown_epoch() == 1 and fv.epoch == 1 and matches(fv, map_of_shown()), "right arrow: epoch 1's map")
-- the point under the cursor is found in the map shown
assert(fv:nearest(fv.x[9], fv.y[9]) == 9 or fv.x[fv:nearest(fv.x[9], fv.y[9])] == fv.x[9])
r:seek("latest")
assert(fv.epoch == 3 and matches(fv, latest), "back at the latest map")

local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok and tostring(err):find(pattern, 1, true), tostring(err))
end
fails("layer must be a module's number from 1 to 3", plot.features, m, te, {layer = 4, show = false})
fails("method must be \"pca\" or \"tsne\"", plot.features, m, te, {method = "umap", show = false})
fails("expected a data set", plot.features, m, te:x(), {show = false})
fails("exact must be true or false", plot.features, m, te, {method = "tsne", exact = "yes", show = false})
fails("theta must be a number above 0 and at most 1", plot.features, m, te, {method = "tsne", theta = 2, show = false})
fails('tsne: method must be "auto", "exact" or "barnes_hut", got fast', embed.tsne, h, {method = "fast"})
fails("run must be a run of m:fit", plot.features, m, te, {run = {}, show = false})
fails("perplexity 50 for 120 points", plot.features, m, te, {method = "tsne", n = 120, perplexity = 50, show = false})
print("test_views_features: ok")
