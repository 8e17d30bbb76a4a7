-- rbm.lua: restricted Boltzmann machines and deep belief nets for the user: nn.rbm
-- (training by CD-k or persistent CD in C, free energy, pseudo-likelihood, Gibbs
-- samples), its live views (filters, reconstructions, samples, free energy of the
-- training and validation data), nn.dbn (RBMs pre-trained greedily, then copied into
-- a feed-forward classifier fine-tuned by backpropagation), the textbook's recipe
-- as a preset (nn.dbn_recipe), and data.digits (scikit-learn's 8x8 digits).
local R = require "nn.rbm"
local T = require "nn.train"
local check = require "argcheck"
local optionlib = require "options"
local util = require "util"

local M = {}

local PL_ROWS = 256 -- rows whose pseudo-likelihood fit records each epoch
local MAX_COUNT = 1000000 -- epochs, batch, Gibbs steps, samples, units: beyond it, a typo

-- Debian's python3-sklearn ships the 8x8 digits (the UCI optical digits' test set).
M.DIGITS = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"

local is_tensor, is_dataset = check.is_tensor, check.is_dataset

-- Checks the option table: every key known, every value of its kind.
local function options(fname, o, known)
  if o == nil then return {} end
  if type(o) ~= "table" then error(fname .. ": options must be a table, got " .. type(o), 3) end
  for k, v in pairs(o) do
    local kind = known[k]
    if not kind then
      optionlib.refuse(fname, k, known, 3)
    end
    local ok = (kind == "count" and math.type(v) == "integer" and v > 0 and v <= MAX_COUNT)
      or (kind == "seed" and math.type(v) == "integer" and v >= 0)
      or (kind == "rate" and type(v) == "number" and v > 0 and v < math.huge)
      or (kind == "fraction" and type(v) == "number" and v >= 0 and v < 1)
      or (kind == "boolean" and type(v) == "boolean")
      or (kind == "string" and type(v) == "string")
      or (kind == "any")
    if not ok then
      local what = ({count = ("a whole number from 1 to %d"):format(MAX_COUNT), seed = "a whole number >= 0",
        rate = "a number > 0", fraction = "a fraction in [0, 1)", boolean = "true or false",
        string = "a string"})[kind]
      error(("%s: %s must be %s, got %s"):format(fname, k, what, check.describe(v)), 3)
    end
  end
  return o
end

--- data.digits{test=0.25, seed=} -> train, test: 1797 8x8 digits, pixels in [0, 1]
function M.digits(opts)
  opts = options("data.digits", opts, {test = "fraction", seed = "seed", shuffle = "boolean", path = "string"})
  local d, err = R.digits(opts.path or M.DIGITS)
  if not d then
    error("data.digits: " .. err .. " (Debian's python3-sklearn package carries the file)", 2)
  end
  if opts.seed then nn.seed(opts.seed) end
  if opts.shuffle ~= false then d:shuffle() end
  local test = opts.test == nil and 0.25 or opts.test
  if test > 0 then return d:split(test) end
  return d
end

------------------------------------------------------------------------------ RBM
local RBM = {__name = "rbm"}
RBM.__index = RBM
local View = {__name = "rbm view"} -- its methods below
View.__index = View

--- nn.rbm(visible, hidden [, {gaussian=false}]) -> rbm
function M.new(nv, nh, opts)
  opts = options("nn.rbm", opts, {gaussian = "boolean"})
  local ok, core = pcall(R.new, nv, nh, opts.gaussian)
  if not ok then
    local msg = tostring(core):gsub("^[^:\n]+:%d+: ", ""):gsub("^bad argument #%d+ to '[^']+' %((.*)%)$", "%1")
    error("nn." .. msg, 2)
  end
  return setmetatable({core = core, nv = nv, nh = nh, gaussian = opts.gaussian or false,
    history = {recon = {}, fe_train = {}, fe_val = {}, pl = {}}}, RBM)
end

