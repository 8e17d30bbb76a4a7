-- data.lua: the `data` table: synthetic sets of TensorFlow Playground and the course,
-- CSV, Fashion-MNIST (IDX), sets from tensors; each maker takes a table of options
-- {n=, noise=, classes=, seed=, test=} and returns train, test when test > 0.
-- Data sets ("nnlab.dataset", src/repl/bind_data.c) hold x [n, features] and y
-- [n, 1] class indices (classification) or [n, targets] (regression).
local D = require "nn.data"
local core = require "nn.core"

local data = {}
local methods = D.methods

local FASHION = "/usr/share/datasets/fashion-mnist/"

-- Splits off opts.test of the rows (shuffled first unless shuffle = false).
local function finish(d, opts)
  if opts.shuffle ~= false then d:shuffle() end
  local test = opts.test or 0
  if test > 0 then return d:split(test) end
  return d
end

local function synth(kind, defaults)
  return function(opts)
    opts = opts or {}
    if opts.seed then core.seed(opts.seed) end
    local d = D.synth(kind, opts.n or defaults.n, opts.classes or defaults.classes or 0,
      opts.noise or defaults.noise or 0)
    return finish(d, opts)
  end
end

--- data.circle{n=, noise=, test=, seed=} ... one maker per synthetic set
data.circle = synth("circle", {n = 500})
data.xor = synth("xor", {n = 500})
data.gauss = synth("gauss", {n = 500})
data.spiral = synth("spiral", {n = 400, classes = 2, noise = 0.1})
data.moons = synth("moons", {n = 500, noise = 0.1})
data.blobs = synth("blobs", {n = 500, classes = 3})
data.plane = synth("plane", {n = 500})
data.gauss_sum = synth("gauss_sum", {n = 500})
data.sine = synth("sine", {n = 200, noise = 0.05})

--- data.from(x, y [, {classes=}]) -> a set from tensors
function data.from(x, y, opts)
  opts = opts or {}
  local classes = opts.classes
  if classes == nil and opts.classify then
    classes = 0
    for _, v in ipairs(y:totable()) do
      local l = type(v) == "table" and v[1] or v
      classes = math.max(classes, math.floor(l) + 1)
    end
  end
  return D.from(x, y, classes or 0)
end

--- data.csv(path, {label=column, classify=, test=}) -> set(s), label names
function data.csv(path, opts)
  opts = opts or {}
  local d, names = D.csv(path, opts.label or 0, opts.classify)
  if not d then error(names, 2) end
  if (opts.test or 0) > 0 then
    local a, b = finish(d, opts)
    return a, b, names
  end
  return d, names
end

--- data.idx(images, labels [, {limit=}]) -> set
function data.idx(images, labels, opts)
  local d, err = D.idx(images, labels, (opts or {}).limit)
  if not d then error(err, 2) end
  return d
end

--- data.fashion_mnist{limit=, split="train"|"test"|"both"} -> train, test (default both)
function data.fashion_mnist(opts)
  opts = opts or {}
  local function load(which)
    return data.idx(FASHION .. which .. "-images-idx3-ubyte.gz",
      FASHION .. which .. "-labels-idx1-ubyte.gz", opts)
  end
  local split = opts.split or "both"
  if split == "train" then return load("train") end
  if split == "test" then return load("t10k") end
  return load("train"), load("t10k")
end

data.fashion_labels = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
  "Shirt", "Sneaker", "Bag", "Ankle boot"}

--- data.standardize(train, ...) fits mean/std on train and applies it to every set
function data.standardize(train, ...)
  local st = train:scaler("standard")
  train:scale(st)
  for _, d in ipairs({...}) do d:scale(st) end
  return st
end

--- data.minmax(train, ...) fits min/max on train and scales every set to [0, 1]
function data.minmax(train, ...)
  local st = train:scaler("minmax")
  train:scale(st)
  for _, d in ipairs({...}) do d:scale(st) end
  return st
end

local feature_bits = {x1 = 1, x2 = 2, x1sq = 4, x2sq = 8, x1x2 = 16, sin1 = 32, sin2 = 64}

--- d:playground{"x1", "x2", "x1sq", "x2sq", "x1x2", "sin1", "sin2"} -> a new set
function methods.playground(d, names)
  local flags = 0
  for _, n in ipairs(names or {"x1", "x2"}) do
    local b = feature_bits[n]
    if not b then error("playground: unknown feature '" .. tostring(n) .. "' (x1, x2, x1sq, x2sq, x1x2, sin1, sin2)", 2) end
    flags = flags | b
  end
  return d:features(flags)
end

return data
