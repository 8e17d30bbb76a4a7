-- views_data.lua: the views that explain a trained classifier on real data (lessons
-- 07-10), built in Lua on the existing plot kinds: plot.confusion (an annotated heat
-- map, a field with labelled points), plot.samples (an image grid with true and
-- predicted labels), plot.probabilities (bars of one sample's class probabilities),
-- plot.layers (per-layer histograms of activations, weights or gradients) and
-- plot.lr_range (the LR range test, loss against a log learning rate, with the
-- suggested range shaded). The numbers each view is built from come from plain
-- functions of this module (require "views_data"), so that tests and lessons can read
-- them. Loading this file adds the five plot functions to the plot table.
local plot = require "plot"
local checker = require "options"
local rcore = require "repl.core"

local M = {}
local now = rcore.now

local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

--- M.as_view(view, describe) -> view: at the prompt a view prints as the one line
--- describe(view) gives (what it shows), not as its fields (plots, maps, hundreds of
--- numbers: :details shows them). Its fields stay plain.
function M.as_view(view, describe)
  return setmetatable(view, {__name = "view", __tostring = describe})
end
local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

local function check_model(m, who)
  local ok = pcall(function() return m.children end)
  if not (ok and m.children and m.predict) then
    error(("%s: expected a model (nn.sequential{...}), got %s"):format(who, mt_name(m) or type(m)), 3)
  end
end
local function check_data(d, who)
  if mt_name(d) ~= "nnlab.dataset" then
    error(("%s: expected a data set (as data.fashion_mnist{...} gives), got %s"):format(who, mt_name(d) or type(d)), 3)
  end
end

-- The class names of a data set with k classes: Fashion-MNIST's when k is 10 and the
-- inputs are 784 pixels, else "0", "1", ...
-- A run of m:fit whose history the views move through (run:seek), or nil.
local function seekable(r)
  return type(r) == "table" and type(r.with_shown) == "function" and r or nil
end

-- The views each plot stands for (weak keys: a plot forgotten takes its view along;
-- the view is held as long as the plot, for the run's seek to reach it).
local anchors = setmetatable({}, {__mode = "k"})

-- A view of a run: redrawn on each seek of the run (and its arrow keys in the
-- window), and at the prompt after each epoch while the run trains.
local function follow_run(run, view, p, opts)
  anchors[p] = view
  run:_watch(view)
  view.key = function(_, key) return run:key(key) end
  local win = opts.show ~= false and p:window()
  if win then
    win:on_key(function(key) run:key(key) end)
    win:keys{{"left/right", "the run's kept epochs, one back or on"}, {"home/end", "epoch 0 and the latest"}}
  end
  if not (win and interactive()) then return end
  spawn(function()
    local drawn, last = run:status().epoch, now()
    while win:is_open() do
      if now() - last > 0.5 then
        last = now()
        local e = run:status().epoch
        if e ~= drawn then
          drawn = e
          if not rawget(run, "_seek_epoch") then view:refresh() end
        end
        if run.state ~= "running" then return end
      end
      coroutine.yield()
    end
  end, view.kind .. " view")
end

local function with_epoch(title, run)
  local e = run and rawget(run, "_seek_epoch")
  return e and ("%s, epoch %d"):format(title, e) or title
end

local function class_names(k, d, given)
  if given then return given end
  if k == 10 and d and d:info().nx == 784 and rawget(_G, "data") and data.fashion_labels then
    return data.fashion_labels
  end
  local out = {}
  for c = 1, k do out[c] = tostring(c - 1) end
  return out
end

---------------------------------------------------------------------------------
-- Confusion matrix
---------------------------------------------------------------------------------

-- A confusion matrix as a Lua list of rows (true classes) from a run, an evaluate
-- result or rows.
local function as_matrix(src, set, who)
  if type(src) == "table" and type(src.confusion) == "function" then
    local cm = src:confusion(set or (src.has_validation and "validation" or "train"))
    return cm
  end
  if type(src) == "table" and type(src.confusion) == "table" then return src.confusion end
  if type(src) == "table" and type(src[1]) == "table" then return src end
  error(who .. ": expected a run (m:fit{...}), an nn.evaluate result or a confusion matrix (rows of counts), got "
    .. type(src), 3)
end

--- M.confusion_table(cm) -> {counts, percent, total, k}: row percentages (the share of
--- each true class predicted as each class) beside the counts.
function M.confusion_table(cm)
  local k, pct, total = #cm, {}, 0
  for i = 1, k do
    if #cm[i] ~= k then error(("confusion: row %d has %d counts, the matrix is %d x %d"):format(i, #cm[i], k, k), 2) end
    local s = 0
    for j = 1, k do s = s + cm[i][j] end
    total = total + s
    pct[i] = {}
    for j = 1, k do pct[i][j] = s > 0 and 100 * cm[i][j] / s or 0 end
  end
  return {counts = cm, percent = pct, total = total, k = k}
end

--- M.worst_pairs(cm [, n, labels]) -> the n (5) largest off-diagonal cells, largest
--- first: {true =, predicted = (0-based classes), count =, percent =, text =}.
function M.worst_pairs(cm, n, labels)
  local t = M.confusion_table(cm)
  labels = labels or class_names(t.k)
  local cells = {}
  for i = 1, t.k do
    for j = 1, t.k do
      if i ~= j and cm[i][j] > 0 then
        cells[#cells + 1] = {["true"] = i - 1, predicted = j - 1, count = cm[i][j], percent = t.percent[i][j]}
      end
    end
  end
  table.sort(cells, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a["true"] * t.k + a.predicted < b["true"] * t.k + b.predicted
  end)
  local out = {}
  for i = 1, math.min(n or 5, #cells) do
    local c = cells[i]
    c.text = ("%s taken for %s: %d (%.1f%% of the %s)"):format(labels[c["true"] + 1], labels[c.predicted + 1],
      c.count, c.percent, labels[c["true"] + 1])
    out[i] = c
  end
  return out
end

-- The field of a confusion matrix (values, bounds, title) and its labelled points.
local function confusion_content(cm, opts)
  local t = M.confusion_table(cm)
  local k = t.k
  local labels = opts.labels or class_names(k, opts.data)
  -- one flat cell a count, coloured by its row percentage on a fixed 0-100 scale (an
  -- automatic one turns to log colours when most cells are 0, as a good classifier's
  -- are), centred on whole numbers: predicted class j at x = j, true class i at
  -- y = k - i + 1 (the first at the top), where the axes' ticks name them
  local rows = {}
  for i = 1, k do rows[k - i + 1] = t.percent[i] end
  local names, down = {}, {}
  for i = 1, k do names[i], down[k - i + 1] = tostring(labels[i]), tostring(labels[i]) end
  local field = {values = rows, cells = true, clim = {0, 100}, xticks = names, yticks = down,
    title = with_epoch(opts.title or ("confusion matrix (%d %s; colour: %% of the true class)")
      :format(t.total, opts.counted or "samples"), seekable(opts.run))}
  local xs, ys, cls, text = {}, {}, {}, {}
  local function add(x, y, c, s) xs[#xs + 1], ys[#ys + 1], cls[#cls + 1], text[#text + 1] = x, y, c, s end
  for i = 1, k do
    for j = 1, k do
      if cm[i][j] > 0 then
        -- centred in its cell; the viz writes count and percentage on one line or
        -- two, or the percentage alone where the cell is too small (all on hover)
        add(j, k - i + 1, i == j and 3 or 1, ("%d %.0f%%"):format(cm[i][j], t.percent[i][j]))
      end
    end
  end
  return field, {xs, ys, cls, text}, t, labels
end

-- What the counts count: the steps of the sequences ("tokens", a tagger's words) when
-- the data set (the run's, else the one given) has one label a step, else "samples".
local function counted(run, set, d)
  d = d or run and rawget(run, "_sets") and run._sets[set or (run.has_validation and "validation" or "train")]
  local ok, info = pcall(function() return d:info() end)
  return ok and (info.classes or 0) > 0 and (info.ny or 1) > 1 and "tokens" or "samples"
end

--- plot.confusion(run | result | rows | model, data [, {set=, labels=, title=, show=, model=, data=}]) -> p,
--- table, view: of a run (m:fit), the view follows it: it redraws after each epoch while
--- the run trains, and shows the epoch run:seek chose (the arrow keys in its window).
checker.declare("plot.confusion", {"set", "labels", "title", "show", "model", "data"})
function M.confusion(src, opts, more)
  -- plot.confusion(m, d [, opts]) and plot.confusion{model = m, data = d}: what a student
  -- with a model and a data set types first; the matrix comes from nn.evaluate
  local function is_model(m)
    local ok, has = pcall(function() return m.children ~= nil and m.predict ~= nil end)
    return ok and has
  end
  local options_only = type(src) == "table" and getmetatable(src) == nil and src[1] == nil
    and src.model ~= nil and src.confusion == nil
  if options_only or (src ~= nil and type(src) ~= "table" or getmetatable(src) ~= nil) and is_model(src) then
    local model, d = src, opts
    if options_only then model, d, opts, more = src.model, src.data, src, nil end
    check_model(model, "plot.confusion")
    check_data(d, "plot.confusion(model, data)")
    opts = checker.check("plot.confusion", more or opts ~= d and opts or nil)
    opts = setmetatable({model = model, data = d}, {__index = opts})
    return M.confusion(nn.evaluate(model, d), opts)
  end
  opts = checker.check("plot.confusion", opts)
  local run = seekable(src)
  local o = setmetatable({run = run, counted = counted(run, opts.set, opts.data)}, {__index = opts})
  local cm = as_matrix(src, opts.set, "plot.confusion")
  local field, marks, t, labels = confusion_content(cm, o)
  local k = t.k
  field.map, field.show, field.xlabel, field.ylabel = "viridis", opts.show, "predicted", "true"
  local p = plot.field(field)
  p:points(marks[1], marks[2], marks[3])
  p:labels(marks[4])
  local view = M.as_view({kind = "confusion", plot = p}, function(v)
    return ("confusion view: %d classes, %d samples%s"):format(v.table.k, v.table.total, run and ", follows its run" or "")
  end)
  if run then
    function view.refresh()
      local cm2 = as_matrix(src, opts.set, "plot.confusion")
      if not cm2 then return view end
      local f2, m2, t2 = confusion_content(cm2, o)
      p:clear()
      p:update(f2)
      p:points(m2[1], m2[2], m2[3])
      p:labels(m2[4])
      view.table = t2
      return view
    end
    follow_run(run, view, p, opts)
  end
  view.table = t
  -- a click on a cell opens the images of that cell (with model = and data =)
  if opts.model and opts.data then
    p:on_click(function(x, y)
      local j, i = math.floor(x + 0.5), k - math.floor(y + 0.5) + 1
      if i >= 1 and i <= k and j >= 1 and j <= k then
        M.cell_samples(opts.model, opts.data, i - 1, j - 1, {labels = labels})
      end
    end)
  end
  return p, t, view
end

---------------------------------------------------------------------------------
-- Predictions, sample grids, probability bars
---------------------------------------------------------------------------------

--- M.predictions(m, d [, first, n]) -> probs (tensor [n, k]), predicted, truth (0-based lists)
function M.predictions(m, d, first, n)
  check_model(m, "predictions"); check_data(d, "predictions")
  first = first or 1
  local total = d:info().n
  n = math.min(n or total, total - first + 1)
  local x, y = d:x():rows(first, n), d:y():rows(first, n) -- rows(from, count)
  local out = m:predict(x)
  local probs = out.shape[2] == 1 and out:sigmoid() or out:softmax(2)
  local pred = out.shape[2] == 1 and {} or out:argmax(2):totable()
  local predicted, truth = {}, {}
  local yt = y:totable()
  if out.shape[2] == 1 then
    for i, r in ipairs(out:totable()) do predicted[i] = r[1] > 0 and 1 or 0 end
  else
    for i, r in ipairs(pred) do predicted[i] = math.floor(type(r) == "table" and r[1] or r) - 1 end -- argmax counts from 1
  end
  for i, r in ipairs(yt) do truth[i] = math.floor(type(r) == "table" and r[1] or r) end
  return probs, predicted, truth
end

local function image_shape(d)
  local nx = d:info().nx
  local s = math.floor(math.sqrt(nx) + 0.5)
  if s * s ~= nx then error(("plot.samples: %d inputs are not a square image"):format(nx), 3) end
  return s
end

-- The images of the given rows of d with captions "true / predicted", wrong ones
-- marked with an X (pred: the predictions when known).
local function sample_content(m, d, idx, opts, title, probs, pred, truth)
  local s = image_shape(d)
  if not pred then probs, pred, truth = M.predictions(m, d) end
  local labels = opts.labels or class_names(probs.shape[2], d)
  local x = d:x()
  local flat, caps = {}, {}
  for c, i in ipairs(idx) do
    local r = x:rows(i, 1):totable()[1]
    for _, v in ipairs(r) do flat[#flat + 1] = v end
    local ok = pred[i] == truth[i]
    caps[c] = ok and ("%s"):format(labels[truth[i] + 1])
      or ("✗ %s→%s"):format(labels[truth[i] + 1], labels[pred[i] + 1])
  end
  if #idx == 0 then flat, caps = {0}, {"none"} end
  local wrong = 0
  for _, i in ipairs(idx) do if pred[i] ~= truth[i] then wrong = wrong + 1 end end
  return {images = flat, n = math.max(1, #idx), h = s, w = s, captions = caps, cols = opts.cols, title = title},
    {index = idx, predicted = pred, truth = truth, wrong = wrong}
end

local function sample_grid(m, d, idx, opts, title)
  local spec, info = sample_content(m, d, idx, opts, title)
  spec.show = opts.show
  return plot.images(spec), info
end

--- plot.samples(m, d [, {n = 16, first = 1, wrong = false, labels=, run=, show=}]) -> p, info,
--- view: with run = the fit that trains m, the grid redraws after each epoch while it
--- trains and shows the epoch run:seek chose (the arrow keys in its window).
checker.declare("plot.samples", {"first", "n", "title", "wrong", "cols", "labels", "show", "run"})
function M.samples(m, d, opts)
  opts = checker.check("plot.samples", opts)
  check_model(m, "plot.samples"); check_data(d, "plot.samples")
  local run = seekable(opts.run)
  local n, first, total = opts.n or 16, opts.first or 1, d:info().n
  local base = opts.title or (opts.wrong and "mistakes: ✗ true class→predicted class"
    or "samples: the true class; ✗ true→predicted where the model is wrong")
  local function content()
    local probs, pred, truth = M.predictions(m, d)
    local idx = {}
    if opts.wrong then
      for i = first, total do
        if pred[i] ~= truth[i] then idx[#idx + 1] = i end
        if #idx >= n then break end
      end
    else
      for i = first, math.min(total, first + n - 1) do idx[#idx + 1] = i end
    end
    return sample_content(m, d, idx, opts, with_epoch(base, run), probs, pred, truth)
  end
  local spec, info
  if run then spec, info = run:with_shown(content) else spec, info = content() end
  spec.show = opts.show
  local p = plot.images(spec)
  local view = M.as_view({kind = "samples", plot = p, info = info}, function(v)
    return ("samples view: %d images, %d wrong%s"):format(#v.info.index, v.info.wrong, run and ", follows its run" or "")
  end)
  if run then
    function view.refresh()
      local s2, i2 = run:with_shown(content)
      p:update(s2)
      view.info = i2
      return view
    end
    follow_run(run, view, p, opts)
  end
  return p, info, view
end

--- M.cell_samples(m, d, true_class, predicted_class [, opts]) -> p: the images of one
--- confusion cell (what a click on the matrix opens)
function M.cell_samples(m, d, ti, pj, opts)
  opts = opts or {}
  local _, pred, truth = M.predictions(m, d)
  local idx = {}
  for i = 1, #pred do
    if truth[i] == ti and pred[i] == pj then idx[#idx + 1] = i end
    if #idx >= (opts.n or 32) then break end
  end
  local labels = opts.labels or class_names(#(opts.labels or {}) > 0 and #opts.labels or 10, d)
  return sample_grid(m, d, idx, opts, ("true %s, predicted %s: %d shown"):format(labels[ti + 1] or ti,
    labels[pj + 1] or pj, #idx))
end

--- plot.probabilities(m, d, i [, {labels=, show=}]) -> p, probs: sample i's class probabilities
checker.declare("plot.probabilities", {"labels", "show", "title"})
function M.probabilities(m, d, i, opts)
  opts = checker.check("plot.probabilities", opts)
  check_model(m, "plot.probabilities"); check_data(d, "plot.probabilities")
  if type(i) ~= "number" or i < 1 or i > d:info().n or i % 1 ~= 0 then
    error(("plot.probabilities: sample %s is not a row of the set (1 to %d)"):format(tostring(i), d:info().n), 2)
  end
  local probs, pred, truth = M.predictions(m, d, i, 1)
  local pr = probs:totable()[1]
  local labels = opts.labels or class_names(#pr, d)
  local p = plot.bars{values = pr, labels = labels, show = opts.show, ylim = {0, 1},
    title = opts.title or ("sample %d: true %s, predicted %s (%.0f%%)"):format(i, labels[truth[1] + 1],
      labels[pred[1] + 1], 100 * pr[pred[1] + 1]), ylabel = "probability"}
  return p, pr
end

---------------------------------------------------------------------------------
-- Per-layer histograms
---------------------------------------------------------------------------------

local function moments(list)
  local n, s, s2 = #list, 0, 0
  for _, v in ipairs(list) do s = s + v end
  local mean = n > 0 and s / n or 0 / 0
  for _, v in ipairs(list) do s2 = s2 + (v - mean) ^ 2 end
  return mean, n > 0 and math.sqrt(s2 / n) or 0 / 0
end

local function flat(t)
  local out = {}
  local function walk(v)
    if type(v) ~= "table" then out[#out + 1] = v; return end
    for _, w in ipairs(v) do walk(w) end
  end
  walk(t:totable())
  return out
end

local function input_rows(x, n)
  if mt_name(x) == "nnlab.dataset" then x = x:x() end
  if mt_name(x) ~= "nnlab.tensor" then error("plot.layers: give inputs as a tensor or a data set", 3) end
  if n and x.shape[1] > n then x = x:rows(1, n) end
  return x
end

--- M.layer_values(m, x_or_data [, what, n]) -> list of {name =, values = list, mean =,
--- std =, dead =}: what is "activations" (the output of each hidden layer's
--- activation, evaluation mode), "weights" (each linear layer's W) or "gradients" (of
--- each W for the cross-entropy or MSE loss on the first n = 512 rows of a data set).
function M.layer_values(m, src, what, n)
  check_model(m, "plot.layers")
  what = what or "activations"
  local out = {}
  local kids = m:children()
  if what == "activations" then
    local h = input_rows(src, n or 512)
    local layer = 0
    for ci, c in ipairs(kids) do
      local info = c:info()
      h = c:predict(h)
      if info.kind == "linear" then layer = layer + 1 end
      local nxt = kids[ci + 1] and kids[ci + 1]:info().kind
      -- the hidden layers' outputs: after the activation (or the linear layer when
      -- nothing follows it), not the last layer
      if ci < #kids and info.kind == "activation" or (info.kind == "linear" and nxt == "linear") then
        out[#out + 1] = {name = ("layer %d (%s)"):format(layer, info.name), values = flat(h)}
      end
    end
  elseif what == "weights" or what == "gradients" then
    if what == "gradients" then
      check_data(src, "plot.layers")
      local x = input_rows(src, n or 512)
      local y = src:y():rows(1, x.shape[1])
      m:zero_grad()
      local o = m(x)
      local loss = (src:info().classes > 0) and nn.cross_entropy(o, y) or nn.mse(o, y)
      loss:backward()
    end
    local layer = 0
    for _, c in ipairs(kids) do
      if c:info().kind == "linear" then
        layer = layer + 1
        local w = c:param(1)
        local v = what == "weights" and w or w.grad
        if v == nil then error("plot.layers: layer " .. layer .. " has no gradient", 2) end
        out[#out + 1] = {name = ("layer %d %s"):format(layer, what == "weights" and "W" or "dL/dW"), values = flat(v)}
      end
    end
    if what == "gradients" then m:zero_grad() end
  else
    error(("plot.layers: what = %q; it is \"activations\", \"weights\" or \"gradients\""):format(tostring(what)), 2)
  end
  for _, l in ipairs(out) do
    l.mean, l.std = moments(l.values)
    local zeros = 0
    for _, v in ipairs(l.values) do if v == 0 then zeros = zeros + 1 end end
    l.zero = #l.values > 0 and zeros / #l.values or 0
  end
  return out
end

--- plot.layers(m, x_or_data [, {what = "activations", bins = 40, run=, title=, show=}]) ->
--- window, layers: one histogram per layer; with run = a fit at the prompt it redraws
--- about twice a second while the run trains.
checker.declare("plot.layers", {"bins", "cols", "n", "run", "show", "title", "what"})
function M.layers(m, src, opts)
  opts = checker.check("plot.layers", opts)
  local what = opts.what or "activations"
  local layers = M.layer_values(m, src, what, opts.n)
  local panels = {}
  local function caption(l)
    return ("%s: mean %.2g, sd %.2g%s"):format(l.name, l.mean, l.std,
      l.zero > 0.01 and ("; %.0f%% zero"):format(100 * l.zero) or "")
  end
  for i, l in ipairs(layers) do
    panels[i] = plot.hist{values = l.values, bins = opts.bins or 40, show = false, title = caption(l),
      xlabel = what == "activations" and "output" or what == "weights" and "weight" or "gradient",
      ylabel = "count"}
  end
  local spec = {table.unpack(panels)}
  spec.cols, spec.show = opts.cols or math.min(#panels, 4), opts.show
  spec.title = opts.title or ("%s per layer"):format(what)
  local w = plot.window(spec)
  local function refresh()
    local ls = M.layer_values(m, src, what, opts.n)
    for i, l in ipairs(ls) do
      if panels[i] then panels[i]:hist(l.values, opts.bins or 40); panels[i]:label("title", caption(l)) end
    end
    return ls
  end
  if opts.run and interactive() then
    local last = now()
    spawn(function()
      while w:is_open() do
        if now() - last > 0.5 then
          refresh(); last = now()
          if opts.run.state ~= "running" then return end
        end
        coroutine.yield()
      end
    end, "layers view")
  end
  return w, layers, refresh
end

---------------------------------------------------------------------------------
-- LR range test
---------------------------------------------------------------------------------

--- M.lr_suggest(r [, beta]) -> lo, hi, smooth: a range for cyclical learning rates from
--- an nn.lr_range_test result. The loss is smoothed (an exponential average with bias
--- correction, beta 0.9); lo is the rate where the smoothed loss has fallen a tenth of
--- the way from its start to its minimum for good (the last rate before the minimum
--- above that line: one lucky batch early on does not start the range), hi a third of
--- the rate at its minimum.
function M.lr_suggest(r, beta)
  if type(r) ~= "table" or type(r.lr) ~= "table" or type(r.loss) ~= "table" or #r.lr < 3 then
    error("lr_suggest: expected the result of nn.lr_range_test{...} ({lr = ..., loss = ...}, 3 points or more)", 2)
  end
  beta = beta or 0.9
  local smooth, avg = {}, 0
  for i, l in ipairs(r.loss) do
    avg = beta * avg + (1 - beta) * l
    smooth[i] = avg / (1 - beta ^ i)
  end
  local imin = 1
  for i = 2, #smooth do if smooth[i] < smooth[imin] then imin = i end end
  local start, low = smooth[1], smooth[imin]
  local ilo = 1
  for i = imin, 1, -1 do
    if smooth[i] >= start - 0.1 * (start - low) then ilo = i; break end
  end
  local lo, hi = r.lr[ilo], r.lr[imin] / 3
  if hi < lo then hi = lo end
  return lo, hi, smooth
end

--- plot.lr_range(r [, {title=, show=}]) -> p, lo, hi: loss against the rate (log x), the
--- smoothed loss and the suggested range shaded
checker.declare("plot.lr_range", {"show", "title"})
function M.lr_range(r, opts)
  opts = checker.check("plot.lr_range", opts)
  local lo, hi, smooth = M.lr_suggest(r)
  local ymin, ymax = math.huge, -math.huge
  for _, v in ipairs(smooth) do ymin, ymax = math.min(ymin, v), math.max(ymax, v) end
  for _, v in ipairs(r.loss) do if v == v and v < 4 * smooth[#smooth] + 10 then ymin = math.min(ymin, v) end end
  ymax = math.max(ymax, smooth[1] * 1.2)
  local p = plot.lines{title = opts.title or ("LR range test: suggested range %.2g to %.2g (shaded)"):format(lo, hi),
    xlabel = "learning rate", ylabel = "loss", xlog = true, ylim = {ymin, ymax}, show = opts.show,
    series = {["loss"] = {x = r.lr, y = r.loss}, ["smoothed"] = {x = r.lr, y = smooth}}}
  p:band(lo, hi)
  p:marker(lo, ("lo %.2g"):format(lo))
  p:marker(hi, ("hi %.2g"):format(hi))
  return p, lo, hi
end


-- For the other view modules (views_cnn): a run's views follow it the same way.
M.seekable, M.follow_run, M.with_epoch = seekable, follow_run, with_epoch

return M