-- The rows of a data set or tensor as a tensor [n, nv] (images [n, h, w] flattened);
-- nv nil: any width. what names the argument in the error.
local function batch_of(fname, v, nv, what)
  local x = is_dataset(v) and v:x() or is_tensor(v) and v
  what = what or "the data"
  if not x then
    error(("%s: %s must be a data set or a tensor [n, %s], got %s"):format(fname, what, nv or "values",
      check.describe(v)), 3)
  end
  local n, size = x.shape[1], 1
  for i = 1, x.ndim do size = size * x.shape[i] end
  local width = x.ndim >= 2 and n > 0 and size // n or nil
  if not width then
    error(("%s: %s must have rows of %s values, got a tensor of shape [%s]"):format(fname, what, nv or "n > 0",
      table.concat(x.shape, ", ")), 3)
  end
  -- a [n, width] batch of the wrong width: the engine's message (naming the batch it
  -- expects) unless the caller wants this one
  if nv and width ~= nv and (x.ndim ~= 2 or fname == "rbm:fit") then
    error(("%s: %s %s %d values a row and the RBM %d %s units"):format(fname, what, what == "h" and "has" or "have",
      width, nv, what == "h" and "hidden" or "visible"), 3)
  end
  if x.ndim ~= 2 then return x:reshape(n, width) end
  return x
end

function RBM:__tostring() return tostring(self.core) end
--- r:free_energy(x) -> tensor [n, 1]; r:mean_free_energy(x) -> number
function RBM:free_energy(x) return R.free_energy(self.core, batch_of("rbm:free_energy", x, self.nv)) end
function RBM:mean_free_energy(x) return self:free_energy(x):mean():item() end
--- r:hidden(x) -> p(h=1|x); r:visible(h) -> E[v|h]; r:reconstruct(x) -> E[v | p(h|x)]
function RBM:hidden(x) return R.hidden(self.core, batch_of("rbm:hidden", x, self.nv)) end
function RBM:visible(h) return R.visible(self.core, batch_of("rbm:visible", h, self.nh, "h")) end
function RBM:reconstruct(x) return R.visible(self.core, self:hidden(x)) end
--- r:reconstruction_error(x) -> mean squared error of r:reconstruct(x)
function RBM:reconstruction_error(x)
  local v = batch_of("rbm:reconstruction_error", x, self.nv)
  return (self:reconstruct(v) - v):pow(2):mean():item()
end
--- r:pseudo_likelihood(x) -> mean log pseudo-likelihood (binary units)
function RBM:pseudo_likelihood(x)
  return R.pseudo_likelihood(self.core, batch_of("rbm:pseudo_likelihood", x, self.nv))
end
--- r:params() -> W [visible, hidden], b [1, visible], c [1, hidden] (copies)
function RBM:params() return R.params(self.core) end
function RBM:set_params(w, b, c)
  for i, t in ipairs{{"W", w}, {"b", b}, {"c", c}} do
    if not is_tensor(t[2]) then
      error(("rbm:set_params: %s (argument %d) must be a tensor, got %s"):format(t[1], i, check.describe(t[2])), 2)
    end
  end
  return R.set_params(self.core, w, b, c)
end
function RBM:free() R.free(self.core) end

-- Random bits for samples that start from noise: p = 0.5 each.
local function random_bits(n, nv)
  local u = nn.rand({n, nv}, 0, 1):totable()
  for _, row in ipairs(u) do for j = 1, #row do row[j] = row[j] < 0.5 and 1 or 0 end end
  return nn.tensor(u)
end
--- r:sample{n=16, k=1000, from=} -> tensor [n, visible]: k Gibbs steps from `from`
--- (a tensor) or from random bits; the last visible step is the mean
function RBM:sample(o)
  o = options("rbm:sample", o, {n = "count", k = "count", from = "any"})
  local v = o.from and batch_of("rbm:sample", o.from, self.nv, "from") or random_bits(o.n or 16, self.nv)
  return R.gibbs(self.core, v, o.k or 1000, true)
end

