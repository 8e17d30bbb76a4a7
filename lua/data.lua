-- data.lua: the `data` table: synthetic sets of TensorFlow Playground and the course,
-- CSV, Fashion-MNIST (IDX), sets from tensors; each maker takes a table of options
-- {n=, noise=, classes=, seed=, test=} and returns train, test when test > 0.
-- Data sets ("nnlab.dataset", src/repl/bind_data.c) hold x [n, features] (or samples
-- of any shape: images [n, 1, 28, 28], sequences [n, T] or [n, T, F]) and y [n, 1]
-- class indices (classification) or [n, targets] (regression).
local D = require "nn.data"
local checker = require "options"
local check = require "argcheck"
local core = require "nn.core"

local data = {}
local methods = D.methods

local FASHION = "/usr/share/datasets/fashion-mnist/"

-- Argument checks: a maker called with something else than a table of options, or
-- an option of the wrong type or name, gets an error at the caller's line that names
-- the function, what it expects and what it got.
local describe = check.describe

-- The option names of fname and the table a wrong argument is shown, declared for
-- the one checker (lua/options.lua), which options(fname, opts) runs.
local function declare(fname, names, example)
  checker.declare(fname, names, 0, fname, "like " .. example)
end

local function options(fname, opts) return checker.check(fname, opts, 3) end -- a tail call

local field = check.want

local count, fraction, integer = check.is_count, check.is_fraction, check.is_integer
local function number(v) return type(v) == "number" and v == v end

-- Splits off opts.test of the rows (shuffled first unless shuffle = false).
local function finish(d, opts)
  if opts.shuffle ~= false then d:shuffle() end
  local test = opts.test or 0
  if test > 0 then return d:split(test) end
  return d
end

local synth_options = {"n", "noise", "classes", "seed", "test", "shuffle"}

local function synth(kind, defaults)
  local fname = "data." .. kind
  declare(fname, synth_options, "{n = 200, noise = 0.1, test = 0.3}")
  return function(opts)
    opts = options(fname, opts)
    field(fname, opts, "n", count, "a whole number > 0")
    field(fname, opts, "classes", function(v) return integer(v) and v >= 2 end, "a whole number >= 2")
    field(fname, opts, "noise", function(v) return number(v) and v >= 0 end, "a number >= 0")
    field(fname, opts, "seed", integer, "a whole number")
    field(fname, opts, "test", fraction, "a fraction in [0, 1)")
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

local is_tensor = check.is_tensor

