-- plot.lua: the friendly plotting API on top of "viz.core" (panels and the plot kinds,
-- src/repl/bind_plot.c) and "viz.win" (windows and events, src/repl/bind_window.c).
-- Each constructor (plot.lines, plot.field, ...: one for every kind of the viz's table)
-- makes a panel, applies a table of options, and shows it in a window of its own
-- unless show = false; plot.window{...} groups panels in one window. The training
-- views plot.decision, plot.loss and plot.network(model) are lua/views.lua's. Panels save to PNG with or without a display. Keys in a
-- window: space pauses/resumes the job bound with w:bind(job), s saves a PNG, f full
-- screen, p projector mode, ? or h lists the keys, PageDown/PageUp step a lesson or
-- demo. plot.defaults / plot.projector / plot.caption set what every window opened
-- afterwards obeys; a job bound to a window pauses while the window is minimised. Clicks on a panel go to p:on_click(fn), with the
-- modifier keys held; the cursor's moves over a panel to p:on_hover(fn), at most 20
-- times a second (the viz coalesces a sweep into its latest place).
local core = require "viz.core"
local wcore = require "viz.win"
local util = require "util"
local checker = require "options"

local plot = {}
local P = core.plot_methods    -- methods of "nnlab.plot" userdata (C, plus the ones below)
local W = wcore.methods        -- methods of "nnlab.window" userdata

local weak = {__mode = "k"}
local home = setmetatable({}, weak)     -- panel -> the window it is shown in
local on_click = setmetatable({}, weak) -- panel -> fn(x, y, button, mods)
local on_hover = setmetatable({}, weak) -- panel -> fn(x, y, info)
local on_release = setmetatable({}, weak) -- panel -> fn(x, y, button, mods) ending a click or drag
local on_key = setmetatable({}, weak)   -- window -> fn(key, panel, mods)
local on_slide = setmetatable({}, weak) -- window -> fn(position) of its slider
local bound = setmetatable({}, weak)    -- window -> job
local bound_space = setmetatable({}, weak) -- window -> whether space pauses its job
local keyhelp = setmetatable({}, weak)  -- window -> {{key, what}, ...} of its own keys
local autopaused = setmetatable({}, weak) -- window -> the job paused while it is hidden
local windows = setmetatable({}, weak)  -- every window made here (for plot.projector)
local said_off = false

-- What every window opened from now on obeys (plot.defaults, plot.projector,
-- plot.caption; --projector and NNLAB_PROJECTOR=1 set projector at start).
local env_projector = os.getenv("NNLAB_PROJECTOR")
local defaults = {
  projector = env_projector ~= nil and env_projector ~= "" and env_projector ~= "0",
  fullscreen = false, display = false, caption = false,
}

-- A new window with the defaults applied; o.fullscreen and o.display override them.
local function new_window(title, width, height, o)
  local w = wcore.new(title, width, height)
  windows[w] = true
  w:projector(defaults.projector)
  local full = defaults.fullscreen
  if o and o.fullscreen ~= nil then full = o.fullscreen end
  local display = o and o.display or defaults.display or nil
  if display ~= nil and (math.type(display) ~= "integer" or display < 1) then
    error(("plot.window: display is the number of a screen (1, 2, ...), got %s"):format(tostring(display)), 3)
  end
  wcore.placement(w, full, display)
  if defaults.caption then w:caption(defaults.caption) end
  return w
end

-- The viz's plot kinds in its order, each {name =, width =, height =} with its default
-- window size in points; the kinds are the viz's (src/viz/kinds.c), not listed here.
local kinds = core.kinds
local sizes = {}
for _, k in ipairs(kinds) do sizes[k.name] = {k.width, k.height} end

-- Shows w; without a display says once that windows are off.
local function show(w)
  local ok, why = w:show()
  if not ok and tostring(why):match("display %d+, but there") then error("plot: " .. why, 3) end
  if not ok and not said_off then
    said_off = true
    io.stderr:write("plot: windows are off (" .. tostring(why) ..
      "); plots are still made, and p:save(\"file.png\") writes them\n")
  end
  return ok
end

-- Evaluates f(x, y) on an n x n grid over the box; rows go from ymin up. When f
-- returns k > 1 values (class probabilities) each row holds n*k values.
local function sample(f, xmin, xmax, ymin, ymax, n)
  local mt = getmetatable(f)
  if type(f) ~= "function" and not (type(mt) == "table" and mt.__call) then
    error(("plot: f must be a function f(x, y), got %s"):format(type(f)), 3)
  end
  local rows, k = {}, nil
  for j = 0, n - 1 do
    local y = ymin + (ymax - ymin) * j / (n - 1)
    local row = {}
    for i = 0, n - 1 do
      local x = xmin + (xmax - xmin) * i / (n - 1)
      local r = table.pack(f(x, y))
      if not k then
        k = r.n
        if k < 1 or type(r[1]) ~= "number" then
          error(("plot: f(%g, %g) returned %s, not a number"):format(x, y, tostring(r[1])), 3)
        end
      end
      for c = 1, k do row[#row + 1] = r[c] end
    end
    rows[j + 1] = row
  end
  return rows, k
end

local function bounds(o)
  return o.xmin or -1, o.xmax or 1, o.ymin or -1, o.ymax or 1
end

-- Points given as {x = {...}, y = {...}, class = {...}} or a list of {x, y [, class]}.
local function add_points(p, pts, hollow)
  if pts.x then
    p:points(pts.x, pts.y, pts.class, hollow)
    return
  end
  local xs, ys, cs = {}, {}, {}
  for i, q in ipairs(pts) do
    if type(q) ~= "table" then
      error(("point %d is %s, not {x, y [, class]}"):format(i, tostring(q)), 0)
    end
    xs[i], ys[i], cs[i] = q[1], q[2], q[3] or 1
  end
  p:points(xs, ys, cs, hollow)
end

-- fn(self, ...) for options of the panel; names[k] is the option passed as argument k
-- after self. An error names the option and the problem, not an argument number of a
-- method called inside this file: "plot.lines{y}: value 2 is not a number".
local function apply(self, names, fn, ...)
  local ok, err = pcall(fn, self, ...)
  if ok then return end
  local msg = util.strip_position(err)
  local k = tonumber(msg:match("^bad argument #(%d+)"))
  local what = #names == 1 and names[1] or (k and names[k - 1])
  if not what then -- no argument named: the options that were given
    local given = {}
    for i, name in ipairs(names) do
      if select(i, ...) ~= nil then given[#given + 1] = name end
    end
    what = table.concat(given, ", ")
  end
  msg = msg:gsub("^bad argument #%d+ to '[^']*' %((.*)%)$", "%1"):gsub("^bad argument #%d+: ", "")
  error(("plot.%s{%s}: %s"):format(self:kind(), what, msg), 0)
end

local IMAGE_ARGS = {"images", "n", "h", "w", "channels", "shared", "cols"}

-- The options that only some kinds take, by kind: fn(panel, opts). A kind with none
-- has no entry.
local options = {}

function options.lines(self, o)
  if o.y then apply(self, {"name", "x", "y"}, P.add, o.name or "data", o.x, o.y) end
  -- in the order of their names: pairs' order changes from run to run, and with it
  -- each series' colour and place in the legend
  local names = {}
  for name in pairs(o.series or {}) do names[#names + 1] = name end
  table.sort(names, function(a, b) return tostring(a) < tostring(b) end)
  for _, name in ipairs(names) do
    local s, what = o.series[name], "series." .. tostring(name)
    if type(s) == "table" and s.y then
      apply(self, {what, what .. ".x", what .. ".y"}, P.add, name, s.x, s.y)
    else
      apply(self, {what, what}, P.add, name, s)
    end
  end
end

-- The rows and columns of a matrix: rows of numbers, a list (one row) or a tensor
-- ([rows, ...]; [n] is one row).
local function matrix_size(v)
  if type(v) == "userdata" and v.shape then
    local rows = #v.shape > 1 and v.shape[1] or 1
    return rows, v:numel() // rows
  end
  if type(v) ~= "table" then return 1, 1 end -- p:cells refuses it, naming the option
  if type(v[1]) == "table" then return #v, #v[1] end
  return 1, #v
end

-- A grid sampled from f(x, y) on n x n points (n_default unless o.n) or given as
-- values (a field's with cells = true: flat cells), with contour levels, points and the
-- view: a field's and a surface's options.
local function grid_options(self, o, n_default)
  local xmin, xmax, ymin, ymax = bounds(o)
  if o.f then
    local n = o.n or n_default
    local rows, k = sample(o.f, xmin, xmax, ymin, ymax, n)
    apply(self, {"f", "xmin", "xmax", "ymin", "ymax"}, P.grid, rows, xmin, xmax, ymin, ymax,
      k)
  elseif o.values and o.cells then
    local rows, cols = matrix_size(o.values)
    apply(self, {"values", "xmin", "xmax", "ymin", "ymax"}, P.cells, o.values, o.xmin or 0.5,
      o.xmax or cols + 0.5, o.ymin or 0.5, o.ymax or rows + 0.5)
  elseif o.values then
    apply(self, {"values", "xmin", "xmax", "ymin", "ymax", "classes"}, P.grid, o.values,
      xmin, xmax, ymin, ymax, o.classes)
  end
  if o.levels then apply(self, {"levels"}, P.levels, o.levels) end
  if o.points then apply(self, {"points"}, add_points, o.points, false) end
  if o.test then apply(self, {"test"}, add_points, o.test, true) end
  if o.yaw or o.pitch or o.shaded ~= nil then
    self:view(o.yaw or 35, o.pitch or 30, o.shaded ~= false)
  end
end

-- cells = true: values are a matrix of flat cells, by default centred on 1, 2, ... (the
-- box 0.5 .. n + 0.5, where xticks and yticks name them); clim = {lo, hi}: the colours'
-- fixed range.
function options.field(self, o)
  if o.clim ~= nil then
    if type(o.clim) ~= "table" then
      error(("plot: clim must be a pair {min, max}, got %s"):format(type(o.clim)), 0)
    end
    apply(self, {"clim"}, P.range, "c", o.clim[1], o.clim[2])
  end
  grid_options(self, o, 100)
end
function options.surface(self, o) grid_options(self, o, 40) end -- each point a facet corner

function options.images(self, o)
  local imgs = o.images
  if imgs then
    if type(imgs) == "table" and type(imgs[1]) == "table" then
      -- a list of 2-D images (lists of rows): flatten
      local flat, h, w = {}, #imgs[1], #imgs[1][1]
      for _, im in ipairs(imgs) do
        for _, row in ipairs(im) do for _, v in ipairs(row) do flat[#flat + 1] = v end end
      end
      apply(self, IMAGE_ARGS, P.images, flat, #imgs, h, w, 1, o.shared ~= false, o.cols)
    else
      local n, h, w = o.n, o.h, o.w
      if not n and type(imgs) == "userdata" then
        local s = imgs.shape
        if s and #s >= 3 then n, h, w = s[1], s[#s - 1], s[#s] end
      end
      assert(n and h and w, "plot.images: give n, h and w with a flat list of values")
      apply(self, IMAGE_ARGS, P.images, imgs, n, h, w, o.channels or 1, o.shared ~= false,
        o.cols)
    end
  end
  for i, c in ipairs(o.captions or {}) do self:caption(i, c) end
end

function options.bars(self, o)
  if o.values then
    apply(self, {"values", "labels", "names"}, P.bars, o.values, o.labels, o.names)
  end
end

function options.hist(self, o)
  if o.values then apply(self, {"values", "bins"}, P.hist, o.values, o.bins) end
end

function options.scatter(self, o)
  if o.x then apply(self, {"x", "y", "class"}, P.points, o.x, o.y, o.class) end
  if o.points then apply(self, {"points"}, add_points, o.points, false) end
  if o.labels then apply(self, {"labels"}, P.labels, o.labels) end
  if o.class_names then apply(self, {"class_names"}, P.class_names, o.class_names) end
end

function options.network(self, o)
  if o.sizes then apply(self, {"sizes", "weights"}, P.network, o.sizes, o.weights) end
  if o.maps then apply(self, {"maps", "res"}, P.maps, o.maps, o.res) end
end

function options.text(self, o)
  if o.text then self:text(o.text) end
end

-- A matrix's numbers (rows of numbers, or a tensor [rows, cols]) and its marked cells
-- {{row, col, style}, ...} (1-based; style "window", "pad", "blank" or "pick").
local MARK_STYLES = {window = 1, pad = 2, blank = 3, pick = 4}
function options.matrix(self, o)
  if o.values ~= nil then
    local v, rows, cols = o.values, nil, nil
    if type(v) == "userdata" and v.shape and #v.shape == 2 then
      rows, cols, v = v.shape[1], v.shape[2], v:reshape{-1}:totable()
    elseif type(v) == "table" and type(v[1]) == "table" then
      rows, cols = #v, #v[1]
      local flat = {}
      for r, row in ipairs(v) do
        if type(row) ~= "table" or #row ~= cols then
          error(("plot.matrix{values}: row %d has %s numbers, row 1 has %d"):format(r,
            type(row) == "table" and #row or type(row), cols), 0)
        end
        for _, x in ipairs(row) do flat[#flat + 1] = x end
      end
      v = flat
    else
      error("plot.matrix{values}: expected rows of numbers {{1, 2}, {3, 4}} or a tensor [rows, cols], got "
        .. type(v), 0)
    end
    apply(self, {"values"}, P.images, v, 1, rows, cols, 1, true, 0)
  end
  if o.marks ~= nil then
    if type(o.marks) ~= "table" then error("plot.matrix{marks}: expected {{row, col, style}, ...}, got " .. type(o.marks), 0) end
    local xs, ys, cs = {}, {}, {}
    for i, m in ipairs(o.marks) do
      local style = type(m) == "table" and MARK_STYLES[m[3] or "window"]
      if not (style and math.type(m[1]) == "integer" and math.type(m[2]) == "integer") then
        error(("plot.matrix{marks}: mark %d must be {row, col [, \"window\"|\"pad\"|\"blank\"|\"pick\"]}"):format(i), 0)
      end
      xs[i], ys[i], cs[i] = m[2] - 1, m[1] - 1, style
    end
    self:clear()
    if #xs > 0 then apply(self, {"marks"}, P.points, xs, ys, cs) end
  end
end

-- The option names each kind takes (the common ones, the window's, and its own):
-- declared once for the checker, as "plot.<kind>" for the constructors and as
-- "plot:update:<kind>" for p:update (which names itself in errors).
local COMMON = {"title", "xlabel", "ylabel", "xlog", "ylog", "xlim", "ylim", "map", "smooth", "xticks", "yticks"}
local WINDOW = {"show", "width", "height", "fullscreen", "display"}
local GRID = {"f", "n", "values", "classes", "xmin", "xmax", "ymin", "ymax", "levels", "points", "test",
  "yaw", "pitch", "shaded"}
local OWN = {
  lines = {"x", "y", "name", "series"}, surface = GRID,
  field = {"cells", "clim", table.unpack(GRID)},
  images = {"images", "n", "h", "w", "channels", "shared", "cols", "captions"},
  bars = {"values", "labels", "names"}, hist = {"values", "bins"},
  scatter = {"x", "y", "class", "points", "labels", "class_names"},
  network = {"sizes", "weights", "maps", "res"}, text = {"text"},
  graph = {"nodes", "edges", "names"},
  matrix = {"values", "marks"},
}
local update_names = {} -- every name some kind takes: p:update{ completes these
local seen = {}
for _, k in ipairs(kinds) do
  local names = {}
  for _, list in ipairs({COMMON, OWN[k.name] or {}}) do
    for _, n in ipairs(list) do
      names[#names + 1] = n
      if not seen[n] then seen[n], update_names[#update_names + 1] = true, n end
    end
  end
  checker.declare("plot:update:" .. k.name, names, 0, "p:update (a " .. k.name .. " plot)")
  local all = { table.unpack(names) }
  for _, n in ipairs(WINDOW) do all[#all + 1] = n end
  checker.declare("plot." .. k.name, all, 0)
end
checker.declare("plot:update", update_names, 0, "p:update")

--- p:update(opts): applies options (the same names the constructors take).
function P:update(o)
  if not pcall(P.kind, self) then
    error("p:update: call it on a plot with a colon, p:update{...}; got " .. type(self), 2)
  end
  if type(o) ~= "table" then
    error(("p:update: expected a table of options {title = ...}, got %s"):format(type(o)), 2)
  end
  checker.check("plot:update:" .. self:kind(), o)
  return self:_apply(o)
end

-- Applies the options o, already checked (by p:update or a constructor).
function P:_apply(o)
  if o.title then self:label("title", o.title) end
  if o.xlabel then self:label("xlabel", o.xlabel) end
  if o.ylabel then self:label("ylabel", o.ylabel) end
  if o.xlog ~= nil or o.ylog ~= nil then self:log(o.xlog, o.ylog) end
  for _, k in ipairs{"xlim", "ylim"} do
    if o[k] ~= nil and type(o[k]) ~= "table" then
      error(("plot: %s must be a pair {min, max}, got %s"):format(k, type(o[k])), 4)
    end
  end
  if o.xlim then self:range("x", o.xlim[1], o.xlim[2]) end
  if o.ylim then self:range("y", o.ylim[1], o.ylim[2]) end
  for _, k in ipairs{"xticks", "yticks"} do
    if o[k] ~= nil and type(o[k]) ~= "table" then
      error(("plot: %s must be a list of names {\"a\", \"b\", ...}, got %s"):format(k, type(o[k])), 4)
    end
  end
  if o.xticks then self:ticks("x", o.xticks) end
  if o.yticks then self:ticks("y", o.yticks) end
  if o.map then self:map(o.map) end
  if o.smooth then self:smooth(o.smooth) end
  local own = options[self:kind()]
  if own then own(self, o) end
  return self
end

--- p:on_click(fn): fn(x, y, button, mods) is called with data coordinates on clicks;
--- mods = {shift = bool, ctrl = bool, alt = bool, and on an images panel image =, row =,
--- col = (the pixel clicked, 1-based; x, y are nil there)}.
function P:on_click(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error("p:on_click: expected a function (or nil), got " .. type(fn), 2)
  end
  on_click[self] = fn
  return self
end

--- p:on_release(fn): fn(x, y, button, mods) is called when the button of a click on
--- the panel is let go, with the data coordinates where it was let go (beyond the
--- axes too: the end of a drag that began with the click); mods as on_click's.
function P:on_release(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error("p:on_release: expected a function (or nil), got " .. type(fn), 2)
  end
  on_release[self] = fn
  return self
end

--- p:on_hover(fn): fn(x, y, info) is called as the cursor moves over the panel, at
--- most 20 times a second. x, y are data coordinates (nil off the plot area); info =
--- {text = the tooltip's text, layer =, node = (network: the node under the cursor,
--- layer 0 the inputs), image =, row =, col = (images: the pixel under the cursor),
--- button = (the mouse button held down: a drag; 1 left, 2 middle, 3 right; nil
--- none), shift =, ctrl =, alt =}.
function P:on_hover(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error("p:on_hover: expected a function (or nil), got " .. type(fn), 2)
  end
  on_hover[self] = fn
  return self
end

--- p:window() -> the window that shows p (nil when it has none).
function P:window()
  return home[self]
end

--- w:bind(job [, {space = false}]): space in the window pauses and resumes job (not
--- with space = false: a window whose own keys play and pause), and job pauses
--- while the window is hidden or minimised.
function W:bind(job, opts)
  bound[self] = job
  bound_space[self] = not (type(opts) == "table" and opts.space == false)
  return self
end

--- w:keys{{"r", "reset"}, ...}: the window's own keys, listed by ? and h in it.
function W:keys(list)
  if type(list) ~= "table" then error("w:keys: expected a list of {key, what it does}, got " .. type(list), 2) end
  for i, k in ipairs(list) do
    if type(k) ~= "table" or type(k[1]) ~= "string" or type(k[2]) ~= "string" then
      error(("w:keys: entry %d must be {\"key\", \"what it does\"}"):format(i), 2)
    end
  end
  keyhelp[self] = list
  return self
end

--- w:on_key(fn): fn(key, panel, mods) is called for each key pressed in the window;
--- panel is the one under the cursor, mods = {shift =, ctrl =, alt =}.
function W:on_key(fn)
  on_key[self] = fn
  return self
end

--- w:on_slide(fn): fn(position) is called when the slider along the window's bottom
--- (w:slider(n, pos, text)) is clicked or dragged to another position (1-based).
function W:on_slide(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error("w:on_slide: expected a function (or nil), got " .. type(fn), 2)
  end
  on_slide[self] = fn
  return self
end

local record_png = W.record
--- w:record(prefix | {gif = path, fps = 20} | nil): every redraw to numbered PNGs, or
--- to an animated GIF (at most fps frames a second, each shown 1/fps s); nil stops
--- both and finishes the GIF.
function W:record(o)
  if type(o) == "table" then
    if type(o.gif) ~= "string" then
      error("w:record: expected {gif = \"file.gif\", fps = 20}, got gif = " .. tostring(o.gif), 2)
    end
    local fps = o.fps or 20
    if math.type(fps) ~= "integer" then
      error("w:record: fps is a whole number of frames a second (1 to 50), got " .. tostring(fps), 2)
    end
    return wcore.record_gif(self, o.gif, fps)
  elseif o == nil then
    wcore.record_gif(self, nil)
  end
  return record_png(self, o)
end

-- level: error's level for the user's call (3: a constructor that tail-calls make)
local function make(kind, o, level)
  o = checker.check("plot." .. kind, o, level or 3)
  local p = core.new(kind)
  p:_apply(o)
  if o.show ~= false then
    local size = sizes[kind]
    local w = new_window(o.title or kind, o.width or size[1], o.height or size[2], o)
    w:add(p)
    home[p] = w
    show(w)
  end
  return p
end

-- The constructors of the kinds that take more than a table of options; every other
-- kind's plot.<kind>{...} is make's (below, from the viz's kinds).
local constructors = {}

--- plot.text{text=} or plot.text("...")
function constructors.text(o)
  if type(o) == "string" then o = {text = o} end
  return make("text", o)
end

-- The training views are lua/views.lua's; it draws with the panels made here (and so
-- requires this module), so it is loaded when first used.
local function views() return require "views" end

--- plot.network{sizes=, weights=, maps=, res=}, or plot.network(model [, opts]): a
--- model's Playground view (lua/views.lua)
function constructors.network(o, ...)
  if type(o) == "table" and getmetatable(o) == nil
      and not (rawget(o, "module") or rawget(o, "_module") or rawget(o, "model")) then
    return make("network", o)
  end
  return views().network(o, ...)
end

--- plot.decision(model, data [, opts]) -> view: the decision surface (lua/views.lua)
function plot.decision(model, data, opts) return views().decision(model, data, opts) end
--- plot.loss(run [, opts]) -> view: the loss (and accuracy) curves (lua/views.lua)
function plot.loss(run, opts) return views().loss(run, opts) end

-- The views of a classifier on real data are lua/views_data.lua's, loaded on first use
-- as views.lua is.
local function views_data() return require "views_data" end
--- plot.confusion(run, or model and data [, opts]): the confusion matrix as a heat map
function plot.confusion(src, opts, more) return views_data().confusion(src, opts, more) end
--- plot.samples(model, data [, opts]): images with true and predicted labels
function plot.samples(m, d, opts) return views_data().samples(m, d, opts) end
--- plot.probabilities(model, data, i [, opts]): one sample's class probabilities
function plot.probabilities(m, d, i, opts) return views_data().probabilities(m, d, i, opts) end
--- plot.layers(model, data [, opts]): per-layer histograms of activations or weights
function plot.layers(m, src, opts) return views_data().layers(m, src, opts) end
--- plot.lr_range(result [, opts]): the LR range test's loss against the rate
function plot.lr_range(r, opts) return views_data().lr_range(r, opts) end
--- plot.features(model, data [, opts]): a 2-D map (PCA, t-SNE) of a layer's outputs
function plot.features(m, d, opts) return require("views_features").features(m, d, opts) end

-- The leaf key of a tensor: its shape and whether it needs a gradient, as nn.graph
-- reports them (a graph has no other handle on the tensors it read).
local function leaf_key(node)
  return table.concat(node.shape, "x") .. (node.requires_grad and "+" or "-")
end

-- Nodes and edges from nn.graph(t): a label "op\nshape" (a leaf named by names =
-- {X = X, ...} when exactly one named tensor has its shape and gradient flag), a
-- style (operation, weights that need a gradient, data) and edges from inputs.
local function from_autograd(t, names)
  local nn = require "nn.core"
  local nodes = nn.graph(t)
  local by_key = {}
  for name, v in pairs(names or {}) do
    local ok, g = pcall(nn.graph, v)
    if not ok then error(("plot.graph: names.%s is not a tensor"):format(tostring(name)), 3) end
    if #g == 1 then
      local k = leaf_key(g[1])
      by_key[k] = by_key[k] == nil and name or false -- false: two names fit, so neither
    end
  end
  local labels, styles, from, to = {}, {}, {}, {}
  for i, n in ipairs(nodes) do
    local leaf = #n.inputs == 0
    local name = n.name or (leaf and by_key[leaf_key(n)]) or (leaf and "leaf") or n.op
    labels[i] = name .. "\n" .. table.concat(n.shape, "×")
    styles[i] = leaf and (n.requires_grad and 1 or 2) or 0
    for _, src in ipairs(n.inputs) do from[#from + 1], to[#to + 1] = src, i end
  end
  return labels, styles, from, to
end

-- Nodes as strings, {label =, style =} or nn.graph's tables; edges as {from, to}
-- pairs (node numbers), or, when nodes carry inputs = {...}, from those.
local function from_lists(o)
  local labels, styles, from, to = {}, {}, {}, {}
  local kinds = { op = 0, operation = 0, weights = 1, parameter = 1, data = 2 }
  for i, n in ipairs(o.nodes or {}) do
    if type(n) == "string" then
      labels[i], styles[i] = n, nil
    elseif type(n) == "table" then
      labels[i] = n.label or n.name or n.op or tostring(i)
      if n.shape and not n.label then labels[i] = labels[i] .. "\n" .. table.concat(n.shape, "×") end
      local st = n.style
      if type(st) == "string" then
        st = kinds[st]
        if not st then error(("plot.graph: node %d: style %q is not op, weights or data"):format(i, n.style), 3) end
      end
      styles[i] = st
      for _, src in ipairs(o.edges and {} or n.inputs or {}) do from[#from + 1], to[#to + 1] = src, i end
    else
      error(("plot.graph: node %d is a %s; give a label or {label =, style =}"):format(i, type(n)), 3)
    end
  end
  for e, pair in ipairs(o.edges or {}) do
    if type(pair) ~= "table" or #pair ~= 2 then
      error(("plot.graph: edge %d should be {from, to}"):format(e), 3)
    end
    from[#from + 1], to[#to + 1] = pair[1], pair[2]
  end
  -- styles given for some nodes only: the rest by whether they have inputs
  local any = next(styles) ~= nil
  if any then
    local has_in = {}
    for _, v in ipairs(to) do has_in[v] = true end
    for i = 1, #labels do if styles[i] == nil then styles[i] = has_in[i] and 0 or 2 end end
  end
  return labels, any and styles or nil, from, to
end

--- plot.graph{nodes=, edges=, title=} or plot.graph(tensor [, {names=, title=}])
function constructors.graph(o, opts)
  local labels, styles, from, to
  if type(o) == "userdata" then
    opts = checker.check("plot.graph", opts)
    labels, styles, from, to = from_autograd(o, opts.names)
    local copy = { title = "computational graph" }
    for k, v in pairs(opts) do if k ~= "names" then copy[k] = v end end
    o = copy
  elseif type(o) == "table" then
    labels, styles, from, to = from_lists(o)
  else
    error("plot.graph: expected a tensor (its recorded graph) or {nodes =, edges =}, got " .. type(o), 2)
  end
  if #labels == 0 then error("plot.graph: no nodes to draw", 2) end
  local p = make("graph", o, 4)
  local ok, err = pcall(p.graph, p, labels, from, to, styles)
  if not ok then error("plot." .. tostring(err):gsub("^.-: graph: ", "graph: "), 2) end
  return p
end

--- plot.lines{...}, plot.field{...}, ...: one constructor for every kind of the viz
for _, k in ipairs(kinds) do
  local name = k.name
  plot[name] = constructors[name] or function(o) return make(name, o) end
end

--- plot.window{p1, p2, ..., title=, cols=, width=, height=, fullscreen=, display=} -> window
checker.declare("plot.window", {"title", "cols", "width", "height", "fullscreen", "display", "show"},
  math.huge)

function plot.window(o)
  if type(o) ~= "table" then
    error("plot.window: expected the panels to group and options, as plot.window{p1, p2, title = ...}, got "
      .. type(o), 2)
  end
  checker.check("plot.window", o)
  local n = #o
  if n < 1 then error("plot.window: give the panels to group, as plot.window{p1, p2}", 2) end
  local cols = o.cols or math.ceil(math.sqrt(n))
  local rows = math.ceil(n / cols)
  local w = new_window(o.title or "nnlab", o.width or math.min(1600, 520 * cols),
    o.height or math.min(1000, 400 * rows), o)
  if o.cols then w:cols(o.cols) end
  for i = 1, n do
    local p = o[i]
    if not pcall(P.kind, p) then
      error(("plot.window: entry %d is %s, not a plot"):format(i, tostring(p)), 2)
    end
    local old = home[p]
    -- a panel alone in its own window moves here; that window closes
    if old and #old:panels() == 1 then old:close() end
    w:add(p)
    home[p] = w
  end
  if o.show ~= false then show(w) end
  return w
end

--- plot.defaults{projector=, fullscreen=, display=} -> the defaults every window
--- opened from now on obeys (display: 1 the first screen; false the default one).
checker.declare("plot.defaults", {"projector", "fullscreen", "display"})
function plot.defaults(o)
  if o ~= nil then
    checker.check("plot.defaults", o)
    for k, v in pairs(o) do
      if k == "projector" or k == "fullscreen" then
        if type(v) ~= "boolean" then error(("plot.defaults: %s must be true or false, got %s"):format(k, tostring(v)), 2) end
      elseif k == "display" then
        if v ~= false and (math.type(v) ~= "integer" or v < 1) then
          error(("plot.defaults: display is the number of a screen (1, 2, ...) or false, got %s"):format(tostring(v)), 2)
        end
      end
      defaults[k] = v
    end
    if o.projector ~= nil then for w in pairs(windows) do pcall(w.projector, w, o.projector) end end
  end
  return { projector = defaults.projector, fullscreen = defaults.fullscreen, display = defaults.display }
end

--- plot.projector([on]) -> on: projector mode (large type, thick lines) for the open
--- windows and every window opened afterwards.
function plot.projector(on)
  if on ~= nil then plot.defaults{ projector = not not on } end
  return defaults.projector
end

--- plot.caption(text | nil): a line of large type under the panels of every open
--- window and of those opened afterwards (a lesson's key sentence); nil removes it.
function plot.caption(text)
  if text ~= nil and type(text) ~= "string" then
    error("plot.caption: expected text (a string) or nil, got " .. type(text), 2)
  end
  defaults.caption = text or false
  for w in pairs(windows) do pcall(w.caption, w, text) end
end

-- The keys every window takes, for ? and h (and for help "keys").
plot.keys = {
  { "space", "pause / resume the window's job" },
  { "s", "save a PNG of the window" },
  { "f", "full screen on / off" },
  { "p", "projector mode on / off" },
  { "PageDown", "next page of the lesson or demo (also Enter or :next)" },
  { "PageUp", "previous page of the lesson or demo (also :back)" },
  { "? or h", "show / hide this list" },
}

local KEY_PAGEDOWN, KEY_PAGEUP, KEY_ESCAPE = "key1073741902", "key1073741899", "key27"

-- The overlay of keys for window w: its own first, then every window's.
local function key_list(w)
  local lines = { "Keys in this window" }
  local function add(list)
    for _, k in ipairs(list) do lines[#lines + 1] = ("  %-9s %s"):format(k[1], k[2]) end
  end
  if keyhelp[w] then add(keyhelp[w]); lines[#lines + 1] = "" end
  add(plot.keys)
  return table.concat(lines, "\n")
end
plot._key_list = key_list

local overlay_on = setmetatable({}, weak)
-- The lesson (or demo) steps from a key in any window: a presenter's clicker sends
-- PageDown and PageUp.
local function presenter_key(key)
  local ok, lesson = pcall(require, "lesson")
  if not ok or not lesson._active() then return false end
  -- the page is written above the prompt, which comes back under it
  local okc, rcore = pcall(require, "repl.core")
  if okc and type(rcore) == "table" and rcore.hide then rcore.hide() end
  if key == KEY_PAGEDOWN then lesson.next() else lesson.back() end
  return true
end

--- plot.pump() -> number of window events handled (the REPL calls it by itself).
function plot.pump() return wcore.pump() end

--- plot.display() -> true, or false and why windows cannot open.
function plot.display() return wcore.has_display() end

wcore.on_event(function(ev)
  local w = ev.window
  if ev.type == "key" then
    if ev.key == "space" and w and bound[w] and bound_space[w] then
      local job = bound[w]
      autopaused[w] = nil
      if job.state == "paused" then job:resume() elseif job.state == "running" then job:pause() end
    end
    if w and (ev.key == "h" or ev.key == "?" or (ev.key == "/" and ev.shift)
        or (ev.key == KEY_ESCAPE and overlay_on[w])) then
      overlay_on[w] = not overlay_on[w] and ev.key ~= KEY_ESCAPE or nil
      w:overlay(overlay_on[w] and key_list(w) or nil)
    end
    if ev.key == KEY_PAGEDOWN or ev.key == KEY_PAGEUP then presenter_key(ev.key) end
    local fn = w and on_key[w]
    if fn then fn(ev.key, ev.panel, { shift = ev.shift, ctrl = ev.ctrl, alt = ev.alt }) end
  elseif ev.type == "click" then
    local fn = ev.panel and on_click[ev.panel]
    if fn then
      fn(ev.x, ev.y, ev.button, { shift = ev.shift, ctrl = ev.ctrl, alt = ev.alt, image = ev.image,
        row = ev.row, col = ev.col })
    end
  elseif ev.type == "release" then
    local fn = ev.panel and on_release[ev.panel]
    if fn then
      fn(ev.x, ev.y, ev.button, { shift = ev.shift, ctrl = ev.ctrl, alt = ev.alt, image = ev.image,
        row = ev.row, col = ev.col })
    end
  elseif ev.type == "motion" then
    local fn = ev.panel and on_hover[ev.panel]
    if fn then
      fn(ev.x, ev.y, { text = ev.text, layer = ev.layer, node = ev.node, button = ev.button, shift = ev.shift,
        ctrl = ev.ctrl, alt = ev.alt, image = ev.image, row = ev.row, col = ev.col })
    end
  elseif ev.type == "hidden" then
    -- a job bound to a hidden (minimised) window does not play unseen
    local job = w and bound[w]
    if job and job.state == "running" then job:pause(); autopaused[w] = job end
  elseif ev.type == "shown" then
    local job = w and autopaused[w]
    autopaused[w] = nil
    if job and bound[w] == job and job.state == "paused" then job:resume() end
  elseif ev.type == "slide" then
    local fn = w and on_slide[w]
    if fn then fn(ev.position) end
  elseif ev.type == "saved" then
    local why = ev.path:match("^%(not saved: (.*)%)$") -- the viz's note when writing failed
    if why then print("plot: not saved: " .. why) else print("saved " .. ev.path) end
  end
end)

return plot