--- r:fit(train, {epochs=10, batch=32, lr=0.05, k=1, persistent=false, validation=,
---   view=, shape={h, w}, seed=}) -> r: CD-k over shuffled mini-batches; each epoch's
--- reconstruction error, mean free energy of train and validation (and the pseudo-
--- likelihood of the first 256 rows, binary units) go into r.history; view = true draws them live
function RBM:fit(train, o)
  o = options("rbm:fit", o, {epochs = "count", batch = "count", lr = "rate", k = "count",
    persistent = "boolean", validation = "any", view = "any", shape = "any", seed = "seed", track = "boolean"})
  local x = batch_of("rbm:fit", train, self.nv)
  local vx = o.validation and batch_of("rbm:fit", o.validation, self.nv, "validation")
  if o.view ~= nil and type(o.view) ~= "boolean" and getmetatable(o.view) ~= View then
    error("rbm:fit: view must be true, false or a view from rbm.view, got " .. check.describe(o.view), 2)
  end
  if o.seed then nn.seed(o.seed) end
  local n, batch = x.shape[1], math.min(o.batch or 32, x.shape[1])
  local d = data.from(x, nn.zeros{n, 1}) -- a private copy to shuffle
  local view = o.view
  if view == true then view = M.view(self, {data = x, validation = vx, shape = o.shape}) end
  local h = self.history
  for _ = 1, o.epochs or 10 do
    d:shuffle()
    local xs, recon, batches = d:x(), 0, 0
    for first = 1, n - batch + 1, batch do
      recon = recon + R.cd(self.core, xs:rows(first, batch), o.k or 1, o.lr or 0.05, o.persistent or false)
      batches = batches + 1
    end
    h.recon[#h.recon + 1] = recon / batches
    if o.track == false then goto next_epoch end
    h.fe_train[#h.fe_train + 1] = self:mean_free_energy(x)
    if vx then h.fe_val[#h.fe_val + 1] = self:mean_free_energy(vx) end
    -- on at most PL_ROWS rows: all nv bit flips of every row cost nv times a free energy
    if not self.gaussian then h.pl[#h.pl + 1] = self:pseudo_likelihood(x:rows(1, math.min(n, PL_ROWS))) end
    if view then view:refresh() end
    ::next_epoch::
  end
  d:free()
  self.view = view or self.view
  return self
end

util.guard_methods(RBM, "rbm")

------------------------------------------------------------------------------ views

-- The side of a square image of n pixels, or nil.
local function square(n)
  local s = math.floor(math.sqrt(n) + 0.5)
  return s * s == n and s or nil
end

--- rbm.view(r, {data=, validation=, shape={h, w}, filters=36, k=200, show=}) -> view:
--- filters (W's columns as images), inputs beside their reconstructions, samples
--- after k Gibbs steps, and the free energy of training and validation data by epoch
function M.view(r, o)
  if getmetatable(r) ~= RBM then error("rbm.view: expected an RBM (nn.rbm), got " .. check.describe(r), 2) end
  o = options("rbm.view", o, {data = "any", validation = "any", shape = "any", filters = "count",
    k = "count", show = "boolean"})
  local hw = o.shape or {square(r.nv), square(r.nv)}
  if o.shape == nil and not hw[1] then error(("rbm.view: %d visible units are not a square image; give shape = {h, w}"):format(r.nv), 2) end
  local h, w = type(hw) == "table" and math.tointeger(hw[1]), type(hw) == "table" and math.tointeger(hw[2])
  if not (h and w and h > 0 and w > 0 and h * w == r.nv) then
    error(("rbm.view: shape must be {h, w} with h * w = %d visible units, got %s"):format(r.nv,
      type(hw) == "table" and ("{%s, %s}"):format(tostring(hw[1]), tostring(hw[2])) or check.describe(hw)), 2)
  end
  local v = setmetatable({r = r, h = h, w = w, data = o.data and batch_of("rbm.view", o.data, r.nv),
    nfilters = math.min(o.filters or 36, r.nh), k = o.k or 200}, View)
  local show = false
  v.filters = plot.images{images = {{{0}}}, title = "filters (W's columns)", cols = 6, show = show}
  v.recon = plot.images{images = {{{0}}}, title = "inputs | reconstructions", cols = 6, show = show}
  v.samples = plot.images{images = {{{0}}}, title = ("samples after %d Gibbs steps"):format(v.k), cols = 6, show = show}
  v.energy = plot.lines{title = "mean free energy", xlabel = "epoch", show = show}
  v.window = plot.window{v.filters, v.recon, v.samples, v.energy, title = "RBM", cols = 2, show = o.show}
  v:refresh()
  return v
end

function View:refresh()
  local r, h, w = self.r, self.h, self.w
  local W = R.params(r.core)
  self.filters:update{images = W:t():rows(1, self.nfilters):reshape(self.nfilters, h, w), shared = false}
  if self.data then
    local m = math.min(9, self.data.shape[1])
    local x = self.data:rows(1, m)
    local rec = r:reconstruct(x)
    local imgs, caps = {}, {}
    local xt, rt = x:reshape(m, h, w):totable(), rec:reshape(m, h, w):totable()
    for i = 1, m do
      imgs[#imgs + 1], caps[#caps + 1] = xt[i], "in"
      imgs[#imgs + 1], caps[#caps + 1] = rt[i], "out"
    end
    self.recon:update{images = imgs, captions = caps}
    local s = R.gibbs(r.core, x, self.k, true)
    self.samples:update{images = s:reshape(m, h, w)}
  end
  local hist = r.history
  for e = (self.drawn or 0) + 1, #hist.fe_train do -- only the epochs not drawn yet
    self.energy:push("train", hist.fe_train[e], e)
    if hist.fe_val[e] then self.energy:push("validation", hist.fe_val[e], e) end
  end
  self.drawn = #hist.fe_train
  plot.pump()
end

function View:save(path) return self.window:save(path) end
util.guard_methods(View, "view")

------------------------------------------------------------------------------ DBN
--- nn.dbn_recipe: the textbook's deep belief net (seeds-002 K-07, dbn.tensorflow's
--- SupervisedDBNClassification): hidden layers, RBM and backprop settings
M.recipe = setmetatable({hidden = {256, 256}, rbm_lr = 0.05, rbm_epochs = 10, lr = 0.1, iterations = 100,
  batch = 32, activation = "relu", dropout = 0.2, test = 0.25, reported_accuracy = 0.933}, {
  __name = "dbn recipe",
  __tostring = function(r)
    return ("DBN recipe: RBMs %s, RBM lr %g for %d epochs; backprop lr %g for %d epochs, batch %d, %s, "
      .. "dropout %g; test share %g; the textbook reports %.1f%%"):format(table.concat(r.hidden, " and "),
      r.rbm_lr, r.rbm_epochs, r.lr, r.iterations, r.batch, r.activation, r.dropout, r.test, 100 * r.reported_accuracy)
  end})

-- hidden: nil or a list of layer widths
local function check_hidden(fname, hidden)
  if hidden == nil then return end
  if type(hidden) ~= "table" or #hidden == 0 then
    error(("%s: hidden must be a list of layer widths ({256, 256}), got %s"):format(fname, check.describe(hidden)), 3)
  end
  for i, nh in ipairs(hidden) do
    if math.type(nh) ~= "integer" or nh < 1 or nh > 65536 then
      error(("%s: hidden[%d] must be a whole number from 1 to 65536, got %s"):format(fname, i, check.describe(nh)), 3)
    end
  end
end

--- nn.dbn_pretrain(x, {hidden={256,256}, rbm_lr=, rbm_epochs=, batch=, k=, seed=}) ->
--- rbms: greedy layer-wise pre-training, each RBM trained on the hidden
--- probabilities of the one below
function M.pretrain(train, o)
  o = options("nn.dbn_pretrain", o, {hidden = "any", rbm_lr = "rate", rbm_epochs = "count", batch = "count",
    k = "count", seed = "seed", persistent = "boolean"})
  local x = batch_of("nn.dbn_pretrain", train)
  check_hidden("nn.dbn_pretrain", o.hidden)
  if o.seed then nn.seed(o.seed) end
  local rbms, inp = {}, x
  for i, nh in ipairs(o.hidden or M.recipe.hidden) do
    local r = M.new(inp.shape[2], nh)
    r:fit(inp, {epochs = o.rbm_epochs or M.recipe.rbm_epochs, lr = o.rbm_lr or M.recipe.rbm_lr,
      batch = o.batch or M.recipe.batch, k = o.k or 1, persistent = o.persistent, track = false})
    rbms[i] = r
    inp = r:hidden(inp)
  end
  return rbms
end

--- nn.dbn_classifier(inputs, classes, {hidden=, activation="relu", dropout=0.2, rbms=})
--- -> nn.sequential: linear, activation, dropout per hidden layer, then a linear
--- output of logits; with rbms, each hidden linear layer starts from its RBM's W, c
function M.classifier(nin, classes, o)
  check.whole("nn.dbn_classifier", "inputs", nin, 1, MAX_COUNT)
  check.whole("nn.dbn_classifier", "classes", classes, 1, MAX_COUNT)
  o = options("nn.dbn_classifier", o, {hidden = "any", activation = "string", dropout = "fraction", rbms = "any"})
  check_hidden("nn.dbn_classifier", o.hidden)
  if o.rbms ~= nil then
    if type(o.rbms) ~= "table" then error("nn.dbn_classifier: rbms must be a list of RBMs, got " .. check.describe(o.rbms), 2) end
    for i, r in pairs(o.rbms) do
      if getmetatable(r) ~= RBM then
        error(("nn.dbn_classifier: rbms[%s] must be an RBM (nn.rbm), got %s"):format(tostring(i), check.describe(r)), 2)
      end
    end
  end
  local hidden = o.hidden or M.recipe.hidden
  local layers, inp = {}, nin
  for i, nh in ipairs(hidden) do
    local lin = nn.linear(inp, nh)
    local r = o.rbms and o.rbms[i]
    if r then
      if r.nv ~= inp or r.nh ~= nh then
        error(("nn.dbn_classifier: RBM %d is %d x %d, layer %d is %d x %d"):format(i, r.nv, r.nh, i, inp, nh), 2)
      end
      local W, _, c = r:params()
      T.assign(lin:param(1), W)
      T.assign(lin:param(2), c)
    end
    layers[#layers + 1] = lin
    layers[#layers + 1] = nn.activation(o.activation or M.recipe.activation)
    if (o.dropout or M.recipe.dropout) > 0 then layers[#layers + 1] = nn.dropout(o.dropout or M.recipe.dropout) end
    inp = nh
  end
  layers[#layers + 1] = nn.linear(inp, classes)
  return nn.sequential(layers)
end

--- nn.dbn(train, test, {recipe fields..., pretrain=true, seed=1}) -> model, run:
--- the recipe end to end (pretrain = false: the same net trained from scratch)
function M.dbn(train, test, o)
  if not is_dataset(train) then error("nn.dbn: train must be a data set, got " .. check.describe(train), 2) end
  if test ~= nil and not is_dataset(test) then error("nn.dbn: test must be a data set or nil, got " .. check.describe(test), 2) end
  o = options("nn.dbn", o, {hidden = "any", rbm_lr = "rate", rbm_epochs = "count", lr = "rate",
    iterations = "count", batch = "count", activation = "string", dropout = "fraction", seed = "seed",
    pretrain = "boolean", k = "count"})
  check_hidden("nn.dbn", o.hidden)
  if train:info().classes < 1 then
    error("nn.dbn: train must be a classification data set (its classes), got one of regression targets", 2)
  end
  local rc = setmetatable(o, {__index = M.recipe})
  nn.seed(o.seed or 1)
  local info = train:info()
  local rbms = o.pretrain ~= false and M.pretrain(train, {hidden = rc.hidden, rbm_lr = rc.rbm_lr,
    rbm_epochs = rc.rbm_epochs, batch = rc.batch, k = rc.k}) or nil
  nn.seed((o.seed or 1) + 1)
  local m = M.classifier(info.nx, info.classes, {hidden = rc.hidden, activation = rc.activation,
    dropout = rc.dropout, rbms = rbms})
  local run = m:fit{train, validation = test, epochs = rc.iterations, batch = rc.batch,
    optimizer = optim.sgd(m, {lr = rc.lr}), wait = true, verbose = false}
  return m, run, rbms
end

-- Wires the API into nn and data (one line in init.lua requires this file).
function M.install()
  nn.rbm = M.new
  nn.dbn = M.dbn
  nn.dbn_pretrain = M.pretrain
  nn.dbn_classifier = M.classifier
  nn.dbn_recipe = M.recipe
  data.digits = M.digits
end

return M
