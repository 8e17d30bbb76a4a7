-- test_plot_kinds.lua: the plot kinds come from the viz's table (src/viz/kinds.c)
-- through "viz.core".kinds, and lua/plot.lua keeps no list of its own: every kind has
-- a unique name and a window size, a panel of that kind says its name, plot.<name>
-- makes one, and its window opens at the kind's size.
local core = require "viz.core"
local plot = require "plot"
local png = require "views.core"

local kinds = core.kinds
assert(type(kinds) == "table" and #kinds >= 10, "viz.core.kinds lists the plot kinds")

local seen = {}
for i, k in ipairs(kinds) do
  assert(type(k.name) == "string" and k.name:match("^%l+$"), ("kind %d has no name"):format(i))
  assert(not seen[k.name], ("kinds %d and %d are both called %s"):format(seen[k.name] or 0, i, k.name))
  seen[k.name] = i
  assert(math.type(k.width) == "integer" and k.width >= 16 and math.type(k.height) == "integer"
    and k.height >= 16, ("kind %s: window %s x %s"):format(k.name, tostring(k.width), tostring(k.height)))
  -- the binding makes a panel of every kind, which knows its name
  local p = core.new(k.name)
  assert(p:kind() == k.name, ("core.new(%q):kind() is %s"):format(k.name, p:kind()))
  assert(tostring(p) == ("plot (%s)"):format(k.name), tostring(p))
  p:free()
end
for _, name in ipairs{"lines", "field", "images", "bars", "hist", "scatter", "network", "text",
    "surface", "graph"} do
  assert(seen[name], "the kind " .. name .. " that lessons use is in the table")
end
-- a name that is no kind is refused by the binding, listing none of plot.lua's own
local ok, err = pcall(core.new, "pie")
assert(not ok and tostring(err):find("invalid option 'pie'", 1, true), tostring(err))

-- plot.<name> for every kind, and its window at the kind's size: saved, it reads back
-- at that size (a window renders at its own size)
local dir = os.getenv("TMPDIR") or "/tmp"
for _, k in ipairs(kinds) do
  local make = plot[k.name]
  assert(type(make) == "function", "plot." .. k.name .. " is missing")
  local p = make(k.name == "graph" and {title = k.name, nodes = {"a", "b"}, edges = {{1, 2}}} -- graph needs nodes
    or {title = k.name})
  assert(p:kind() == k.name, ("plot.%s made a %s panel"):format(k.name, p:kind()))
  local w = assert(p:window(), "plot." .. k.name .. " shows its panel in a window")
  local path = ("%s/nnlab-test-kinds-%s.png"):format(dir, k.name)
  w:save(path)
  local img = assert(png.read_png(path))
  os.remove(path)
  local iw, ih = img:size()
  assert(iw == k.width and ih == k.height,
    ("plot.%s's window is %d x %d, the kind says %d x %d"):format(k.name, iw, ih, k.width, k.height))
  w:close()
end

-- the views are plot's own functions (lua/views.lua no longer patches plot): a plain
-- table of options is the bare network panel, a model the Playground view
local views = require "views"
assert(type(plot.decision) == "function" and type(plot.loss) == "function")
assert(plot.network{sizes = {2, 1}, show = false}:kind() == "network")
nn.seed(1)
local m = nn.sequential{nn.linear(2, 3), nn.tanh(), nn.linear(3, 1)}
local v = plot.network(m, {show = false, live = false})
assert(v.kind == "network" and getmetatable(v).__name == "network view", "plot.network(model) is the view")
assert(views.network ~= plot.network, "plot.network is plot.lua's, calling views.network")
print("plot kinds: " .. #kinds .. " kinds, each with its constructor and window size")
