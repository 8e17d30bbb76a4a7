-- test_plot.lua: the plotting API from Lua: every kind is made from options and saved
-- as PNG (headless or on SDL's dummy driver), grouping panels in windows, options and
-- errors that name the culprit.
local plot = require "plot"

local dir = os.getenv("TMPDIR") or "/tmp"
local function tmp(name) return ("%s/nnlab-test-plot-%s.png"):format(dir, name) end

-- a PNG file: the 8-byte signature and more than a header
local function is_png(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("a")
  f:close()
  os.remove(path)
  return data:sub(1, 8) == "\137PNG\r\n\26\n" and #data > 1000
end

local function fails(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
end

-- lines: options, push, add, marker, save
local p = plot.lines{title = "loss", xlabel = "step", ylog = true, smooth = 0.5,
                     y = {1, 0.5, 0.25}, name = "train"}
assert(p:kind() == "lines")
local v0 = p:version()
for i = 4, 50 do p:push("train", 1 / i) end
p:add("validation", {10, 20, 30}, {0.3, 0.2, 0.15})
p:marker(40, "early stop")
assert(p:version() > v0, "changes move the version")
p:save(tmp("lines"))
assert(is_png(tmp("lines")))
fails("3 x values and 2 y values", p.add, p, "bad", {1, 2, 3}, {1, 2})

-- field from f(x, y), with points, test points, a trajectory, levels
local f = plot.field{xmin = -2, xmax = 2, ymin = -1, ymax = 1, n = 50, levels = 6,
                     f = function(x, y) return x * x - y * y end,
                     points = {x = {0, 1}, y = {0, 0.5}, class = {1, 2}},
                     test = {{0.5, -0.5, 1}}}
f:add("sgd", {-1.5, -1, -0.5}, {0.8, 0.4, 0.1})
f:save(tmp("field"), 640, 480)
assert(is_png(tmp("field")))
-- data coordinates of a pixel inside the plot area come back inside the box
local x, y = f:to_data(320, 240, 640, 480)
assert(x and x > -2 and x < 2 and y > -1 and y < 1, "to_data " .. tostring(x))
fails("not a number", plot.field, {f = function() return "x" end, show = false})

-- multi-class field: f returns one probability per class
local c = plot.field{n = 30, show = false, f = function(x, y)
  local a, b = math.exp(3 * x), math.exp(3 * y)
  return a / (a + b + 1), b / (a + b + 1), 1 / (a + b + 1)
end}
c:save(tmp("classes"))
assert(is_png(tmp("classes")))

-- a grid given as rows
local g = plot.field{values = {{0, 1, 2}, {1, 2, 3}}, xmin = 0, xmax = 2, ymin = 0, ymax = 1,
                     show = false}
g:save(tmp("grid"))
assert(is_png(tmp("grid")))
fails("row 2 has 2 values, row 1 has 3", g.grid, g, {{0, 1, 2}, {1, 2}}, 0, 1, 0, 1)

-- the other kinds
local kinds = {
  plot.images{images = {{{0, 1}, {1, 0}}, {{1, 1}, {0, 0}}, {{-1, 0}, {0, 1}}},
              captions = {"a", "b", "c"}, show = false},
  plot.images{images = {0, 0.5, 1, 0.25}, n = 1, h = 2, w = 2, show = false},
  plot.bars{values = {0.1, 0.7, 0.2}, labels = {"cat", "dog", "bird"}, show = false},
  plot.bars{values = {{1, 2}, {3, 4}, {2, 1}}, labels = {"a", "b", "c"},
            names = {"x", "y"}, show = false},
  plot.hist{values = {1, 2, 2, 3, 3, 3, 4, 4, 5}, bins = 5, show = false},
  plot.scatter{x = {1, 2, 3}, y = {3, 1, 2}, class = {1, 2, 2}, labels = {"a", "b", "c"},
               show = false},
  plot.network{sizes = {2, 3, 1}, weights = {{{1, -1, 0.5}, {0.2, 0.3, -2}}, {{1}, {-1}, {0.5}}},
               show = false},
  plot.text("epoch 1\nloss 0.5"),
  plot.surface{f = function(a, b) return a * a + 3 * b * b end, n = 20, yaw = 60, show = false},
}
for i, k in ipairs(kinds) do
  k:save(tmp("kind" .. i))
  assert(is_png(tmp("kind" .. i)), "kind " .. i)
end
fails("2 weight matrices for 2 layers", plot.network,
      {sizes = {2, 1}, weights = {{{1}, {1}}, {{1}}}, show = false})

-- windows: grouping moves panels out of their own windows
local a = plot.lines{title = "a", y = {1, 2}}
local b = plot.hist{values = {1, 2, 3}, show = false}
local w = plot.window{a, b, title = "both", width = 800, height = 400}
assert(#w:panels() == 2)
assert(a:window() == w and b:window() == w)
w:save(tmp("window"))
assert(is_png(tmp("window")))
w:projector(true)
assert(w:projector() == true)
plot.pump()

-- with tensors, when the engine is there
local okn, nn = pcall(require, "nn")
if okn and type(nn) == "table" and nn.tensor then
  local t = nn.tensor{{0, 1}, {2, 3}}
  local tp = plot.lines{show = false}
  tp:add("t", nn.tensor{1, 2, 3})
  local ti = plot.images{images = nn.tensor{{{0, 1}, {1, 0}}}, show = false}
  ti:save(tmp("tensor"))
  assert(is_png(tmp("tensor")))
  local tf = plot.field{values = t, show = false}
  tf:save(tmp("tensorfield"))
  assert(is_png(tmp("tensorfield")))
end

-- graph: from lists, and from a tensor's recorded graph with named leaves; pixels of
-- the boxes read back (the C test checks the layout; here the glue's labels and styles)
do
  local g = plot.graph{nodes = {"x", "w", {label = "mul", style = "op"}, "b", "add"},
    edges = {{1, 3}, {2, 3}, {3, 5}, {4, 5}}, title = "x·w + b", show = false}
  assert(g:kind() == "graph")
  g:save(tmp("graph"))
  assert(is_png(tmp("graph")))
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
    tg:save(tmp("tgraph"), 600, 300)
    local png = require "views.core"
    local img = assert(png.read_png(tmp("tgraph")))
    os.remove(tmp("tgraph"))
    -- four nodes in a row, left to right: X and V (gray data, orange weights) feed
    -- matmul; the colours of the two kinds of leaf and of the ops are all there
    local gray, orange, blue = 0, 0, 0
    local w, h = img:size()
    for y = 0, h - 1, 2 do
      for x = 0, w - 1, 2 do
        local r, gr, b = img:pixel(x, y)
        if r == 238 and gr == 238 and b == 238 then gray = gray + 1 end
        if r > b + 15 and r > 240 and gr > 200 then orange = orange + 1 end
        if b > r + 15 and b > 230 and gr > 200 then blue = blue + 1 end
      end
    end
    assert(gray > 50 and orange > 50 and blue > 100,
      ("graph fills: %d data, %d weights, %d ops pixels"):format(gray, orange, blue))
  end
end

-- a freed plot says so
local q = plot.text{text = "x", show = false}
q:free()
fails("plot was freed", q.kind, q)
print("test_plot: ok")
