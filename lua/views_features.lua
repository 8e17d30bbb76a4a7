-- views_features.lua: plot.features(model, data, {layer =, method = "pca" | "tsne", n =}),
-- a 2-D map of what a layer of a trained net has learned: the first n inputs of a data
-- set run through the model up to that layer (evaluation mode), their outputs mapped
-- to 2-D by PCA or t-SNE (the engine's, "nn.embed"), each point coloured by its class
-- with the class names in the legend, and the image of the point under the cursor
-- shown beside the map. The numbers are kept on the view (view.x, view.y, view.class)
-- for tests and lessons. With run = (a fit of the model) the map follows the run's
-- history as the other views of a run do (views_data.follow_run): run:seek, the slider
-- and the arrow keys of its window show the map of the weights of that epoch.
local plot = require "plot"
local checker = require "options"
local embed = require "nn.embed"
local views_data = require "views_data"

local M = {}

local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

-- The layer whose outputs are mapped by default: the last activation before the
-- model's last module (the last hidden layer), else the module before the last.
local function default_layer(kids)
  for i = #kids - 1, 1, -1 do
    if kids[i]:info().kind == "activation" then return i end
  end
  return math.max(1, #kids - 1)
end

local function class_names(k, d)
  if k == 10 and d:info().nx == 784 and data and data.fashion_labels then return data.fashion_labels end
  local out = {}
  for c = 1, k do out[c] = tostring(c - 1) end
  return out
end

-- The side of a square image of nx pixels, or nil.
local function image_side(nx)
  local s = math.floor(math.sqrt(nx) + 0.5)
  return s * s == nx and s or nil
end

--- plot.features(model, data [, {layer =, method = "pca", n =, perplexity = 30,
--- iterations = 1000, seed = 0, exact =, theta = 0.5, run =, title =, show =}]) -> p, view:
--- t-SNE is exact up to 1000 points and Barnes-Hut above (exact = true or false chooses);
--- with run = the fit that trains the model, the map follows run:seek (the slider and
--- the arrow keys of its window) and redraws after each epoch while the run trains.
checker.declare("plot.features", {"layer", "method", "n", "perplexity", "iterations", "seed",
  "exact", "theta", "run", "title", "show"})
function M.features(m, d, opts)
  opts = checker.check("plot.features", opts)
  local ok, kids = pcall(function() return m:children() end)
  if not ok or type(kids) ~= "table" then
    error(("plot.features: expected a model (nn.sequential{...}), got %s"):format(mt_name(m) or type(m)), 2)
  end
  if mt_name(d) ~= "nnlab.dataset" then
    error(("plot.features: expected a data set (data.fashion_mnist{...}), got %s"):format(mt_name(d) or type(d)), 2)
  end
  local method = opts.method or "pca"
  if method ~= "pca" and method ~= "tsne" then
    error(("plot.features: method must be \"pca\" or \"tsne\", got %s"):format(tostring(method)), 2)
  end
  if opts.exact ~= nil and type(opts.exact) ~= "boolean" then
    error(("plot.features: exact must be true or false (nil: exact up to 1000 points), got %s"):format(
      tostring(opts.exact)), 2)
  end
  if opts.theta ~= nil and not (type(opts.theta) == "number" and opts.theta > 0 and opts.theta <= 1) then
    error(("plot.features: theta must be a number above 0 and at most 1 (Barnes-Hut's accuracy), got %s"):format(
      tostring(opts.theta)), 2)
  end
  local run = views_data.seekable(opts.run)
  if opts.run ~= nil and not run then
    error(("plot.features: run must be a run of m:fit (its history to follow), got %s"):format(
      mt_name(opts.run) or type(opts.run)), 2)
  end
  local layer = opts.layer or default_layer(kids)
  if math.type(layer) ~= "integer" or layer < 1 or layer > #kids then
    error(("plot.features: layer must be a module's number from 1 to %d (the model has %d), got %s"):format(
      #kids, #kids, tostring(layer)), 2)
  end
  local info = d:info()
  local n = math.min(opts.n or (method == "tsne" and 1000 or 2000), info.n)
  if math.type(n) ~= "integer" or n < 4 then
    error(("plot.features: n must be a whole number of points, at least 4, got %s"):format(tostring(opts.n)), 2)
  end
  local x = d:x():rows(1, n)
  local algorithm = opts.exact == true and "exact" or opts.exact == false and "barnes_hut" or "auto"
  local tsne_name = (algorithm == "exact" or algorithm == "auto" and n <= 1000) and "t-SNE" or "t-SNE, Barnes-Hut"
  -- The map of the layer's outputs, one row a point, with the model's weights as they
  -- are (or as the run shows them): xs, ys, axis labels and the PCA's numbers.
  local function map()
    local h = x
    for i = 1, layer do h = kids[i]:predict(h) end
    h = h:reshape{n, -1}
    local out = {xs = {}, ys = {}}
    if method == "pca" then
      if h.shape[2] < 2 then error(("plot.features: layer %d has 1 output; a map needs at least 2"):format(layer), 0) end
      local scores, comps, var = embed.pca(h, 2)
      local centred = h - h:mean(1, true)
      local total = centred:pow(2):sum():item() / (n - 1) -- the variance of every output, summed
      for i, r in ipairs(scores:totable()) do out.xs[i], out.ys[i] = r[1], r[2] end
      out.variance, out.components = var, comps
      out.xlabel = ("PC 1 (%.0f%% of the variance)"):format(100 * var[1] / total)
      out.ylabel = ("PC 2 (%.0f%%)"):format(100 * var[2] / total)
    else
      local perp = opts.perplexity or math.min(30, (n - 1) / 3 - 1)
      local y = embed.tsne(h, {perplexity = perp, iterations = opts.iterations, seed = opts.seed or 0,
        method = algorithm, theta = opts.theta})
      for i, r in ipairs(y:totable()) do out.xs[i], out.ys[i] = r[1], r[2] end
      out.xlabel, out.ylabel = "t-SNE 1", "t-SNE 2"
    end
    return out
  end
  local function shown_map()
    local okm, res = pcall(function() return run and run:with_shown(map) or map() end)
    if not okm then error(res, 3) end
    return res
  end
  local first = shown_map()
  local xs, ys, title, xlabel, ylabel = first.xs, first.ys, nil, first.xlabel, first.ylabel
  local view = {kind = "features", method = method, layer = layer, n = n,
    variance = first.variance, components = first.components}
  local cls, k = {}, 1
  for i, r in ipairs(d:y():rows(1, n):totable()) do
    local c = math.floor(type(r) == "table" and r[1] or r)
    cls[i] = c + 1
    k = math.max(k, c + 1)
  end
  local names = class_names(k, d)
  local base_title = opts.title or ("layer %d (%s): %d points, %s"):format(layer, kids[layer]:info().name, n,
    method == "pca" and "PCA" or tsne_name)
  title = views_data.with_epoch(base_title, run)
  local p = plot.scatter{x = xs, y = ys, class = cls, class_names = names, title = title,
    xlabel = xlabel, ylabel = ylabel, show = false}
  view.plot, view.x, view.y, view.class, view.names = p, xs, ys, cls, names
  local side = image_side(info.nx)
  local list = {p, cols = 2, width = 1160, height = 600, show = opts.show,
    title = "plot.features: " .. base_title}
  if side then
    view.image = plot.images{images = x:rows(1, 1):reshape{1, side, side}, n = 1, h = side, w = side,
      title = "hover a point to see its image", show = false}
    list[2] = view.image
  else
    list.cols = 1
  end
  view.window = plot.window(list)
  --- view:show_point(i): the image of point i beside the map, captioned with its class.
  function view.show_point(_, i)
    if not view.image then return view end
    view.image:update{images = x:rows(i, 1):reshape{1, side, side}, n = 1, h = side, w = side,
      title = ("point %d: %s"):format(i, names[cls[i]] or tostring(cls[i] - 1))}
    view.shown = i
    return view
  end
  --- view:nearest(x, y) -> the point nearest to (x, y) in the map, as the eye measures
  --- (each axis scaled by its range).
  local xr, yr = 0, 0
  local function ranges()
    local x0, x1, y0, y1 = math.huge, -math.huge, math.huge, -math.huge
    for i = 1, n do x0, x1, y0, y1 = math.min(x0, xs[i]), math.max(x1, xs[i]), math.min(y0, ys[i]), math.max(y1, ys[i]) end
    xr, yr = math.max(x1 - x0, 1e-12), math.max(y1 - y0, 1e-12)
  end
  ranges()
  function view.nearest(_, px, py)
    local best, bd = 1, math.huge
    for i = 1, n do
      local dx, dy = (xs[i] - px) / xr, (ys[i] - py) / yr
      local dd = dx * dx + dy * dy
      if dd < bd then best, bd = i, dd end
    end
    return best
  end
  p:on_hover(function(hx, hy)
    if hx and hy then view:show_point(view:nearest(hx, hy)) end
  end)
  if run then
    --- view:refresh(): the map again with the weights of the epoch the run shows.
    function view.refresh()
      local r = shown_map()
      xs, ys = r.xs, r.ys
      view.x, view.y, view.variance, view.components = xs, ys, r.variance, r.components
      view.epoch = run:shown_epoch()
      ranges()
      p:clear() -- points are added, not replaced
      p:update{x = xs, y = ys, class = cls, xlabel = r.xlabel, ylabel = r.ylabel,
        title = views_data.with_epoch(base_title, run)}
      return view
    end
    view.epoch = run:shown_epoch()
    views_data.follow_run(run, view, p, {show = opts.show})
  end
  setmetatable(view, {__tostring = function()
    return ("features view: layer %d, %d points, %s"):format(layer, n, method)
  end})
  return p, view
end

return M