--- data.from(x, y [, {classes=}]) -> a set from tensors x [n, ...] and y [n, ...];
--- with classes, y [n, 1] holds one class a sample, or y [n, T] one a step (a
--- tagger's), -1 for padding steps, and metrics count the labelled steps
declare("data.from", {"classes", "classify"}, "{classify = true}")
function data.from(x, y, opts)
  if not is_tensor(x) then error("data.from: x must be a tensor [n, features] or [n, ...], got " .. describe(x), 2) end
  if not is_tensor(y) then error("data.from: y must be a tensor [n, 1], [n, targets] or [n, ...], got " .. describe(y), 2) end
  opts = options("data.from", opts)
  local classes = field("data.from", opts, "classes", count, "a whole number > 0")
  if classes == nil and opts.classify then
    classes = 0
    local function most(v) -- the largest label of a row (of any depth) or value
      if type(v) ~= "table" then return v end
      local m = -math.huge
      for _, e in ipairs(v) do m = math.max(m, most(e)) end
      return m
    end
    for _, v in ipairs(y:totable()) do classes = math.max(classes, math.floor(most(v)) + 1) end
  end
  return D.from(x, y, classes or 0)
end

--- data.csv(path, {label=name or column, classify=, test=, shuffle=, seed=}) -> set(s), info
--- info = {columns=, features=, label=, classes=}: the header's names, those of x's
--- columns, the label column's, and the text labels by class id + 1 (nil for numbers)
declare("data.csv", {"label", "classify", "test", "shuffle", "seed"}, '{label = "species", classify = true}')
function data.csv(path, opts)
  if type(path) ~= "string" then error("data.csv: path must be a file name, got " .. describe(path), 2) end
  opts = options("data.csv", opts)
  field("data.csv", opts, "label", function(v) return type(v) == "string" or count(v) end,
    "a column name or a column number from 1")
  field("data.csv", opts, "test", fraction, "a fraction in [0, 1)")
  field("data.csv", opts, "seed", integer, "a whole number")
  local d, info = D.csv(path, opts.label, opts.classify)
  if not d then error(info, 2) end
  if opts.seed then core.seed(opts.seed) end
  if (opts.test or 0) > 0 then
    local a, b = finish(d, opts)
    return a, b, info
  end
  return d, info
end

local function is_shape(v)
  if v == "image" or v == "flat" then return true end
  if type(v) ~= "table" or #v < 1 or #v > 3 then return false end
  for _, n in ipairs(v) do if not count(n) then return false end end
  return true
end
local SHAPE_WHAT = '"image" ([n, 1, rows, cols]), "flat" ([n, pixels]) or a sample\'s sizes like {1, 28, 28}'

-- Gives the images of d the shape asked for: "flat" keeps [n, pixels], "image" makes
-- square images [n, 1, side, side], a table is the sizes of a sample.
local function shape_images(fname, d, shape)
  if shape == nil or shape == "flat" then return d end
  if shape == "image" then
    local px = d:info().nx
    local side = math.floor(math.sqrt(px) + 0.5)
    if side * side ~= px then
      error(("%s: images of %d pixels are not square; give shape = {1, rows, cols}"):format(fname, px), 3)
    end
    shape = {1, side, side}
  end
  local ok, err = pcall(d.reshape, d, shape)
  if not ok then error(fname .. ": " .. tostring(err):gsub("^[^:\n]+:%d+: ", ""):gsub("^dataset: ", ""), 3) end
  return d
end

--- data.idx(images, labels [, {limit=, shape=}]) -> set
declare("data.idx", {"limit", "shape"}, '{limit = 1000, shape = "image"}')
function data.idx(images, labels, opts)
  if type(images) ~= "string" then error("data.idx: images must be a file name, got " .. describe(images), 2) end
  if type(labels) ~= "string" then error("data.idx: labels must be a file name, got " .. describe(labels), 2) end
  opts = options("data.idx", opts)
  field("data.idx", opts, "limit", count, "a whole number > 0")
  field("data.idx", opts, "shape", is_shape, SHAPE_WHAT)
  local d, err = D.idx(images, labels, opts.limit)
  if not d then error(err, 2) end
  return shape_images("data.idx", d, opts.shape)
end

--- data.fashion_mnist{limit=, split="train"|"test"|"both", shape="flat"|"image"} -> train, test (default both)
declare("data.fashion_mnist", {"limit", "split", "shape"}, '{limit = 10000, split = "train", shape = "image"}')
-- what the synthetic sets' options mean here (data.spiral{n = ...}, data.csv{test = ...})
checker.elsewhere("data.fashion_mnist", {n = "limit = 2000 takes the first 2000 images of each split",
  size = "limit = 2000 takes the first 2000 images of each split",
  test = 'split = "test" gives the 10,000 test images alone; with no split it returns train, test'})
function data.fashion_mnist(opts)
  opts = options("data.fashion_mnist", opts)
  field("data.fashion_mnist", opts, "limit", count, "a whole number > 0")
  field("data.fashion_mnist", opts, "shape", is_shape, SHAPE_WHAT)
  field("data.fashion_mnist", opts, "split", function(v) return v == "train" or v == "test" or v == "both" end,
    '"train", "test" or "both"')
  local function load(which)
    local d, err = D.idx(FASHION .. which .. "-images-idx3-ubyte.gz",
      FASHION .. which .. "-labels-idx1-ubyte.gz", opts.limit)
    if not d then error(err, 3) end
    return shape_images("data.fashion_mnist", d, opts.shape)
  end
  local split = opts.split or "both"
  if split == "train" then return load("train") end
  if split == "test" then return load("t10k") end
  return load("train"), load("t10k")
end

data.fashion_labels = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
  "Shirt", "Sneaker", "Bag", "Ankle boot"}

local is_dataset = check.is_dataset

-- Fits a scaler of kind on train and applies it to train and every other set.
local function scale_all(fname, kind, train, ...)
  if not is_dataset(train) then error(fname .. ": expected data sets (train first), got " .. describe(train), 3) end
  local rest = table.pack(...)
  for i = 1, rest.n do
    if not is_dataset(rest[i]) then
      error(("%s: argument %d must be a data set, got %s"):format(fname, i + 1, describe(rest[i])), 3)
    end
  end
  local st = train:scaler(kind)
  train:scale(st)
  for i = 1, rest.n do rest[i]:scale(st) end
  return st
end

--- data.standardize(train, ...) fits mean/std on train and applies it to every set
function data.standardize(train, ...) return scale_all("data.standardize", "standard", train, ...) end

--- data.minmax(train, ...) fits min/max on train and scales every set to [0, 1]
function data.minmax(train, ...) return scale_all("data.minmax", "minmax", train, ...) end

local feature_bits = {x1 = 1, x2 = 2, x1sq = 4, x2sq = 8, x1x2 = 16, sin1 = 32, sin2 = 64}

--- d:playground{"x1", "x2", "x1sq", "x2sq", "x1x2", "sin1", "sin2"} -> a new set
function methods.playground(d, names)
  if not is_dataset(d) then
    error("d:playground: call it on a data set with a colon, d:playground{...}; got " .. type(d), 2)
  end
  if names ~= nil and type(names) ~= "table" then
    error('playground: expected a list of features like {"x1", "x2", "x1sq"}, got ' .. describe(names), 2)
  end
  local flags = 0
  for _, n in ipairs(names or {"x1", "x2"}) do
    local b = feature_bits[n]
    if not b then error("playground: unknown feature '" .. tostring(n) .. "' (x1, x2, x1sq, x2sq, x1x2, sin1, sin2)", 2) end
    flags = flags | b
  end
  return d:features(flags)
end

return data
