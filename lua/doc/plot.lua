-- doc/plot.lua: help entries of the plotting API (lua/plot.lua) and of the methods of
-- plots ("nnlab.plot") and windows ("nnlab.window").
local common = [[
Options every plot takes: title, xlabel, ylabel, xlog, ylog (log axes), xlim = {lo, hi},
ylim = {lo, hi}, map ("viridis", "diverging", "gray"), show = false (no window of its
own), width, height (window size). Numbers may be Lua lists or tensors.
Without a display the plot is still made and p:save("file.png") writes it.]]

return {
  ["plot.lines"] = {
    sig = "p = plot.lines{title=, xlabel=, ylabel=, xlog=, ylog=, smooth=, y=, x=, series=}",
    summary = "line plot of series that grow live (loss, accuracy, learning rate)",
    text = [[
y (and optionally x) give a first series named "data" (or name=); series = {train = ys,
val = {x = xs, y = ys}} gives several. Add points later with p:push(name, y) or
p:add(name, xs, ys). smooth = 0.9 draws an exponential moving average over the faint
raw data. 100 000 points per series stay fast.
]] .. common,
    example = [[
p = plot.lines{title = "loss", xlabel = "step", ylog = true}
for i = 1, 100 do p:push("train", 1 / i) end
p:marker(80, "early stop")
p:save("loss.png")]],
  },
  ["plot.field"] = {
    sig = "p = plot.field{f = function(x, y) ... end, xmin=, xmax=, ymin=, ymax=, n=, levels=, points=, test=}",
    summary = "heat map of f(x, y) or of a grid, with colour bar, contours and points",
    text = [[
f is sampled on an n x n grid (n = 100) over the box (default -1..1); values = rows of
numbers (row 1 at ymin) gives the grid directly. When f returns k values (class
probabilities) each class gets its hue and confidence its lightness. levels = 10 asks
for about 10 automatic contour levels (log-spaced over wide ranges), levels = {0.1, 1}
for given ones, levels = 0 for none. points = {x = {...}, y = {...}, class = {...}}
draws filled points, test = {...} hollow ones. Signed values use the diverging map.
Trajectories: p:add(name, xs, ys) or p:push(name, y, x) draws a path with a moving head.
Clicks: p:on_click(function(x, y, button, mods) ... end); the cursor: p:on_hover(fn).
]] .. common,
    example = [[
p = plot.field{xmin = -2, xmax = 2, ymin = -2, ymax = 2,
               f = function(x, y) return x * x - y * y end}
p:save("saddle.png")]],
  },
  ["plot.images"] = {
    sig = "p = plot.images{images=, n=, h=, w=, channels=, shared=, cols=, captions=}",
    summary = "grid of small images: filters, feature maps, samples, reconstructions",
    text = [[
images is a list of 2-D images (lists of rows), a tensor [n, h, w], or a flat list with
n, h, w (and channels = 3 for RGB). shared = false scales each image on its own.
Signed values use the diverging map centred on zero, others gray.
]] .. common,
    example = [[plot.images{images = {{{0, 1}, {1, 0}}, {{1, 1}, {0, 0}}}, captions = {"a", "b"}}]],
  },
  ["plot.bars"] = {
    sig = "p = plot.bars{values=, labels=, names=}",
    summary = "bar chart, or grouped bars (class probabilities, gradient norm per layer)",
    text = [[
values is a list (one bar per label) or a list of rows, one row per group with one value
per series; labels name the groups, names the series (shown in a legend).
]] .. common,
    example = [[plot.bars{values = {0.1, 0.7, 0.2}, labels = {"cat", "dog", "bird"}}]],
  },
  ["plot.hist"] = {
    sig = "p = plot.hist{values=, bins=30}",
    summary = "histogram of values (activations, weights)",
    text = common,
    example = [[plot.hist{values = nn.randn{1000}, bins = 40, title = "weights"}]],
  },
  ["plot.scatter"] = {
    sig = "p = plot.scatter{x=, y=, class=, labels=}",
    summary = "points with class colours and optional text labels (2-D codes, word maps)",
    text = "class holds 1-based class numbers; labels a list of strings, one per point.\n" ..
      common,
    example = [[plot.scatter{x = {1, 2, 3}, y = {3, 1, 2}, class = {1, 2, 2}, labels = {"a", "b", "c"}}]],
  },
  ["plot.network"] = {
    sig = "p = plot.network{sizes = {2, 4, 1}, weights=, maps=, res=}  or  view = plot.network(model [, opts])",
    summary = "network diagram: layers of nodes, edges coloured and thickened by weight",
    text = [[
weights is a list of matrices (tensors or rows), one per pair of layers, in x out.
maps gives a res x res heat map per node (all nodes in layer order, flat), drawn inside
the node as the TensorFlow Playground does.
plot.network(model) draws a model's Playground view (lua/views.lua): each neuron a heat
map of its output over the input plane, links by weight, refreshed while it trains;
opts: box = {xmin=, xmax=, ymin=, ymax=}, res = 24, features = {"x1", "x2", ...};
view:neuron(layer, i) opens one neuron's map large (layer 0: the inputs); hovering a
neuron in the view does the same.
]] .. common,
    example = [[plot.network{sizes = {2, 3, 1}, weights = {{{1, -1, 0.5}, {0.2, 0.3, -2}}, {{1}, {-1}, {0.5}}}}]],
  },
  ["plot.text"] = {
    sig = "p = plot.text{text=, title=}  or  plot.text(string)",
    summary = "a text readout panel (epoch, step, loss, learning rate)",
    text = "Update it with p:text(string).\n" .. common,
    example = [[r = plot.text("epoch 1\nloss 0.5"); r:text("epoch 2\nloss 0.4")]],
  },
  ["plot.surface"] = {
    sig = "p = plot.surface{f=, xmin=, xmax=, ymin=, ymax=, n=40, yaw=, pitch=, shaded=}",
    summary = "3-D surface of f(x, y) (loss surfaces); drag with the mouse to rotate",
    text = "shaded = false draws a wireframe coloured by height.\n" .. common,
    example = [[plot.surface{f = function(x, y) return x * x + 3 * y * y end, xmin = -2, xmax = 2, ymin = -2, ymax = 2}]],
  },
  ["plot.graph"] = {
    sig = "p = plot.graph(tensor [, {names = {X = X, ...}, title=}])  or  plot.graph{nodes=, edges=}",
    summary = "a computational graph: boxes in columns by depth, arrows from inputs to results",
    text = [[
plot.graph(t) draws the graph autograd recorded for t (nn.graph(t)): one box per
operation (blue) with its output's shape, the leaves it read (weights that need a
gradient in orange, data in gray), arrows from each input to what was computed from it.
Leaves have no names in the engine: names = {X = X, W = W} names each leaf whose shape
and gradient flag match exactly one of the named tensors. plot.graph{nodes = {...},
edges = {{from, to}, ...}} draws any graph: nodes are labels ("add\n1×3": a second line
in small type) or {label =, style = "op" | "weights" | "data"}; nn.graph's node tables
work too (edges from their inputs). A node sits one column right of its deepest input,
a leaf just before the op that reads it; a long graph runs down instead of across
when that gives the boxes more room; a label too long for its box ends in "…", and
hovering the box shows it whole. A cycle is refused.
]] .. common,
    example = [[
x = nn.tensor{{1, 2}}; w = nn.tensor{{0.5}, {-1}}:requires_grad()
y = x:matmul(w):tanh():sum()
plot.graph(y, {names = {x = x, w = w}})]],
  },
  ["plot.window"] = {
    sig = "w = plot.window{p1, p2, ..., title=, cols=, width=, height=, show=}",
    summary = "group panels in one window (a grid that reflows on resize)",
    text = [[
Panels that were alone in their own window move here. Keys in a window: space pauses or
resumes the job bound with w:bind(job), s saves a PNG, f toggles full screen, p toggles
projector mode (larger type, thicker lines, more contrast).]],
    example = [[
loss = plot.lines{title = "loss", show = false}
acc = plot.lines{title = "accuracy", show = false}
w = plot.window{loss, acc, title = "training"}]],
  },
  ["plot.pump"] = {
    sig = "n = plot.pump()",
    summary = "handle window events and redraw now (the REPL does it by itself)",
    text = "Returns the number of events (keys, clicks, closes) handled.",
    example = [[plot.pump()]],
  },
  ["plot.display"] = {
    sig = "ok, why = plot.display()",
    summary = "whether windows can open (a display exists), and why not",
    example = [[print(plot.display())]],
  },

  -- methods of plots
  ["plot:update"] = {
    sig = "p:update{...}",
    summary = "apply options, with the names the constructor takes (new f, points, title ...)",
    example = [[p:update{f = function(x, y) return x * y end}]],
  },
  ["plot:on_click"] = {
    sig = "p:on_click(function(x, y, button, mods) ... end)",
    summary = "call a function with data coordinates when the panel is clicked",
    text = [[
button is 1 (left), 2 (middle) or 3 (right); mods = {shift =, ctrl =, alt =} says which
modifier keys were held. x, y are nil on panels without data axes. nil removes it.]],
    example = [[p:on_click(function(x, y, b, mods) print(x, y, b, mods.shift) end)]],
  },
  ["plot:on_hover"] = {
    sig = "p:on_hover(function(x, y, info) ... end)",
    summary = "call a function as the cursor moves over the panel (at most 20 times a second)",
    text = [[
x, y are data coordinates (nil off the plot area or on panels without axes). info.text
is what the tooltip says (the value, bin count or pixel under the cursor); on network
panels info.layer and info.node name the node under the cursor (layer 0 the inputs,
nodes from 1); info.shift, info.ctrl, info.alt the modifier keys. A sweep of the
mouse is coalesced: the function sees the cursor's latest place. nil removes it.]],
    example = [[p:on_hover(function(x, y, info) print(info.text) end)]],
  },
  ["plot:window"] = {
    sig = "w = p:window()",
    summary = "the window that shows the panel (nil when shown nowhere)",
    example = [[p:window():projector(true)]],
  },
  ["plot:kind"] = {sig = "p:kind()", summary = "the kind of plot: \"lines\", \"field\", ...",
    example = [[print(p:kind())]]},
  ["plot:version"] = {sig = "p:version()", summary = "a counter that moves each time the plot changes",
    example = [[print(p:version())]]},
  ["plot:label"] = {sig = "p:label(\"title\"|\"xlabel\"|\"ylabel\", text)",
    summary = "set the title or an axis label", example = [[p:label("title", "loss")]]},
  ["plot:log"] = {sig = "p:log(xlog, ylog)", summary = "log scale on x and/or y",
    example = [[p:log(false, true)]]},
  ["plot:range"] = {sig = "p:range(\"x\"|\"y\", lo, hi)",
    summary = "fix an axis range; p:range(\"y\") goes back to automatic",
    example = [[p:range("y", 0, 1)]]},
  ["plot:map"] = {sig = "p:map(\"auto\"|\"viridis\"|\"diverging\"|\"gray\")",
    summary = "colour map of fields and images", example = [[p:map("diverging")]]},
  ["plot:add"] = {sig = "p:add(name, [xs,] ys)",
    summary = "append points to the series called name (lines; trajectories on fields)",
    example = [[p:add("train", {1, 2, 3}, {0.9, 0.5, 0.3})]]},
  ["plot:push"] = {sig = "p:push(name, y [, x])",
    summary = "append one point to a series; x defaults to the next step",
    example = [[p:push("train", loss)]]},
  ["plot:smooth"] = {sig = "p:smooth(alpha)",
    summary = "exponential smoothing of drawn lines, 0 (off) to 0.99",
    example = [[p:smooth(0.9)]]},
  ["plot:marker"] = {sig = "p:marker(x, label)", summary = "a labelled vertical line at x",
    example = [[p:marker(120, "early stop")]]},
  ["plot:clear"] = {sig = "p:clear()", summary = "remove series, markers and points",
    example = [[p:clear()]]},
  ["plot:grid"] = {sig = "p:grid(rows, xmin, xmax, ymin, ymax [, k])",
    summary = "set the values of a field or surface (k > 1: class probabilities)",
    example = [[p:grid({{0, 1}, {1, 2}}, 0, 1, 0, 1)]]},
  ["plot:levels"] = {sig = "p:levels(n | {l1, l2, ...})",
    summary = "contour levels: about n automatic ones, or the given ones",
    example = [[p:levels({0.1, 0.5, 1})]]},
  ["plot:points"] = {sig = "p:points(xs, ys [, classes [, hollow]])",
    summary = "add points (classes 1-based; hollow for test points)",
    example = [[p:points({0, 1}, {1, 0}, {1, 2})]]},
  ["plot:labels"] = {sig = "p:labels({text1, text2, ...})",
    summary = "text labels of the points, in order", example = [[p:labels({"king", "queen"})]]},
  ["plot:images"] = {sig = "p:images(values, n, h, w [, channels, shared, cols])",
    summary = "set the images of an image grid", example = [[p:images(t, 16, 5, 5)]]},
  ["plot:caption"] = {sig = "p:caption(i, text)", summary = "caption under image i",
    example = [[p:caption(1, "filter 1")]]},
  ["plot:bars"] = {sig = "p:bars(values [, labels, names])", summary = "set the bars",
    example = [[p:bars({0.2, 0.8}, {"no", "yes"})]]},
  ["plot:hist"] = {sig = "p:hist(values [, bins])", summary = "set the histogram's values",
    example = [[p:hist(w, 50)]]},
  ["plot:network"] = {sig = "p:network(sizes [, weights])",
    summary = "set layer sizes and weight matrices of a network diagram",
    example = [[p:network({2, 3, 1}, {w1, w2})]]},
  ["plot:maps"] = {sig = "p:maps(values, res)",
    summary = "one res x res heat map per node of a network diagram",
    example = [[p:maps(m, 16)]]},
  ["plot:text"] = {sig = "p:text(string)", summary = "set the text of a readout panel",
    example = [[r:text(("epoch %d\nloss %.4f"):format(e, l))]]},
  ["plot:graph"] = {sig = "p:graph(labels, from, to [, styles])",
    summary = "set a graph panel's nodes and edges (edge e: from[e] -> to[e], node numbers)",
    text = "styles: 0 operation, 1 weights, 2 data, one per node; plot.graph is the friendly form.",
    example = [[p:graph({"a", "b", "a+b"}, {1, 2}, {3, 3})]]},
  ["plot:view"] = {sig = "p:view(yaw, pitch [, shaded])",
    summary = "viewing angles (degrees) of a surface", example = [[p:view(45, 30)]]},
  ["plot:save"] = {sig = "p:save(path [, width, height, projector])",
    summary = "render the panel to a PNG file (works without a display)",
    example = [[p:save("loss.png", 1200, 800)]]},
  ["plot:to_data"] = {sig = "x, y = p:to_data(px, py [, width, height])",
    summary = "data coordinates of a pixel of the panel saved at width x height",
    example = [[print(p:to_data(400, 300))]]},
  ["plot:free"] = {sig = "p:free()", summary = "release the plot now (windows keep what they show)",
    example = [[p:free()]]},

  -- methods of windows
  ["window:add"] = {sig = "w:add(p)", summary = "add a panel to the window's grid",
    example = [[w:add(plot.hist{values = v, show = false})]]},
  ["window:panels"] = {sig = "w:panels()", summary = "the list of the window's panels",
    example = [[for i, p in ipairs(w:panels()) do print(p) end]]},
  ["window:cols"] = {sig = "w:cols(n)", summary = "number of columns of the grid (0: automatic)",
    example = [[w:cols(3)]]},
  ["window:show"] = {sig = "ok, why = w:show()", summary = "open the window on screen",
    example = [[w:show()]]},
  ["window:close"] = {sig = "w:close()", summary = "close the window (the plots stay usable)",
    example = [[w:close()]]},
  ["window:is_open"] = {sig = "w:is_open()", summary = "whether the window is on screen",
    example = [[print(w:is_open())]]},
  ["window:projector"] = {sig = "w:projector([on])",
    summary = "projector mode: larger type, thicker lines, more contrast (key p)",
    example = [[w:projector(true)]]},
  ["window:save"] = {sig = "w:save(path)", summary = "render the whole window to a PNG",
    example = [[w:save("training.png")]]},
  ["window:record"] = {sig = "w:record(prefix | {gif = path, fps = 20} | nil)",
    summary = "write every redraw to prefix-000001.png, ... or to an animated GIF; nil stops",
    text = [[With {gif = "run.gif", fps = 20} redraws go into one animated GIF, at most fps
(1 to 50) frames a second, each shown 1/fps s: time without redraws is left out. Frames
keep the window's size when recording began. Each frame has its own 256 colours, exact
for flat plots. w:record(nil) stops and finishes the file; w:frame() adds a frame now.]],
    example = [[w:record{gif = "training.gif", fps = 10}]]},
  ["window:frame"] = {sig = "w:frame() -> frames",
    summary = "render the window now into its recording (GIF frames so far)",
    text = [[For scripted animations: change the plots, call w:frame(), repeat, with no
waiting for the screen (works without a display). Errors when the window is not recording.]],
    example = [[w:record{gif = "a.gif"}; for i = 1, 10 do p:update{...}; w:frame() end; w:record(nil)]]},
  ["window:free"] = {sig = "w:free()", summary = "close and release the window now",
    example = [[w:free()]]},
  ["window:bind"] = {sig = "w:bind(job)", summary = "space in the window pauses/resumes job",
    example = [[w:bind(spawn(function() while true do coroutine.yield() end end))]]},
  ["window:on_key"] = {sig = "w:on_key(function(key, panel, mods) ... end)",
    summary = "call a function for each key pressed in the window",
    text = "key: \"space\", \"a\", ...; panel: the one under the cursor (or nil); mods = {shift =, ctrl =, alt =}.",
    example = [[w:on_key(function(k) print("key", k) end)]]},
}
