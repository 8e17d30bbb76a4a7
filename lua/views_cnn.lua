-- views_cnn.lua: the views of a convolutional net (lesson 12), built in Lua on the
-- existing plot kinds: plot.filters (a conv layer's kernels as an image grid),
-- plot.explain (every layer's feature maps for one input, a unit's receptive field
-- and its sum written out, the class scores), plot.saliency (the gradient of a class
-- score with respect to the input) and plot.top_images (the images of a data set that
-- excite one filter most). Each follows a run (run =): it redraws after each epoch and
-- shows the epoch run:seek chose. The numbers each view draws come from plain
-- functions of this module (require "views_cnn"), which tests and lessons read.
-- "Layer k" is always the k-th entry of m:children(), as m:freeze(i, j),
-- m:replace(k, ...) and m:features(d, k) count.
local plot = require "plot"
local checker = require "options"

local M = {}

local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

local function check_model(m, who)
  if mt_name(m) ~= "nnlab.module" or m:info().kind ~= "sequential" then
    error(("%s: expected a model of built-in layers (nn.sequential{...}), got %s"):format(who,
      mt_name(m) or type(m)), 3)
  end
end
local function check_data(d, who)
  if mt_name(d) ~= "nnlab.dataset" then
    error(("%s: expected a data set (as data.fashion_mnist{shape = \"image\"} gives), got %s"):format(who,
      mt_name(d) or type(d)), 3)
  end
end
-- A run's views follow it as the data views do: one follow_run for every view module.
local views_data = require "views_data"
local seekable, follow_run, with_epoch = views_data.seekable, views_data.follow_run, views_data.with_epoch

-- fn() with the weights of the epoch the run shows (or the live ones).
local function shown(run, fn)
  if run then return run:with_shown(fn) end
  return fn()
end

local function flat(t)
  local out = {}
  local function walk(v)
    if type(v) ~= "table" then out[#out + 1] = v; return end
    for _, w in ipairs(v) do walk(w) end
  end
  walk(type(t) == "table" and t or t:totable())
  return out
end

local function shape_text(s) return table.concat(s, "×") end

local function class_names(k)
  if k == 10 and rawget(_G, "data") and data.fashion_labels then return data.fashion_labels end
  local out = {}
  for c = 1, k do out[c] = tostring(c - 1) end
  return out
end

---------------------------------------------------------------------------------
-- Geometry: each layer's window, receptive fields
---------------------------------------------------------------------------------

-- The padding before the first row and column of a window w over an input of
-- h x w: the given one, or "same"'s (TensorFlow's split, the odd one below/right).
local function pad_before(win, h, w)
  if not win.same then return win.pad[1], win.pad[3] end
  local function before(n, k, s, d)
    local out = math.ceil(n / s)
    local total = math.max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2
  end
  return before(h, win.kh, win.sh, win.dh), before(w, win.kw, win.sw, win.dw)
end

--- M.layers(m, sample_shape) -> list of {index =, module =, name =, kind =, shape = the
--- output's sample shape, window = m:window() or nil, pt =, pl = (padding before)}:
--- the model's layers in order with the shape each gives a sample of sample_shape.
function M.layers(m, in_shape)
  local out, shape = {}, in_shape
  for i, c in ipairs(m:children()) do
    local info, win = c:info(), c:window()
    local l = {index = i, module = c, name = info.name, kind = info.kind, window = win, in_shape = shape}
    if win and #shape == 3 then
      if win.kind == "global_avg" then
        win.kh, win.kw, win.sh, win.sw = shape[2], shape[3], shape[2], shape[3]
      end
      l.pt, l.pl = pad_before(win, shape[2], shape[3])
    end
    shape = c:out_shape(shape) or shape
    l.shape = shape
    out[i] = l
  end
  return out
end

--- M.receptive_field(layers, k, row, col) -> r0, r1, c0, c1: the rows and columns
--- (1-based, inclusive, not clipped to the input) of the input that unit (row, col) of
--- layer k's maps sees; the whole input once a layer has flattened the maps.
function M.receptive_field(layers, k, row, col)
  local r0, r1, c0, c1 = row - 1, row - 1, col - 1, col - 1 -- 0-based, this layer's output
  for i = k, 1, -1 do
    local l = layers[i]
    if #l.in_shape ~= 3 then error("receptive_field: layer " .. i .. " takes no maps", 2) end
    if #l.shape ~= 3 and not (l.window and l.window.kind == "global_avg") then
      return 1, l.in_shape[2], 1, l.in_shape[3] -- flattened: every input pixel
    end
    local w = l.window
    if w then
      r0, r1 = r0 * w.sh - l.pt, r1 * w.sh - l.pt + w.dh * (w.kh - 1)
      c0, c1 = c0 * w.sw - l.pl, c1 * w.sw - l.pl + w.dw * (w.kw - 1)
    end
  end
  return r0 + 1, r1 + 1, c0 + 1, c1 + 1
end

---------------------------------------------------------------------------------
-- Feature maps and a unit's sum
---------------------------------------------------------------------------------

-- x as one sample [1, C, H, W]: a row of a data set, a tensor [H, W], [C, H, W] or
-- [1, C, H, W].
local function as_input(src, d, who)
  if math.type(src) == "integer" then
    if not d then error(who .. ": give the data set (data =) to pick image " .. src .. " from", 3) end
    check_data(d, who)
    local n = d:info().n
    if src < 1 or src > n then error(("%s: image %d is not a row of the set (1 to %d)"):format(who, src, n), 3) end
    local y = d:y():rows(src, 1):totable()[1]
    local x = d:x():rows(src, 1)
    if #x.shape ~= 4 then
      error(("%s: the data set's inputs are [%s], not images [n, C, H, W]: load them with shape = \"image\""):format(who,
        table.concat(d:x().shape, ", ")), 3)
    end
    return x, math.floor(type(y) == "table" and y[1] or y)
  end
  if mt_name(src) ~= "nnlab.tensor" then
    error(who .. ": expected an image (a tensor [H, W], [C, H, W] or [1, C, H, W]) or a row number, got "
      .. (mt_name(src) or type(src)), 3)
  end
  local s = src.shape
  if #s == 2 then return src:reshape(1, 1, s[1], s[2]) end
  if #s == 3 then return src:reshape(1, s[1], s[2], s[3]) end
  if #s == 4 and s[1] == 1 then return src end
  error(("%s: an image is [H, W], [C, H, W] or [1, C, H, W], got [%s]"):format(who, table.concat(s, ", ")), 3)
end

--- M.feature_maps(m, x) -> list: entry 1 the input, then one per layer: {index = (0
--- the input), name =, shape =, values = flat list (channel, row, column)}; m runs in
--- evaluation mode.
function M.feature_maps(m, x)
  local out = {{index = 0, name = "input", shape = {x.shape[2], x.shape[3], x.shape[4]}, values = flat(x)}}
  local h = x
  for i, c in ipairs(m:children()) do
    h = c:predict(h)
    local s = {}
    for j = 2, #h.shape do s[j - 1] = h.shape[j] end
    out[#out + 1] = {index = i, name = c:info().name, shape = s, values = flat(h)}
  end
  return out
end

local function at(map, c, r, col) -- 1-based channel, row, column of a flat map; 0 off it
  local s = map.shape
  if r < 1 or r > s[2] or col < 1 or col > s[3] then return 0 end
  return map.values[((c - 1) * s[2] + (r - 1)) * s[3] + col]
end

--- M.unit_sum(m, x, k, channel, row, col) -> {value =, bias =, terms = {{channel =,
--- sum =, products = {{w, x}, ...}}, ...}, total =, text =}: how unit (channel, row, col)
--- of conv layer k is computed from the maps before it: the bias plus, per input
--- channel, the sum of kernel weight times input under the window (zero padding
--- counted as 0); for a pooling layer the max or mean of the window; for an activation
--- f of the unit before it. total is the sum recomputed; value the layer's own output.
function M.unit_sum(m, x, k, ch, row, col)
  local maps = M.feature_maps(m, x)
  local layers = M.layers(m, maps[1].shape)
  local l, prev, here = layers[k], maps[k], maps[k + 1]
  if not l then error(("unit_sum: layer %d is not in the model (1 to %d)"):format(k, #layers), 2) end
  if #here.shape ~= 3 then error(("unit_sum: layer %d (%s) gives no maps (shape %s)"):format(k, l.name,
    shape_text(here.shape)), 2) end
  local s = here.shape
  if ch < 1 or ch > s[1] or row < 1 or row > s[2] or col < 1 or col > s[3] then
    error(("unit_sum: unit (%d, %d, %d) is outside layer %d's maps %s"):format(ch, row, col, k, shape_text(s)), 2)
  end
  local res = {value = at(here, ch, row, col), terms = {}, layer = k, name = l.name}
  local w = l.window
  if not w then
    res.input = at(prev, ch, row, col)
    res.total = res.value
    res.text = ("layer %d, map %d, row %d, col %d\n%s(%.4g) = %.4g"):format(k, ch, row, col, l.name, res.input, res.value)
    return res
  end
  local r0, c0 = (row - 1) * w.sh - l.pt, (col - 1) * w.sw - l.pl -- 0-based top-left of the window
  if w.kind == "conv2d" then
    local W = flat(l.module:param(1))
    local ps = l.module:parameters()
    local bias = #ps > 1 and flat(ps[2])[ch] or 0
    local cin = prev.shape[1] // w.groups
    local g = (ch - 1) // (s[1] // w.groups) -- the group of this output channel
    local total = bias
    for ci = 1, cin do
      local c = g * cin + ci
      local term = {channel = c, sum = 0, products = {}}
      for i = 1, w.kh do
        for j = 1, w.kw do
          local wv = W[(((ch - 1) * cin + ci - 1) * w.kh + i - 1) * w.kw + j]
          local xv = at(prev, c, r0 + (i - 1) * w.dh + 1, c0 + (j - 1) * w.dw + 1)
          term.products[#term.products + 1] = {wv, xv}
          term.sum = term.sum + wv * xv
        end
      end
      total = total + term.sum
      res.terms[ci] = term
    end
    res.bias, res.total = bias, total
    local lines = {("layer %d (%s), map %d, row %d, col %d"):format(k, l.name, ch, row, col),
      ("= b + Σ w·x over a %d×%d window on %d map%s"):format(w.kh, w.kw, cin, cin > 1 and "s" or "")}
    -- two products written out: the text panel beside the maps is narrow, and its type
    -- shrinks to the longest line (44 characters keep it readable on a projector)
    local first = {}
    for i, p in ipairs(res.terms[1].products) do
      if i <= 2 then first[#first + 1] = ("%.2f·%.2f"):format(p[1], p[2]) end
    end
    lines[#lines + 1] = ("map %d: %s + … = %.3g"):format(res.terms[1].channel, table.concat(first, " + "),
      res.terms[1].sum)
    for i = 2, math.min(#res.terms, 8) do
      lines[#lines + 1] = ("map %d: Σ of %d products = %.3g"):format(res.terms[i].channel, w.kh * w.kw,
        res.terms[i].sum)
    end
    if #res.terms > 8 then lines[#lines + 1] = ("… %d maps more"):format(#res.terms - 8) end
    lines[#lines + 1] = ("bias b = %.3g"):format(bias)
    lines[#lines + 1] = ("sum = %.4g (the layer gives %.4g)"):format(total, res.value)
    res.text = table.concat(lines, "\n")
  else -- pooling: per channel over the window
    local vals, best, sum = {}, -math.huge, 0
    for i = 1, w.kh do
      for j = 1, w.kw do
        local rr, cc = r0 + (i - 1) * w.dh + 1, c0 + (j - 1) * w.dw + 1
        local inside = rr >= 1 and rr <= prev.shape[2] and cc >= 1 and cc <= prev.shape[3]
        local v = at(prev, ch, rr, cc)
        vals[#vals + 1] = v
        if inside then best = math.max(best, v) end
        sum = sum + v
      end
    end
    res.window_values = vals
    res.total = w.kind == "max" and best or sum / (w.kh * w.kw)
    local list = {}
    for i, v in ipairs(vals) do if i <= 9 then list[#list + 1] = ("%.2f"):format(v) end end
    res.text = ("layer %d (%s), map %d, row %d, col %d\n= %s of its %d×%d window\n%s(%s%s)\n= %.4g (the layer gives %.4g)")
      :format(k, l.name, ch, row, col, w.kind == "max" and "the largest" or "the mean", w.kh, w.kw,
        w.kind == "max" and "max" or "mean", table.concat(list, ", "), #vals > 9 and ", …" or "", res.total, res.value)
  end
  return res
end

---------------------------------------------------------------------------------
-- Filters
---------------------------------------------------------------------------------

local function conv_layers(m)
  local out = {}
  for i, c in ipairs(m:children()) do
    local w = c:window()
    if w and w.kind == "conv2d" then out[#out + 1] = i end
  end
  return out
end

local function pick_conv(m, k, who)
  local convs = conv_layers(m)
  if #convs == 0 then error(who .. ": the model has no conv2d layer", 3) end
  if k == nil then return convs[1] end
  for _, i in ipairs(convs) do if i == k then return k end end
  local kids = m:children()
  error(("%s: layer %s is %s, not a conv2d layer; the conv layers are %s"):format(who, tostring(k),
    kids[k] and kids[k]:info().name or "not in the model", table.concat(convs, ", ")), 3)
end

--- M.filter_images(m, k [, channel]) -> {images = flat, n =, h =, w =, cols =, captions =}:
--- conv layer k's kernels: channel "sum" (default) sums each filter over its input
--- channels, a number c shows input channel c of each, "all" every (filter, channel)
--- pair, one row a filter.
function M.filter_images(m, k, channel)
  local c = m:children()[k]
  local W, win = c:param(1), c:window()
  local kh, kw = win.kh, win.kw
  local K = W.shape[1]
  local C = W:numel() // (K * kh * kw) -- input channels a filter sees (in / groups)
  local v = flat(W)
  local out, caps = {}, {}
  channel = channel or "sum"
  if channel == "all" then
    for f = 1, K do
      for ci = 1, C do
        local base = ((f - 1) * C + ci - 1) * kh * kw
        for i = 1, kh * kw do out[#out + 1] = v[base + i] end
        caps[#caps + 1] = ("f%d c%d"):format(f, ci)
      end
    end
    return {images = out, n = K * C, h = kh, w = kw, cols = C, captions = caps}
  end
  if channel ~= "sum" and (math.type(channel) ~= "integer" or channel < 1 or channel > C) then
    error(("plot.filters: channel must be \"sum\", \"all\" or an input channel 1 to %d, got %s"):format(C,
      tostring(channel)), 3)
  end
  for f = 1, K do
    for i = 1, kh * kw do
      local s = 0
      if channel == "sum" then
        for ci = 1, C do s = s + v[((f - 1) * C + ci - 1) * kh * kw + i] end
      else
        s = v[((f - 1) * C + channel - 1) * kh * kw + i]
      end
      out[#out + 1] = s
    end
    caps[f] = "f" .. f
  end
  return {images = out, n = K, h = kh, w = kw, captions = caps}
end

--- plot.filters(m [, {layer = the first conv layer, channel = "sum" | c | "all", run =,
--- title =, show =}]) -> p, view: the kernels of a conv layer as an image grid (blue
--- negative, red positive, one scale); with run = it follows the run.
checker.declare("plot.filters", {"layer", "channel", "run", "title", "show"})
function M.filters(m, opts)
  opts = checker.check("plot.filters", opts)
  check_model(m, "plot.filters")
  local k = pick_conv(m, opts.layer, "plot.filters")
  local run = seekable(opts.run)
  local ch = opts.channel or "sum"
  local function content()
    local spec = M.filter_images(m, k, ch)
    local win = m:children()[k]:window()
    spec.title = with_epoch(opts.title or ("layer %d filters (%d of %d×%d; %s)"):format(k, spec.n // (ch == "all"
      and (spec.cols or 1) or 1), win.kh, win.kw, ch == "sum" and "summed over input channels"
      or ch == "all" and "a row per filter, a column per input channel" or "input channel " .. ch), run)
    return spec
  end
  local spec = shown(run, content)
  spec.show = opts.show
  local p = plot.images(spec)
  local view = views_data.as_view({kind = "filters", plot = p, layer = k, images = spec.images}, function(v)
    return ("filters view: layer %d%s"):format(v.layer, run and ", follows its run" or "")
  end)
  function view.refresh()
    local s2 = shown(run, content)
    p:update{images = s2.images, n = s2.n, h = s2.h, w = s2.w, title = s2.title}
    view.images = s2.images
    return view
  end
  if run then follow_run(run, view, p, opts) end
  return p, view
end

---------------------------------------------------------------------------------
-- Saliency
---------------------------------------------------------------------------------

local function training_of(m) return require("nn.train").training(m) end

--- M.saliency_map(m, x, class) -> {grad = flat d score / d x (channel, row, column),
--- saliency = flat max over channels of |grad| (row, column), score =, class =
--- (0-based), h =, w =}: the gradient of the class's score (the logit, before the
--- softmax) with respect to the input, by one backward pass in evaluation mode; class
--- nil: the predicted one.
function M.saliency_map(m, x, class)
  local was = training_of(m)
  m:eval()
  local ok, res = pcall(function()
    local xi = x:copy():requires_grad()
    local out = m(xi)
    local k = out.shape[2]
    if class == nil then
      local best, bi = -math.huge, 0
      for i, v in ipairs(out:totable()[1]) do if v > best then best, bi = v, i - 1 end end
      class = bi
    end
    if math.type(class) ~= "integer" or class < 0 or class >= k then
      error(("plot.saliency: class must be 0 to %d, got %s"):format(k - 1, tostring(class)), 0)
    end
    local mask = {}
    for i = 1, k do mask[i] = (i - 1 == class) and 1 or 0 end
    local score = (out * nn.tensor{mask}):sum()
    score:backward()
    local g = flat(xi.grad)
    local C, H, W = x.shape[2], x.shape[3], x.shape[4]
    local sal = {}
    for p = 1, H * W do
      local s = 0
      for c = 1, C do s = math.max(s, math.abs(g[(c - 1) * H * W + p])) end
      sal[p] = s
    end
    return {grad = g, saliency = sal, score = score:item(), class = class, h = H, w = W, c = C}
  end)
  m:zero_grad()
  m:train(was)
  if not ok then error(res, 0) end
  return res
end

--- plot.saliency(m, image | row [, {class =, data =, run =, title =, show =}]) -> window,
--- view: the image beside the gradient of a class score with respect to it (how much
--- each pixel moves the score), brightest where a change moves it most.
checker.declare("plot.saliency", {"class", "data", "run", "title", "show", "labels"})
function M.saliency(m, src, opts)
  opts = checker.check("plot.saliency", opts)
  check_model(m, "plot.saliency")
  local x, truth = as_input(src, opts.data, "plot.saliency")
  local run = seekable(opts.run)
  local function content()
    local s = M.saliency_map(m, x, opts.class)
    local labels = opts.labels or class_names(m:out_shape({x.shape[2], x.shape[3], x.shape[4]})[1])
    s.title = with_epoch(opts.title or ("saliency of %s (score %.3g)%s"):format(labels[s.class + 1] or s.class,
      s.score, truth == nil and "" or truth == s.class and " ✓" or (", true " .. (labels[truth + 1] or truth))), run)
    return s
  end
  local s = shown(run, content)
  local img = flat(x)
  local gray = {}
  for p = 1, s.h * s.w do gray[p] = img[p] end -- the first channel
  local pi = plot.images{images = gray, n = 1, h = s.h, w = s.w, map = "gray", show = false,
    title = "input", captions = {"image"}}
  local ps = plot.images{images = s.saliency, n = 1, h = s.h, w = s.w, map = "viridis", show = false,
    title = "|d score / d pixel|", captions = {"saliency"}}
  ps:update{title = s.title}
  local win = plot.window{pi, ps, cols = 2, title = "saliency", show = opts.show}
  local view = views_data.as_view({kind = "saliency", plot = ps, window = win, map = s}, function(v)
    return ("saliency view: %s"):format(v.map.title)
  end)
  function view.refresh()
    local s2 = shown(run, content)
    ps:update{images = s2.saliency, n = 1, h = s2.h, w = s2.w, title = s2.title}
    view.map = s2
    return view
  end
  if run then follow_run(run, view, ps, opts) end
  return win, view
end

---------------------------------------------------------------------------------
-- Top images of a filter
---------------------------------------------------------------------------------

--- M.top_activations(m, d, layer, filter [, n = 9]) -> list of {index =, value =}, the n
--- rows of d whose map `filter` of layer `layer` has the largest maximum, largest first
--- (ties: the earlier row first).
function M.top_activations(m, d, k, f, n)
  local kids = m:children()
  local N = d:info().n
  local acts = {}
  local B = 256
  for first = 1, N, B do
    local h = d:x():rows(first, math.min(B, N - first + 1))
    for i = 1, k do h = kids[i]:predict(h) end
    if f < 1 or f > h.shape[2] then
      error(("plot.top_images: layer %d has %d maps; filter %d is not one"):format(k, h.shape[2], f), 3)
    end
    local b, C = h.shape[1], h.shape[2]
    local per = h:numel() // (b * C)
    local mx = h:reshape(b * C, per):max(2):totable()
    for r = 1, b do acts[#acts + 1] = {index = first + r - 1, value = mx[(r - 1) * C + f]} end
  end
  table.sort(acts, function(a, b)
    if a.value ~= b.value then return a.value > b.value end
    return a.index < b.index
  end)
  local out = {}
  for i = 1, math.min(n or 9, #acts) do out[i] = acts[i] end
  return out
end

--- plot.top_images(m, d [, {layer = the first conv layer, filter = 1, n = 9, run =, title =,
--- show =}]) -> p, view: the n images of d that excite that filter's map most (its
--- largest value), captioned with the value.
checker.declare("plot.top_images", {"layer", "filter", "n", "run", "title", "show"})
function M.top_images(m, d, opts)
  opts = checker.check("plot.top_images", opts)
  check_model(m, "plot.top_images"); check_data(d, "plot.top_images")
  local k = opts.layer or pick_conv(m, nil, "plot.top_images")
  local kids = m:children()
  if math.type(k) ~= "integer" or not kids[k] then
    error(("plot.top_images: layer must be 1 to %d, got %s"):format(#kids, tostring(k)), 2)
  end
  local f = opts.filter or 1
  local run = seekable(opts.run)
  local s = d:x().shape
  if #s ~= 4 then error("plot.top_images: the data set's inputs must be images [n, C, H, W] (shape = \"image\")", 2) end
  local function content()
    local top = M.top_activations(m, d, k, f, opts.n or 9)
    local idx = {}
    for i, t in ipairs(top) do idx[i] = t.index end
    local imgs = d:x():gather(idx)
    local vals, caps = flat(imgs:reshape(#idx, s[2], s[3], s[4])), {}
    local first = {}
    for i = 1, #idx do
      for p = 1, s[3] * s[4] do first[#first + 1] = vals[(i - 1) * s[2] * s[3] * s[4] + p] end
      caps[i] = ("#%d: %.2f"):format(idx[i], top[i].value)
    end
    return {images = first, n = #idx, h = s[3], w = s[4], captions = caps,
      title = with_epoch(opts.title or ("the images that excite filter %d of layer %d (%s) most"):format(f, k,
        kids[k]:info().name), run)}, top
  end
  local spec, top = shown(run, content)
  spec.show = opts.show
  local p = plot.images(spec)
  local view = views_data.as_view({kind = "top_images", plot = p, top = top}, function(v)
    return ("top images view: %d images%s"):format(#v.top, run and ", follows its run" or "")
  end)
  function view.refresh()
    local s2, t2 = shown(run, content)
    p:update{images = s2.images, n = s2.n, h = s2.h, w = s2.w, captions = s2.captions, title = s2.title}
    view.top = t2
    return view
  end
  if run then follow_run(run, view, p, opts) end
  return p, view
end

---------------------------------------------------------------------------------
-- The explainer
---------------------------------------------------------------------------------

-- The input's first channel as RGB, dimmed outside rows r0..r1, columns c0..c1, the
-- window's border in orange.
local function highlight(values, H, W, r0, r1, c0, c1)
  local lo, hi = math.huge, -math.huge
  for p = 1, H * W do lo, hi = math.min(lo, values[p]), math.max(hi, values[p]) end
  local span = hi > lo and hi - lo or 1
  local out = {}
  for r = 1, H do
    for c = 1, W do
      local v = (values[(r - 1) * W + c] - lo) / span
      local inside = r0 and r >= r0 and r <= r1 and c >= c0 and c <= c1
      -- the border drawn on the image where the field runs past it (padding)
      local edge = inside and (r == math.max(r0, 1) or r == math.min(r1, H) or c == math.max(c0, 1)
        or c == math.min(c1, W))
      local o = #out
      if edge then
        out[o + 1], out[o + 2], out[o + 3] = 1, 0.55, 0
      elseif r0 and not inside then
        out[o + 1], out[o + 2], out[o + 3] = 0.35 * v, 0.35 * v, 0.35 * v + 0.1
      else
        out[o + 1], out[o + 2], out[o + 3] = v, v, v
      end
    end
  end
  -- pin the RGB scale to 0..1 (the panel scales by the values it is given)
  return out
end

-- The maps worth a panel: every layer that gives maps, and the last layer (the scores
-- are the bars); flatten and the hidden vectors are shown as one strip each.
local function shown_layers(maps)
  local out = {}
  for i = 2, #maps do
    local mp = maps[i]
    if #mp.shape == 3 or (#mp.shape == 1 and mp.name ~= "flatten" and i < #maps) then out[#out + 1] = i end
  end
  return out
end

local function map_spec(mp)
  if #mp.shape == 3 then
    local caps = {}
    for c = 1, mp.shape[1] do caps[c] = tostring(c) end
    return {images = mp.values, n = mp.shape[1], h = mp.shape[2], w = mp.shape[3], captions = caps}
  end
  -- a vector as a near-square block, row by row (0 after its last unit)
  local n = mp.shape[1]
  local w = math.ceil(math.sqrt(n))
  local h = math.ceil(n / w)
  local v = {}
  for i = 1, w * h do v[i] = mp.values[i] or 0 end
  return {images = v, n = 1, h = h, w = w, captions = {("%d units, %d a row"):format(n, w)}}
end

--- plot.explain(m, image | row [, {data =, run =, labels =, title =, show =}]) -> window,
--- view: every layer's feature maps for one input (a panel a layer, titled with the
--- layer's number, name and shape), the class probabilities as bars, and the unit
--- under the cursor explained: its receptive field lit on the input and the sum that
--- made it written out (view:select(k, channel, row, col) does the same from code).
checker.declare("plot.explain", {"data", "run", "labels", "title", "show", "cols"})
function M.explain(m, src, opts)
  opts = checker.check("plot.explain", opts)
  check_model(m, "plot.explain")
  local x, truth = as_input(src, opts.data, "plot.explain")
  local run = seekable(opts.run)
  local in_shape = {x.shape[2], x.shape[3], x.shape[4]}
  local layers = M.layers(m, in_shape)
  local view = views_data.as_view({kind = "explain", layers = layers}, function(v)
    local u = v.unit
    return ("explainer: %d layers%s%s"):format(#v.layers, u and u.channel and (", unit (%d, %d, %d) of layer %d chosen")
      :format(u.channel, u.row, u.col, u.layer) or "", run and ", follows its run" or "")
  end)
  local maps = shown(run, function() return M.feature_maps(m, x) end)
  local which = shown_layers(maps)
  local H, W = in_shape[2], in_shape[3]
  local p_in = plot.images{images = highlight(maps[1].values, H, W), n = 1, h = H, w = W, channels = 3,
    show = false, title = "input " .. shape_text(in_shape), captions = {"click a unit"}}
  local panels, by_panel = {p_in}, {}
  for _, i in ipairs(which) do
    local mp = maps[i]
    local spec = map_spec(mp)
    spec.show, spec.title = false, ("%d %s %s"):format(i - 1, mp.name, shape_text(mp.shape))
    local p = plot.images(spec)
    panels[#panels + 1] = p
    by_panel[p] = i
    view["panel" .. (i - 1)] = p
  end
  local function probs_of(mp)
    local v, mx, out, s = mp.values, -math.huge, {}, 0
    for _, a in ipairs(v) do mx = math.max(mx, a) end
    for i, a in ipairs(v) do out[i] = math.exp(a - mx); s = s + out[i] end
    for i = 1, #out do out[i] = out[i] / s end
    return out
  end
  local labels = opts.labels or class_names(#maps[#maps].values)
  local probs = probs_of(maps[#maps])
  local function bars_title(pr)
    local best = 1
    for i = 2, #pr do if pr[i] > pr[best] then best = i end end
    -- short enough for a quarter of the window: the axis says these are softmax scores
    local verdict = truth == nil and "" or truth + 1 == best and " ✓" or (", true " .. labels[truth + 1])
    return with_epoch(("%s %.0f%%%s"):format(labels[best], 100 * pr[best], verdict), run)
  end
  local p_bars = plot.bars{values = probs, labels = labels, ylim = {0, 1}, show = false, title = bars_title(probs),
    ylabel = "softmax"}
  local p_text = plot.text{text = "click a unit of a map (hover: a preview):\n"
    .. "its receptive field lights up on the input\nand its sum is written out here\n\n"
    .. "from code: view:select(layer, map, row, col)", show = false}
  local p_kernel = plot.images{images = {0}, n = 1, h = 1, w = 1, show = false, shared = false,
    title = "kernel · window", captions = {"click a unit"}}
  panels[#panels + 1] = p_bars
  panels[#panels + 1] = p_text
  panels[#panels + 1] = p_kernel
  panels.cols = opts.cols or math.min(4, #panels)
  panels.show = opts.show
  panels.title = with_epoch(opts.title or "the net explained: every layer's maps for one input", run)
  local win = plot.window(panels)
  view.window, view.input, view.bars, view.text, view.maps, view.probs = win, p_in, p_bars, p_text, maps, probs
  view.kernel = p_kernel

  --- view:select(k, channel, row, col) -> the unit's sum: lights the receptive field of
  --- unit (channel, row, col) of layer k on the input and writes its sum out.
  function view.select(_, k, ch, row, col)
    local u = shown(run, function() return M.unit_sum(m, x, k, ch, row, col) end)
    local r0, r1, c0, c1 = M.receptive_field(layers, k, row, col)
    view.field = {r0, r1, c0, c1}
    view.unit = u
    -- the field's rows and columns in the title: a caption is as narrow as the image
    p_in:update{images = highlight(maps[1].values, H, W, r0, r1, c0, c1), n = 1, h = H, w = W, channels = 3,
      captions = {"receptive field"}, title = ("input: rows %d-%d, cols %d-%d"):format(r0, r1, c0, c1)}
    p_text:update{text = u.text}
    local w = layers[k].window
    if w and w.kind == "conv2d" then
      -- a column per input map: its kernel slice above the window it slides over
      local n, imgs, caps = math.min(#u.terms, 8), {}, {}
      for row2 = 1, 2 do
        for i = 1, n do
          for _, pr in ipairs(u.terms[i].products) do imgs[#imgs + 1] = pr[row2] end
          caps[#caps + 1] = row2 == 1 and ("w%d"):format(u.terms[i].channel) or ("%.2g"):format(u.terms[i].sum)
        end
      end
      p_kernel:update{images = imgs, n = 2 * n, h = w.kh, w = w.kw, cols = n, shared = false, captions = caps,
        title = ("kernel %d (top) · window (below)"):format(ch)}
    elseif w then -- pooling: the window it takes the max or mean of
      p_kernel:update{images = u.window_values, n = 1, h = w.kh, w = w.kw, cols = 1, shared = false,
        captions = {("%s %.3g"):format(w.kind, u.total)}, title = ("the %d×%d window on map %d"):format(w.kh, w.kw, ch)}
    end
    return u
  end
  function view.refresh()
    maps = shown(run, function() return M.feature_maps(m, x) end)
    view.maps = maps
    for _, i in ipairs(which) do
      local spec = map_spec(maps[i])
      view["panel" .. (i - 1)]:update{images = spec.images, n = spec.n, h = spec.h, w = spec.w}
    end
    view.probs = probs_of(maps[#maps])
    p_bars:update{values = view.probs, title = bars_title(view.probs)}
    if view.unit then
      local u = view.unit
      local ch, row, col = u.channel, u.row, u.col
      if ch then view:_show(u.layer, ch, row, col) end
    end
    return view
  end
  -- view:_show(k, ch, row, col) -> the unit's sum, shown without choosing it (a hover's
  -- preview); view:select shows it and keeps it chosen (a click, n and b, code).
  local select0 = view.select
  function view._show(self, k, ch, row, col)
    local u = select0(self, k, ch, row, col)
    u.channel, u.row, u.col = ch, row, col
    return u
  end
  view.select = function(self, k, ch, row, col)
    local u = view._show(self, k, ch, row, col)
    view.chosen = {k, ch, row, col}
    return u
  end
  -- view:hover(k, text) -> the unit's sum or nil: the unit that an images panel's hover
  -- text ("image 3  row 5  col 7  value ...") names on layer k's maps, shown as a
  -- preview; with no text (the cursor off the maps) the chosen unit comes back
  function view.hover(_, k, text)
    local img, r, c = (text or ""):match("image (%d+)%s+row (%d+)%s+col (%d+)")
    if not (img and maps[k + 1] and #maps[k + 1].shape == 3) then
      local ch, u = view.chosen, view.unit
      if (text or "") == "" and ch and u and not (u.layer == ch[1] and u.channel == ch[2]
          and u.row == ch[3] and u.col == ch[4]) then
        pcall(view._show, view, ch[1], ch[2], ch[3], ch[4])
      end
      return nil
    end
    local ok, u = pcall(view._show, view, k, tonumber(img), tonumber(r), tonumber(c))
    return ok and u or nil
  end
  -- view:click(k, image, row, col) -> the unit's sum or nil: a click on pixel (row,
  -- col) of map `image` of layer k's panel chooses that unit
  function view.click(_, k, img, r, c)
    if not (maps[k + 1] and #maps[k + 1].shape == 3) then return nil end
    local ok, u = pcall(view.select, view, k, img, r, c)
    return ok and u or nil
  end
  for p, i in pairs(by_panel) do
    p:on_hover(function(_, _, info) view:hover(i - 1, info and info.text) end)
    p:on_click(function(_, _, button, info)
      if button == 1 and info and info.row then view:click(i - 1, info.image, info.row, info.col) end
    end)
  end
  --- view:slide([steps = 1]) -> the unit's sum: moves the selected unit along its row
  --- (on to the next row at the end, back to the first at the last): the kernel slides
  --- over the maps below as the key n does in the window (b goes back).
  function view.slide(_, steps)
    local c = view.chosen or (view.unit and view.unit.channel and
      {view.unit.layer, view.unit.channel, view.unit.row, view.unit.col})
    if not c then return nil end
    local s = maps[c[1] + 1].shape
    local pos = ((c[3] - 1) * s[3] + (c[4] - 1) + (steps or 1)) % (s[2] * s[3])
    return view:select(c[1], c[2], pos // s[3] + 1, pos % s[3] + 1)
  end

  if run then follow_run(run, view, p_bars, opts) end
  if opts.show ~= false then -- after follow_run: one handler for the window's keys, its arrows and these
    win:on_key(function(key)
      if key == "n" then view:slide(1) elseif key == "b" then view:slide(-1) elseif run then run:key(key) end
    end)
    win:keys{{"n", "slide the selected unit (and its kernel) one step on"}, {"b", "one step back"},
      {"left/right", "the run's epochs (with run =)"}, {"home/end", "epoch 0 and the latest (with run =)"}}
  end
  return win, view
end

-- The plot functions
plot.filters = M.filters
plot.explain = M.explain
plot.saliency = M.saliency
plot.top_images = M.top_images

return M
