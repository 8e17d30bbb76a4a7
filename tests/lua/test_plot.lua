-- test_plot.lua: the plotting API from Lua: every kind is made from options, saved as
-- PNG (headless or on SDL's dummy driver) and read back, and what each call drew is
-- checked in the pixels (colours of series and classes where they belong, filled and
-- hollow points, bars by height); grouping panels in windows, options and errors that
-- name the culprit.
local plot = require "plot"
local png = require "views.core"

local dir = os.getenv("TMPDIR") or "/tmp"
local function tmp(name) return ("%s/nnlab-test-plot-%s.png"):format(dir, name) end

-- a PNG file: the 8-byte signature and more than a header
local function is_png(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("a")
  f:close()
  return data:sub(1, 8) == "\137PNG\r\n\26\n" and #data > 1000
end

-- p (a panel or a window) saved at w x h (a window at its own size) and read back
local function render(p, name, w, h)
  local path = tmp(name)
  p:save(path, w, h)
  assert(is_png(path), name .. ": not a PNG")
  local img = assert(png.read_png(path))
  os.remove(path)
  return img
end

-- the pixel where the data point (x, y) of p lands at w x h (to_data is affine)
local function to_pixel(p, x, y, w, h)
  local cx, cy = w // 2, h // 2
  local x0, y0 = assert(p:to_data(cx, cy, w, h))
  local x1, y1 = assert(p:to_data(cx + 10, cy + 10, w, h))
  return math.floor(cx + (x - x0) / (x1 - x0) * 10), math.floor(cy + (y - y0) / (y1 - y0) * 10)
end

local function near(img, x, y, col, tol)
  local r, g, b = img:pixel(x, y)
  return math.abs(r - col[1]) <= tol and math.abs(g - col[2]) <= tol and
         math.abs(b - col[3]) <= tol
end

-- pixels within tol of col in [x0, x1) x [y0, y1) (the whole image by default)
local function count(img, col, tol, x0, y0, x1, y1)
  local w, h = img:size()
  local n = 0
  for y = y0 or 0, (y1 or h) - 1 do
    for x = x0 or 0, (x1 or w) - 1 do
      if near(img, x, y, col, tol) then n = n + 1 end
    end
  end
  return n
end

-- the viz's series and class colours (Okabe-Ito), and the white of a point's centre
local BLUE, ORANGE, GREEN = {0x00, 0x72, 0xb2}, {0xd5, 0x5e, 0x00}, {0x00, 0x9e, 0x73}
local WHITE = {255, 255, 255}

-- a point drawn filled has its class colour at its centre; a hollow (test) one white
local function point_at(img, p, x, y, w, h)
  local px, py = to_pixel(p, x, y, w, h)
  local r, g, b = img:pixel(px, py)
  return {r, g, b}, px, py
end
local function same(c, col, tol) return math.abs(c[1] - col[1]) <= tol and
  math.abs(c[2] - col[2]) <= tol and math.abs(c[3] - col[3]) <= tol end
local function fmt(c) return ("(%d, %d, %d)"):format(c[1], c[2], c[3]) end

local function fails(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
end

-- lines: options, push, add, marker, save; both series in their colours
local p = plot.lines{title = "loss", xlabel = "step", ylog = true, smooth = 0.5,
                     y = {1, 0.5, 0.25}, name = "train"}
assert(p:kind() == "lines")
local v0 = p:version()
for i = 4, 50 do p:push("train", 1 / i) end
p:add("validation", {10, 20, 30}, {0.3, 0.2, 0.15})
p:marker(40, "early stop")
assert(p:version() > v0, "changes move the version")
do
  local img = render(p, "lines")
  local blue, orange = count(img, BLUE, 20), count(img, ORANGE, 20)
  assert(blue > 300 and orange > 100, ("lines: %d train, %d validation pixels"):format(blue, orange))
end
fails("3 x values and 2 y values", p.add, p, "bad", {1, 2, 3}, {1, 2})
-- a bad value is named with its argument, counted as Lua counts a method's
fails("bad argument #2 to 'add' (value 2 is not a number)", function() p:add("bad", {1, "x"}) end)
fails("bad argument #1 to 'grid' (row 2 has 1 values, row 1 has 2)",
      function() plot.field{show = false}:grid({{1, 2}, {3}}, 0, 1, 0, 1) end)
-- p:add(name, y) with no x: the y values at 1, 2, 3
do
  local q = plot.lines{show = false}
  q:add("y", {5, 6, 7})
  local img = render(q, "lines-y", 400, 300)
  assert(count(img, BLUE, 20) > 100, "p:add(name, y) drew no line")
end

-- series = {name = ...} take colours in the order of their names, the same every run
do
  local q = plot.lines{series = {e = {5, 5, 5}, b = {2, 2, 2}, d = {4, 4, 4}, a = {1, 1, 1},
                                 c = {x = {1, 2, 3}, y = {3, 3, 3}}}, ylim = {0, 6}, show = false}
  local img = render(q, "lines-series", 600, 400)
  local cols = {BLUE, ORANGE, GREEN, {0xcc, 0x79, 0xa7}, {0xe6, 0x9f, 0x00}}
  for k, col in ipairs(cols) do
    local px, py = to_pixel(q, 2, k, 600, 400)
    local hit = false
    for dy = -1, 1 do hit = hit or near(img, px, py + dy, col, 30) end
    local r, gr, b = img:pixel(px, py)
    assert(hit, ("series %s at y = %d drawn (%d, %d, %d)"):format(string.char(96 + k), k, r, gr, b))
  end
end

-- field from f(x, y), with points (filled), test points (hollow), a trajectory, levels
local f = plot.field{xmin = -2, xmax = 2, ymin = -1, ymax = 1, n = 50, levels = 6,
                     f = function(x, y) return x * x - y * y end,
                     points = {x = {0, 1}, y = {0, 0.5}, class = {1, 2}},
                     test = {{0.5, -0.5, 1}}}
f:add("sgd", {-1.5, -1, -0.5}, {0.8, 0.4, 0.1})
do
  local W, H = 640, 480
  local img = render(f, "field", W, H)
  -- x^2 - y^2 on the diverging map: red (high) at the sides, blue (low) at top and bottom
  local r, _, b = img:pixel(to_pixel(f, 1.8, 0, W, H))
  assert(r > b + 40, ("field at (1.8, 0): r %d b %d"):format(r, b))
  r, _, b = img:pixel(to_pixel(f, 0, 0.9, W, H))
  assert(b > r + 10, ("field at (0, 0.9): r %d b %d"):format(r, b))
  -- points = filled in their class colour, test = hollow (a white centre)
  local c = point_at(img, f, 0, 0, W, H)
  assert(same(c, BLUE, 25), "class 1 point at (0, 0) drawn " .. fmt(c))
  c = point_at(img, f, 1, 0.5, W, H)
  assert(same(c, ORANGE, 25), "class 2 point at (1, 0.5) drawn " .. fmt(c))
  -- a test point is a ring: its centre shows the field as it is without the point,
  -- and its rim is drawn (differs from that field)
  local bare = plot.field{xmin = -2, xmax = 2, ymin = -1, ymax = 1, n = 50, levels = 6,
                          f = function(x, y) return x * x - y * y end, show = false}
  local bimg = render(bare, "field-bare", W, H)
  local cx, cy
  c, cx, cy = point_at(img, f, 0.5, -0.5, W, H)
  local under = {bimg:pixel(cx, cy)}
  assert(same(c, under, 12), "test point at (0.5, -0.5) not hollow: " .. fmt(c) .. " over " .. fmt(under))
  local rim = false
  for d = 3, 9 do
    local rr, rg, rb = img:pixel(cx + d, cy)
    if not same({rr, rg, rb}, {bimg:pixel(cx + d, cy)}, 40) then rim = true end
  end
  assert(rim, "test point at (0.5, -0.5) has no ring")
  -- the trajectory: its head, a large disc of series colour 1, at its last point
  c = point_at(img, f, -0.5, 0.1, W, H)
  assert(same(c, BLUE, 25), "trajectory head drawn " .. fmt(c))
end
-- data coordinates of a pixel inside the plot area come back inside the box
local x, y = f:to_data(320, 240, 640, 480)
assert(x and x > -2 and x < 2 and y > -1 and y < 1, "to_data " .. tostring(x))
fails("not a number", plot.field, {f = function() return "x" end, show = false})

-- multi-class field: f returns one probability per class; each region in its colour
local c = plot.field{n = 30, show = false, f = function(x, y)
  local a, b = math.exp(3 * x), math.exp(3 * y)
  return a / (a + b + 1), b / (a + b + 1), 1 / (a + b + 1)
end}
do
  local img = render(c, "classes")
  local function hue(x, y)
    local r, g, b = img:pixel(to_pixel(c, x, y, 800, 560))
    return {r, g, b}
  end
  local c1, c2, c3 = hue(0.9, -0.5), hue(-0.5, 0.9), hue(-0.9, -0.9)
  assert(c1[3] > c1[1] + 40, "class 1 region (blue) drawn " .. fmt(c1))
  assert(c2[1] > c2[3] + 40, "class 2 region (orange) drawn " .. fmt(c2))
  assert(c3[2] > c3[1] + 40 and c3[2] > c3[3] + 10, "class 3 region (green) drawn " .. fmt(c3))
end

-- a grid given as rows: row 1 at ymin, so the low end (0) bottom left, the top (3) top right
local g = plot.field{values = {{0, 1, 2}, {1, 2, 3}}, xmin = 0, xmax = 2, ymin = 0, ymax = 1,
                     show = false}
do
  local img = render(g, "grid")
  local function luma(x, y)
    local r, gr, b = img:pixel(to_pixel(g, x, y, 800, 560))
    return 0.3 * r + 0.59 * gr + 0.11 * b
  end
  assert(luma(1.9, 0.95) > luma(0.1, 0.05) + 80, "grid: the top right is not the bright end")
end
fails("row 2 has 2 values, row 1 has 3", g.grid, g, {{0, 1, 2}, {1, 2}}, 0, 1, 0, 1)

-- on a field a labelled point is its text alone (a confusion matrix's cells): no class
-- marker where it stands; an unlabelled point keeps its marker
do
  local lf = plot.field{values = {{0, 0}, {0, 0}}, xmin = 0, xmax = 2, ymin = 0, ymax = 2, show = false}
  lf:points({0.5, 1.5}, {0.5, 1.5}, {1, 1})
  lf:labels({"note"})
  local img = render(lf, "field_labels")
  -- left of the point: under its marker, if it had one, and clear of the text after it
  local function left_of(x, y)
    local px, py = to_pixel(lf, x, y, 800, 560)
    local r, g, b = img:pixel(px - 3, py)
    return {r, g, b}
  end
  local labelled, plain = left_of(0.5, 0.5), left_of(1.5, 1.5)
  assert(not same(labelled, BLUE, 25), "a labelled point on a field drew a marker " .. fmt(labelled))
  assert(same(plain, BLUE, 25), "an unlabelled point on a field lost its marker " .. fmt(plain))
end

-- images: three 2 x 2 images in a row (cols = 3: beside the colour bar two columns
-- would give larger cells); image 1 is {{0, 1}, {1, 0}} (signed values on the
-- diverging map: 0 near white, 1 dark red)
do
  local im = plot.images{images = {{{0, 1}, {1, 0}}, {{1, 1}, {0, 0}}, {{-1, 0}, {0, 1}}},
                         captions = {"a", "b", "c"}, cols = 3, show = false}
  local img = render(im, "images")
  local w, h = img:size()
  -- find image 1's box: the first row from the top with a dark red pixel in the left third
  local top
  for yy = 0, h - 1 do
    for xx = 0, w // 3 do
      local r, gr, b = img:pixel(xx, yy)
      if r > 80 and gr < 30 and b < 50 then top = top or yy end
    end
    if top then break end
  end
  assert(top, "images: no dark red cell")
  local dark, light = 0, 0
  for xx = 0, w // 3 do
    local r, gr = img:pixel(xx, top + 5)
    if r > 80 and gr < 30 then dark = dark + 1 elseif r > 230 and gr > 230 then light = light + 1 end
  end
  assert(dark > 40 and light > 40, ("images: row 1 of image 1: %d red, %d white"):format(dark, light))
  local flat = plot.images{images = {0, 0.5, 1, 0.25}, n = 1, h = 2, w = 2, show = false}
  assert(count(render(flat, "images-flat", 400, 300), WHITE, 0) < 400 * 300, "flat images: blank")
end

-- bars: one series, the tallest ("dog", 0.7) in the middle; two series in two colours
do
  local b = plot.bars{values = {0.1, 0.7, 0.2}, labels = {"cat", "dog", "bird"}, show = false}
  local img = render(b, "bars")
  local w, h = img:size()
  local left = count(img, BLUE, 20, 0, 0, w // 3, h)
  local mid = count(img, BLUE, 20, w // 3, 0, 2 * w // 3, h)
  local right = count(img, BLUE, 20, 2 * w // 3, 0, w, h)
  assert(mid > 3 * right and right > left and left > 0,
    ("bars by thirds: %d, %d, %d pixels"):format(left, mid, right))
  local b2 = plot.bars{values = {{1, 2}, {3, 4}, {2, 1}}, labels = {"a", "b", "c"},
                       names = {"x", "y"}, show = false}
  img = render(b2, "bars2")
  assert(count(img, BLUE, 20) > 1000 and count(img, ORANGE, 20) > 1000, "bars: two series")
  -- labels given as numbers are drawn as their text (and survive a collection)
  local b3 = plot.bars{values = {1, 2}, labels = {10, 20}, show = false}
  collectgarbage()
  render(b3, "bars3")
  -- values alone (no labels or names) and values with labels only
  render(plot.bars{values = {1, 2}, show = false}, "bars4")
  local b5 = plot.bars{show = false}
  b5:bars({3, 1}, {"x", "y"})
  assert(count(render(b5, "bars5"), BLUE, 20) > 1000, "p:bars(values, labels) drew no bars")
  fails("entry 2 is a table, not a string", b5.bars, b5, {1, 2}, {"a", {}})
end

-- hist: 1 2 2 3 3 3 4 4 5 in 5 bins: the middle bin is the tallest
do
  local hp = plot.hist{values = {1, 2, 2, 3, 3, 3, 4, 4, 5}, bins = 5, show = false}
  local img = render(hp, "hist")
  local w, h = img:size()
  local function column(x0)
    local n = 0
    local px = to_pixel(hp, x0, 0, w, h)
    for yy = 0, h - 1 do if near(img, px, yy, BLUE, 20) then n = n + 1 end end
    return n
  end
  local c1, c3 = column(1.4), column(3)
  assert(c3 > 2.5 * c1 and c1 > 20, ("hist: bin 1 %d pixels high, bin 3 %d"):format(c1, c3))
end

-- scatter from x, y, class: each point filled in its class colour
do
  local sc = plot.scatter{x = {1, 2, 3}, y = {3, 1, 2}, class = {1, 2, 2},
                          labels = {"a", "b", "c"}, show = false}
  local img = render(sc, "scatter")
  local c1 = point_at(img, sc, 1, 3, 800, 560)
  local c2 = point_at(img, sc, 2, 1, 800, 560)
  assert(same(c1, BLUE, 25), "scatter class 1 drawn " .. fmt(c1))
  assert(same(c2, ORANGE, 25), "scatter class 2 drawn " .. fmt(c2))
  -- p:points(xs, ys): class 1, filled; with classes, filled; hollow when asked
  local pp = plot.scatter{show = false}
  pp:points({0, 1}, {0, 1})
  pp:points({0.5}, {0.25}, {3})
  pp:points({0.25}, {0.75}, {2}, true)
  img = render(pp, "points")
  local a, b, d = point_at(img, pp, 0, 0, 800, 560), point_at(img, pp, 0.5, 0.25, 800, 560),
    point_at(img, pp, 0.25, 0.75, 800, 560)
  assert(same(a, BLUE, 25), "p:points(xs, ys) drawn " .. fmt(a))
  assert(same(b, GREEN, 25), "p:points(xs, ys, {3}) drawn " .. fmt(b))
  assert(same(d, WHITE, 10), "p:points(xs, ys, cls, true) not hollow: " .. fmt(d))
  fails("2 classes for 1 points", pp.points, pp, {1}, {1}, {1, 2})
end

-- network: weights as lines, positive red and negative blue (the diverging map)
do
  local np = plot.network{sizes = {2, 3, 1}, weights = {{{1, -1, 0.5}, {0.2, 0.3, -2}},
                          {{1}, {-1}, {0.5}}}, show = false}
  local img = render(np, "network")
  local red, blue, w, h = 0, 0, img:size()
  for yy = 0, h - 1, 2 do
    for xx = 0, w - 1, 2 do
      local r, gr, b = img:pixel(xx, yy)
      if r > b + 60 and r > gr + 30 then red = red + 1 end
      if b > r + 60 then blue = blue + 1 end
    end
  end
  assert(red > 100 and blue > 100, ("network: %d red, %d blue weight pixels"):format(red, blue))
end
fails("plot.network{sizes}: plot:network: layer 2 has x nodes (1 to 512)", plot.network,
      {sizes = {2, "x"}, show = false})
-- bad data in the options: the error names the option and the value, not an argument
-- number of a method inside plot.lua
fails("plot.lines{y}: value 2 is not a number", plot.lines, {y = {1, "x"}, show = false})
fails("plot.lines{y}: table expected, got string", plot.lines, {y = "abc", show = false})
fails("plot.lines{series.a}: table expected, got number", plot.lines,
      {series = {a = 3}, show = false})
fails("plot.scatter{x, y}: plot:points: 1 x values and 2 y values", plot.scatter,
      {x = {1}, y = {1, 2}, show = false})
fails("plot.field{values}: table expected, got number", plot.field, {values = 3, show = false})
fails("plot.scatter{y}: table expected, got nil", plot.scatter, {x = {1}, show = false})
fails("plot.window: entry 2 is 3, not a plot", plot.window, {plot.text{text = "a", show = false}, 3})
fails("plot.images{cols}: -1 columns, 0 for automatic", plot.images,
      {images = {0, 1}, n = 1, h = 1, w = 2, cols = -1, show = false})
fails("plot.field{test}: point 2 is 5, not {x, y [, class]}", plot.field,
      {test = {{1, 1}, 5}, show = false})
fails("plot.field{points}: value 1 is not a number", plot.field,
      {points = {x = {1}, y = {2}, class = {"a"}}, show = false})
fails("plot.bars{labels}: table expected, got string", plot.bars,
      {values = {1, 2}, labels = "ab", show = false})
-- sizes and counts beyond an int are refused, not wrapped (2^30 cubed images of no
-- values passed the size check once, and drawing them crashed)
do
  local im = plot.images{show = false}
  fails("0 values for 1073741824 images", im.images, im, {}, 2^30, 2^30, 2^30)
  fails("-5 columns, 0 for automatic", im.images, im, {1, 2, 3, 4}, 1, 2, 2, 1,
        true, -5)
  local hp = plot.hist{show = false}
  fails("bins must be a whole number from 1 to 2147483647, got 1099511627776", hp.hist, hp, {1, 2}, 2^40)
end
fails("2 weight matrices for 2 layers", plot.network,
      {sizes = {2, 1}, weights = {{{1}, {1}}, {{1}}}, show = false})

-- text: dark type on white, two lines
do
  local tp = plot.text("epoch 1\nloss 0.5")
  local img = render(tp, "text", 480, 300)
  local dark, rows, w, h = 0, {}, img:size()
  for yy = 0, h - 1 do
    for xx = 0, w - 1 do
      local r = img:pixel(xx, yy)
      if r < 100 then dark = dark + 1; rows[yy] = true end
    end
  end
  local runs, prev = 0, false
  for yy = 0, h - 1 do
    if rows[yy] and not prev then runs = runs + 1 end
    prev = rows[yy] or false
  end
  assert(dark > 100 and runs == 2, ("text: %d dark pixels in %d lines"):format(dark, runs))
end

-- surface: a shaded bowl, many colours that are not the background
do
  local sp = plot.surface{f = function(a, b) return a * a + 3 * b * b end, n = 20, yaw = 60,
                          show = false}
  local img = render(sp, "surface", 400, 350)
  local coloured = 0
  for yy = 0, 349, 2 do
    for xx = 0, 399, 2 do
      local r, gr, b = img:pixel(xx, yy)
      if math.max(r, gr, b) - math.min(r, gr, b) > 40 then coloured = coloured + 1 end
    end
  end
  assert(coloured > 3000, "surface: " .. coloured .. " coloured pixels")
end

-- windows: grouping moves panels out of their own windows; the lines on the left, the
-- histogram's bars on the right
local a = plot.lines{title = "a", y = {1, 2}}
local b = plot.hist{values = {1, 2, 3}, show = false}
local w = plot.window{a, b, title = "both", width = 800, height = 400}
assert(#w:panels() == 2)
assert(a:window() == w and b:window() == w)
do
  local img = render(w, "window")
  local iw, ih = img:size()
  assert(iw == 800 and ih == 400, ("window saved at %d x %d"):format(iw, ih))
  -- a line is thin, bars are wide: count blue pixels in runs of 8 along rows
  local function wide(x0, x1)
    local n = 0
    for yy = 0, ih - 1, 4 do
      local run = 0
      for xx = x0, x1 - 1 do
        if near(img, xx, yy, BLUE, 20) then run = run + 1 else run = 0 end
        if run == 8 then n = n + 1 end
      end
    end
    return n
  end
  assert(count(img, BLUE, 20, 0, 0, 400, 400) > 300, "window: no line on the left")
  assert(wide(0, 400) == 0 and wide(400, 800) > 20, "window: bars not on the right")
end
w:projector(true)
assert(w:projector() == true)
plot.pump()

-- with tensors, when the engine is there
local okn, nn = pcall(require, "nn")
if okn and type(nn) == "table" and nn.tensor then
  local t = nn.tensor{{0, 1}, {2, 3}}
  local tp = plot.lines{show = false}
  tp:add("t", nn.tensor{1, 2, 3})
  assert(count(render(tp, "tensor-lines", 400, 300), BLUE, 20) > 100, "tensor line")
  local ti = plot.images{images = nn.tensor{{{0, 1}, {1, 0}}}, show = false}
  render(ti, "tensor")
  local tf = plot.field{values = t, show = false}
  render(tf, "tensorfield")
  -- points from tensors, classes too
  local ts = plot.scatter{show = false}
  ts:points(nn.tensor{0, 1}, nn.tensor{0, 1}, nn.tensor{2, 2})
  local cc = point_at(render(ts, "tensor-points"), ts, 1, 1, 800, 560)
  assert(same(cc, ORANGE, 25), "tensor points drawn " .. fmt(cc))
end

-- graph: from lists, and from a tensor's recorded graph with named leaves; pixels of
-- the boxes read back (the C test checks the layout; here the glue's labels and styles)
do
  local g = plot.graph{nodes = {"x", "w", {label = "mul", style = "op"}, "b", "add"},
    edges = {{1, 3}, {2, 3}, {3, 5}, {4, 5}}, title = "x·w + b", show = false}
  assert(g:kind() == "graph")
  render(g, "graph")
  -- the documented p:graph(labels, from, to): two inputs into one op, no styles given
  local pg = plot.graph{nodes = {"x"}, show = false}
  pg:graph({"a", "b", "a+b"}, {1, 2}, {3, 3})
  local img = render(pg, "graph-example", 600, 300)
  local gray, blue = 0, 0
  for yy = 0, 299 do
    for xx = 0, 599 do
      local r, gr, bl = img:pixel(xx, yy)
      if r == 238 and gr == 238 and bl == 238 then gray = gray + 1 end
      if bl > r + 15 and bl > 230 and gr > 200 then blue = blue + 1 end
    end
  end
  assert(gray > 100 and blue > 100, ("graph example: %d input, %d op pixels"):format(gray, blue))
  -- with styles: the fifth argument is read, not a scratch buffer
  pg:graph({"a", "b", "a+b"}, {1, 2}, {3, 3}, {1, 2, 0})
  fails("4 styles for 3 nodes", pg.graph, pg, {"a", "b", "a+b"}, {1, 2}, {3, 3}, {1, 2, 0, 0})
  fails("plot.graph: the edges form a cycle", plot.graph, {nodes = {"a", "b"}, edges = {{1, 2}, {2, 1}}, show = false})
  fails("edge 1 goes from node 1 to node 7", plot.graph, {nodes = {"a", "b"}, edges = {{1, 7}}, show = false})
  fails("style \"weight\" is not op, weights or data", plot.graph, {nodes = {{label = "a", style = "weight"}}, show = false})
  fails("expected a tensor", plot.graph, 3)
  local okn2, nn2 = pcall(require, "nn")
  if okn2 and type(nn2) == "table" and nn2.graph then
    local X = nn2.tensor{{1, 0, 1}}
    local V = nn2.tensor{{1, 2}, {3, 4}, {5, 6}}:requires_grad()
    local Y = X:matmul(V):sigmoid():sum()
    local tg = plot.graph(Y, {names = {X = X, V = V}, show = false})
    local timg = render(tg, "tgraph", 600, 300)
    -- four nodes in a row, left to right: X and V (gray data, orange weights) feed
    -- matmul; the colours of the two kinds of leaf and of the ops are all there
    local tgray, orange, tblue = 0, 0, 0
    local tw, th = timg:size()
    for yy = 0, th - 1, 2 do
      for xx = 0, tw - 1, 2 do
        local r, gr, bl = timg:pixel(xx, yy)
        if r == 238 and gr == 238 and bl == 238 then tgray = tgray + 1 end
        if r > bl + 15 and r > 240 and gr > 200 then orange = orange + 1 end
        if bl > r + 15 and bl > 230 and gr > 200 then tblue = tblue + 1 end
      end
    end
    assert(tgray > 50 and orange > 50 and tblue > 100,
      ("graph fills: %d data, %d weights, %d ops pixels"):format(tgray, orange, tblue))
  end
end

-- xticks, yticks: names at 1, 2, ... instead of numbers (p:ticks); {} goes back
do
  local W, H = 480, 400
  local f = plot.field{values = {{1, 2}, {3, 4}}, xmin = 0.5, xmax = 2.5, ymin = 0.5, ymax = 2.5,
    levels = 0, show = false}
  local function ink_below(img, x) -- dark pixels of the x tick label band under data x
    local px, py = to_pixel(f, x, 0.5, W, H)
    local n = 0
    for yy = py + 3, py + 23 do
      for xx = px - 4, px + 4 do
        local r, g, b = img:pixel(xx, yy)
        if r + g + b < 3 * 160 then n = n + 1 end
      end
    end
    return n
  end
  local numbered = render(f, "ticks-numbers", W, H)
  local v = f:version()
  f:update{xticks = {"WWW", "MMM"}, yticks = {"low", "high"}}
  assert(f:version() > v, "ticks move the version")
  local named = render(f, "ticks-names", W, H)
  assert(ink_below(numbered, 1.6) > 5, "numbers first: " .. ink_below(numbered, 1.6))
  assert(ink_below(named, 1) > 5 and ink_below(named, 2) > 5, "the names under their cells")
  assert(ink_below(named, 1.6) == 0, "no number between them: " .. ink_below(named, 1.6))
  f:ticks("x", {})
  assert(ink_below(render(f, "ticks-back", W, H), 1.6) > 5, "{} goes back to numbers")
  fails("xticks must be a list of names", f.update, f, {xticks = 3})
  fails("yticks[2] must be a name (a string), got table", f.update, f, {yticks = {"a", {}}})
  fails('p:ticks: the axis is "x" or "y", got z', f.ticks, f, "z", {})
  local lp = plot.lines{y = {1, 2, 3}, xticks = {"one", "two", "three"}, show = false}
  assert(lp:kind() == "lines")
end

-- a freed plot says so
local q = plot.text{text = "x", show = false}
q:free()
fails("plot was freed", q.kind, q)
print("test_plot: ok")
