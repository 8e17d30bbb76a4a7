-- lessonlib_21_22.lua: the plumbing of lessons 21 (autoencoders) and 22 (GANs), kept
-- out of the code the lessons print. Each helper is seeded, so that what a lesson's
-- text claims holds whatever ran before it; tests/lua/test_lessons_21_22.lua calls
-- the same helpers with the same settings and asserts the claims.
local ae = require "ae"
local gan = require "gan"
local lib = {}

--- lib.fashion(n [, split]) -> x [n, 784] in [0, 1], labels (a list, 0-based)
function lib.fashion(n, split)
  local d = data.fashion_mnist{limit = n, split = split or "train", shape = "flat"}
  local labels = {}
  for i, v in ipairs(d:y():totable()) do labels[i] = math.floor(type(v) == "table" and v[1] or v) end
  return d:x(), labels
end

-- The rows of x whose label is in keep (a set of 0-based classes).
function lib.rows_of(x, labels, keep)
  local idx, lab = {}, {}
  for i, c in ipairs(labels) do if keep[c] then idx[#idx + 1], lab[#lab + 1] = i, c end end
  return x:gather(idx), lab
end

--- lib.model(kind) -> an untrained autoencoder of the lesson's, seeded (seed 1):
--- "undercomplete" 784 -> 32 (ReLU) -> 784 (sigmoid),
--- "compression" 784 -> 300 -> 2 -> 300 -> 784 with leaky ReLU (the textbook's,
--- with a sigmoid output), "denoising" 784 -> 64 with a noise, "sparse" 784 -> 64
--- sigmoid (the lesson adds KL to rho = 0.05), "dense64" the same net, "contractive"
--- and "plain32" 784 -> 32 sigmoid, "conv" ae.conv: 1 x 28 x 28 -> 16 @ 14 x 14 -> 32 @ 7 x 7
--- -> 32, and transposed convolutions back.
function lib.model(kind)
  nn.seed(1)
  if kind == "undercomplete" then return ae.new{sizes = {784, 32}, code = "relu", out = "sigmoid"} end
  if kind == "compression" then
    return ae.new{sizes = {784, 300, 2}, act = "leaky_relu", code = "linear", out = "sigmoid"}
  end
  if kind == "denoising" then return ae.new{sizes = {784, 64}, code = "relu"} end
  if kind == "sparse" or kind == "dense64" then return ae.new{sizes = {784, 64}, code = "sigmoid"} end
  if kind == "contractive" or kind == "plain32" then return ae.new{sizes = {784, 32}, code = "sigmoid"} end
  if kind == "conv" then return ae.conv{channels = {16, 32}, code = 32} end
  error("lib.model: no autoencoder called " .. tostring(kind), 2)
end

--- lib.mean_activation(m, x) -> the mean over rows and code units of m's code on x
function lib.mean_activation(m, x) return m:codes(x):mean():item() end

--- lib.contraction(m, x [, eps = 0.05]) -> the mean change of the code per unit change
--- of the input, for random directions of size eps: ||h(x + d) - h(x)|| / ||d||
function lib.contraction(m, x, eps)
  nn.seed(2)
  eps = eps or 0.05
  local n = x.shape[1]
  local d = nn.randn(n, x.shape[2])
  d = d / ((d * d):sum(2, true):sqrt()) * eps
  local dh = m:codes(x + d) - m:codes(x)
  return ((dh * dh):sum(2):sqrt()):mean():item() / eps
end

--- lib.anomaly(x, labels, normal, anomalous, opts) -> roc, scores, truth: an
--- autoencoder trained on the classes in normal only scores the test rows of normal
--- (0) and anomalous (1) classes by reconstruction error
function lib.anomaly(train_x, train_labels, test_x, test_labels, normal, anomalous, opts)
  opts = opts or {}
  local xn = lib.rows_of(train_x, train_labels, normal)
  local m = lib.model("undercomplete")
  m:fit{xn, epochs = opts.epochs or 5, lr = 2e-3}
  local keep = {}
  for c in pairs(normal) do keep[c] = true end
  for c in pairs(anomalous) do keep[c] = true end
  local xt, lt = lib.rows_of(test_x, test_labels, keep)
  local scores = m:errors(xt)
  local truth = {}
  for i, c in ipairs(lt) do truth[i] = anomalous[c] and 1 or 0 end
  return ae.roc(scores, truth), scores, truth, m
end

---------------------------------------------------------------------------- GANs

--- lib.ring_gan(loss [, opts]) -> a GAN on the 8-Gaussian ring, seeded (seed 1)
function lib.ring_gan(loss, opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  local o = {"ring", n = 1024, noise = 2, loss = loss or "nonsaturating", lr = opts.lr or 1e-3, k = opts.k,
    gp = opts.gp, clip = opts.clip, batch = opts.batch}
  return gan.new(o)
end

--- lib.coverage_curve(g, steps, every) -> list of {step, modes covered}
function lib.coverage_curve(g, steps, every)
  local out = {}
  for s = every, steps, every do
    g:train(every)
    out[#out + 1] = {s, (g:coverage(1000, 0.3))}
  end
  return out
end

--- lib.fashion_gan(x [, opts]) -> a GAN for 28 x 28 images, non-saturating, Adam
--- (beta1 0.5), seeded (opts.seed, 1). By default an MLP: G 32 -> 256 -> 784 (sigmoid),
--- D 784 -> 256 -> 1 (leaky ReLU), lr 1e-3. With opts.conv = true the small DCGAN of
--- gan.dcgan (width opts.width, 16), lr 1e-3, trained on the images scaled to [-1, 1]
--- (g.real) for G's tanh; its samples are in [-1, 1] too.
function lib.fashion_gan(x, opts)
  opts = opts or {}
  nn.seed(opts.seed or 1)
  if opts.conv then
    local g, d = gan.dcgan{noise = 32, side = 28, width = opts.width or 16}
    local c = gan.new{x * 2 - 1, noise = 32, generator = g, discriminator = d, lr = opts.lr or 1e-3,
      batch = opts.batch or 64}
    c.tanh_images = true -- the views show (G(z) + 1) / 2
    return c
  end
  return gan.new{x, noise = 32, hidden = {256}, out = "sigmoid", act = "leaky_relu", g_act = "relu",
    lr = opts.lr or 1e-3, batch = 64}
end

--- lib.nearest_distance(a, b) -> the mean over rows of a of the distance to the nearest
--- row of b (how far generated images are from real ones)
function lib.nearest_distance(a, b)
  return nn.no_grad(function()
    local aa = (a * a):sum(2, true)                  -- [n, 1]
    local bb = (b * b):sum(2, true):t()              -- [1, m]
    local d2 = aa + bb - a:matmul(b, false, true) * 2 -- [n, m]
    local best = (-d2):max(2)                        -- the nearest: the largest -d2
    return (-best):relu():sqrt():mean():item()
  end)
end

return lib
