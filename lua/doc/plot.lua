-- doc/plot.lua: help entries of the plotting API (lua/plot.lua) and of the methods of
-- plots ("nnlab.plot") and windows ("nnlab.window").
local common = [[
Options every plot takes: title, xlabel, ylabel, xlog, ylog (log axes), xlim = {lo, hi},
ylim = {lo, hi}, xticks, yticks = {"a", "b", ...} (names at 1, 2, ... instead of numbers;
see p:ticks), map ("viridis", "diverging", "gray"), show = false (no window of its
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
p = plot.lines{title = "loss", xlabel = "step", ylog = true, show = false}
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
for about 10 automatic contour levels (log-spaced, with log colours, when most of the
values crowd the bottom tenth of the range, as on Rosenbrock), levels = {0.1, 1}
for given ones, levels = 0 for none. points = {x = {...}, y = {...}, class = {...}}
draws filled points, test = {...} hollow ones. Signed values use the diverging map.
cells = true draws values as a matrix of flat cells, each one colour with sharp edges
(no interpolation, no contours), centred on 1, 2, ... unless the box is given; clim =
{lo, hi} fixes the colours' range (linear; {} back to automatic).
Trajectories: p:add(name, xs, ys) or p:push(name, y, x) draws a path with a moving head.
Clicks: p:on_click(function(x, y, button, mods) ... end), their end p:on_release(fn); the cursor: p:on_hover(fn).
]] .. common,
    example = [[
p = plot.field{xmin = -2, xmax = 2, ymin = -2, ymax = 2, show = false,
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
    example = [[
p = plot.images{images = {{{0, 1}, {1, 0}}, {{1, 1}, {0, 0}}}, captions = {"a", "b"}, show = false}
p:save("images.png")]],
  },
  ["plot.bars"] = {
    sig = "p = plot.bars{values=, labels=, names=}",
    summary = "bar chart, or grouped bars (class probabilities, gradient norm per layer)",
    text = [[
values is a list (one bar per label) or a list of rows, one row per group with one value
per series; labels name the groups, names the series (shown in a legend).
]] .. common,
    example = [[
p = plot.bars{values = {0.1, 0.7, 0.2}, labels = {"cat", "dog", "bird"}, show = false}
p:save("bars.png")]],
  },
  ["plot.hist"] = {
    sig = "p = plot.hist{values=, bins=30}",
    summary = "histogram of values (activations, weights)",
    text = common,
    example = [[
nn.seed(1)
p = plot.hist{values = nn.randn{1000}, bins = 40, title = "weights", show = false}
p:save("hist.png")]],
    text = [[
values is a list or a tensor (any shape: all its elements); bins (30) equal-width
bins span its range. Hovering a bar says how many values fall in it.]],
  },
  ["plot.scatter"] = {
    sig = "p = plot.scatter{x=, y=, class=, labels=}",
    summary = "points with class colours and optional text labels (2-D codes, word maps)",
    text = "class holds 1-based class numbers; labels a list of strings, one per point.\n" ..
      common,
    example = [[
p = plot.scatter{x = {1, 2, 3}, y = {3, 1, 2}, class = {1, 2, 2}, labels = {"a", "b", "c"}, show = false}
p:save("scatter.png")]],
  },
  ["plot.network"] = {
    sig = "p = plot.network{sizes = {2, 4, 1}, weights=, maps=, res=}  or  view = plot.network(model [, data] [, opts])",
    summary = "network diagram: layers of nodes, edges coloured and thickened by weight",
    text = [[
weights is a list of matrices (tensors or rows), one per pair of layers, in x out.
maps gives a res x res heat map per node (all nodes in layer order, flat), drawn inside
the node as the TensorFlow Playground does.
plot.network(model) draws a model's Playground view (lua/views.lua): each neuron a heat
map of its output over the input plane, links by weight (in the decision surface's
colours: blue negative, orange positive), each hidden layer named by its width and
activation, refreshed while it trains. The plane is the box of data (or opts.data),
else that of the last plot.decision of the model, else -1..1;
opts: box = {xmin=, xmax=, ymin=, ymax=}, data =, res = 24, features = {"x1", "x2", ...};
view:neuron(layer, i) opens one neuron's map large (layer 0: the inputs); hovering a
neuron in the view does the same.
]] .. common,
    example = [[
p = plot.network{sizes = {2, 3, 1}, show = false,
                 weights = {{{1, -1, 0.5}, {0.2, 0.3, -2}}, {{1}, {-1}, {0.5}}}}
p:save("net.png")]],
  },
  ["plot.text"] = {
    sig = "p = plot.text{text=, title=}  or  plot.text(string)",
    summary = "a text readout panel (epoch, step, loss, learning rate)",
    text = "Update it with p:text(string).\n" .. common,
    example = [[
r = plot.text("epoch 1\nloss 0.5"); r:text("epoch 2\nloss 0.4")
r:save("readout.png")]],
  },
  ["plot.surface"] = {
    sig = "p = plot.surface{f=, xmin=, xmax=, ymin=, ymax=, n=40, yaw=, pitch=, shaded=}",
    summary = "3-D surface of f(x, y) (loss surfaces); drag with the mouse to rotate",
    text = "shaded = false draws a wireframe coloured by height.\n" .. common,
    example = [[
p = plot.surface{f = function(x, y) return x * x + 3 * y * y end, show = false,
                 xmin = -2, xmax = 2, ymin = -2, ymax = 2}
p:save("bowl.png")]],
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
p = plot.graph(y, {names = {x = x, w = w}, show = false}); p:save("graph.png")]],
  },
  ["plot.window"] = {
    sig = "w = plot.window{p1, p2, ..., title=, cols=, width=, height=, show=}",
    summary = "group panels in one window (a grid that reflows on resize)",
    text = [[
Panels that were alone in their own window move here. Without cols the grid takes the
number of columns whose cells come closest to 4:3 for the window's shape, and reflows
when the window is resized. Keys in a window: space pauses or
resumes the job bound with w:bind(job), s saves a PNG, f toggles full screen, p toggles
projector mode (larger type, thicker lines, more contrast).]],
    example = [[
loss = plot.lines{title = "loss", show = false}
acc = plot.lines{title = "accuracy", show = false}
w = plot.window{loss, acc, title = "training", show = false}
w:save("training.png")]],
  },
  ["plot.pump"] = {
    sig = "n = plot.pump()",
    summary = "handle window events and redraw now (the REPL does it by itself)",
    text = [[
Returns the number of events (keys, clicks, closes) handled. A script that animates
plots in a loop of its own calls it to keep its windows alive; the prompt and wait()
pump for you.]],
    example = [[
print(plot.pump())]],
  },
  ["plot.display"] = {
    sig = "ok, why = plot.display()",
    summary = "whether windows can open (a display exists), and why not",
    example = [[
ok, why = plot.display(); print(ok, why)]],
    text = [[
Windows need a display: DISPLAY or WAYLAND_DISPLAY set (or SDL_VIDEODRIVER). Without
one the answer is false and the reason; plots are still made and p:save(path) writes
them.]],
  },

  -- methods of plots
  ["plot:update"] = {
    sig = "p:update{...}",
    summary = "apply options, with the names the constructor takes (new f, points, title ...)",
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:update{f = function(x, y) return x * x + y * y end, title = "bowl"}]],
    text = [[
Takes the same table of options as the plot's constructor (plot.field's f, box and
levels, a lines plot's series, title, xlog, ...) and applies those given; the others
stay. Returns p.]],
  },
  ["plot:on_click"] = {
    sig = "p:on_click(function(x, y, button, mods) ... end)",
    summary = "call a function with data coordinates when the panel is clicked",
    text = [[
button is 1 (left), 2 (middle) or 3 (right); mods = {shift =, ctrl =, alt =} says which
modifier keys were held. x, y are nil on panels without data axes; on an images panel
mods.image, mods.row and mods.col name the pixel clicked (from 1). nil removes it.]],
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:on_click(function(x, y, b, mods) print(x, y, b, mods.shift) end)]],
  },
  ["plot:on_release"] = {
    sig = "p:on_release(function(x, y, button, mods) ... end)",
    summary = "call a function when the button of a click on the panel is let go: the end of a drag",
    text = [[
x, y are the data coordinates where the button was let go, beyond the axes too (a drag
that left the plot area), on the panel that was clicked; nil on panels without data
axes. With p:on_click it makes a drag: the click is where it began, the release where
it ended (plot.states selects steps this way). mods as on_click's. nil removes it.]],
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:on_click(function(x) first = x end)
p:on_release(function(x) print("dragged from", first, "to", x) end)]],
  },
  ["plot:on_hover"] = {
    sig = "p:on_hover(function(x, y, info) ... end)",
    summary = "call a function as the cursor moves over the panel (at most 20 times a second)",
    text = [[
x, y are data coordinates (nil off the plot area or on panels without axes). info.text
is what the tooltip says (the value, bin count or pixel under the cursor); on network
panels info.layer and info.node name the node under the cursor (layer 0 the inputs,
nodes from 1); on images panels info.image, info.row, info.col the pixel; info.shift, info.ctrl, info.alt the modifier keys. A sweep of the
mouse is coalesced: the function sees the cursor's latest place. info.button is the
button held down while moving (a drag: 1 left, 2 middle, 3 right; nil none), so a
press (p:on_click) and the moves after it draw a stroke. nil removes it.]],
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:on_hover(function(x, y, info) print(info.text) end)]],
  },
  ["plot:window"] = {
    sig = "w = p:window()",
    summary = "the window that shows the panel (nil when shown nowhere)",
    example = [[
p = plot.lines{title = "loss"}
w = p:window(); if w then w:projector(true) end]],
    text = [[
A plot made with show = false, and not added to a window, has none. Use it to reach
the window of a plot made by a constructor (to save, record or project it).]],
  },
  ["plot:kind"] = {sig = "p:kind()", summary = "the kind of plot: \"lines\", \"field\", ...",
    example = [[
p = plot.lines{title = "loss", show = false}
print(p:kind())   --> lines]],
    text = [[
One of lines, field, images, bars, hist, scatter, network, text, surface, graph:
which methods apply to it.]],
  },
  ["plot:version"] = {sig = "p:version()", summary = "a counter that moves each time the plot changes",
    example = [[
p = plot.lines{title = "loss", show = false}
v = p:version(); p:push("train", 1); print(p:version() > v)   --> true]],
    text = [[
Windows redraw a panel when its version moved; tests and views compare versions to
know whether something changed.]],
  },
  ["plot:label"] = {sig = "p:label(\"title\"|\"xlabel\"|\"ylabel\", text)",
    summary = "set the title or an axis label", example = [[
p = plot.lines{title = "loss", show = false}
p:label("ylabel", "cross-entropy")]],
    text = [[
Same as the title =, xlabel = and ylabel = options; another first argument is refused.]],
  },
  ["plot:ticks"] = {sig = "p:ticks(\"x\"|\"y\", {names})",
    summary = "name an axis's ticks (classes, tokens) instead of numbering them", example = [[
p = plot.field{values = {{1, 2}, {3, 4}}, xmin = 0.5, xmax = 2.5, ymin = 0.5, ymax = 2.5,
  show = false}
p:ticks("x", {"cat", "dog"}); p:ticks("y", {"low", "high"})]],
    text = [[
names[i] goes at position i (a field over 0.5 .. n + 0.5 has its cells centred there);
when the names would touch, every second (third, ...) is written. p:ticks("x") or {}
goes back to numbers. Same as the xticks = and yticks = options.]],
  },
  ["plot:log"] = {sig = "p:log(xlog, ylog)", summary = "log scale on x and/or y",
    example = [[
p = plot.lines{title = "loss", show = false}
p:log(false, true)]],
    text = [[
Both arguments are booleans; values <= 0 cannot be drawn on a log axis and are left out.]],
  },
  ["plot:range"] = {sig = "p:range(\"x\"|\"y\"|\"c\", lo, hi)",
    summary = "fix an axis range (or a field's colour range); p:range(\"y\") goes back to automatic",
    example = [[
p = plot.lines{title = "loss", show = false}
p:range("y", 0, 1); p:range("y")]],
    text = [[
Without lo and hi the axis goes back to fitting the data. Same as the xlim = and
ylim = options. "c" (fields only, the clim = option) fixes the values that the colour
map's ends stand for, on a linear scale.]],
  },
  ["plot:cells"] = {sig = "p:cells(rows, xmin, xmax, ymin, ymax)",
    summary = "set a field's values as a matrix of flat cells (sharp edges, no interpolation)",
    example = [[
p = plot.field{values = {{0, 0}, {0, 0}}, show = false}
p:cells({{1, 2, 3}, {4, 5, 6}}, 0.5, 3.5, 0.5, 2.5)]],
    text = [[
rows is a list of rows of numbers (row 1 at ymin) or a tensor [rows, cols]; the cells
fill the box, here each centred on whole numbers. plot.field{values = ..., cells =
true} is the friendly form.]],
  },
  ["plot:map"] = {sig = "p:map(\"auto\"|\"viridis\"|\"diverging\"|\"gray\")",
    summary = "colour map of fields and images", example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:map("diverging")]],
    text = [[
auto chooses diverging for signed values and viridis (images: gray) otherwise; all
maps are perceptually uniform and safe for colour-blind viewers.]],
  },
  ["plot:add"] = {sig = "p:add(name, [xs,] ys)",
    summary = "append points to the series called name (lines; trajectories on fields)",
    example = [[
p = plot.lines{title = "loss", show = false}
p:add("train", {1, 2, 3}, {0.9, 0.5, 0.3})]],
    text = [[
xs and ys are lists or tensors of the same length (without xs, x continues from the
series' last point). A new name starts a new series with its own colour and legend
entry. On a field it draws a trajectory with a moving head.]],
  },
  ["plot:push"] = {sig = "p:push(name, y [, x])",
    summary = "append one point to a series; x defaults to the next step",
    example = [[
p = plot.lines{title = "loss", show = false}
for step = 1, 10 do p:push("train", 1 / step) end]],
    text = [[
The cheap way to grow a curve during training: one call per step.]],
  },
  ["plot:smooth"] = {sig = "p:smooth(alpha)",
    summary = "exponential smoothing of drawn lines, 0 (off) to 0.99",
    example = [[
p = plot.lines{title = "loss", show = false}
p:smooth(0.9)]],
    text = [[
alpha is the weight of the past in the moving average (TensorBoard's smoothing); the
raw data stays drawn faintly. Same as the smooth = option.]],
  },
  ["plot:marker"] = {sig = "p:marker(x, label)", summary = "a labelled vertical line at x",
    example = [[
p = plot.lines{title = "loss", show = false}
p:marker(120, "early stop")]],
    text = [[
Marks an event on the x axis (an lr change, the best epoch); plot.loss draws them for you.]],
  },
  ["plot:band"] = {sig = "p:band(x0, x1)", summary = "a shaded band from x0 to x1 behind the lines",
    example = [[
p = plot.lines{title = "loss", xlog = true, show = false}
p:band(1e-4, 3e-3)]],
    text = [[
Shades a range of the x axis (the LR range test's suggested rates); p:clear() removes it.]],
  },
  ["plot:clear"] = {sig = "p:clear()", summary = "remove series, markers and points",
    example = [[
p = plot.lines{title = "loss", show = false}
p:push("train", 1); p:clear()]],
    text = [[
The panel's options (labels, ranges, map) stay; a field keeps its grid.]],
  },
  ["plot:grid"] = {sig = "p:grid(rows, xmin, xmax, ymin, ymax [, k])",
    summary = "set the values of a field or surface (k > 1: class probabilities)",
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:grid({{0, 1}, {1, 2}}, 0, 1, 0, 1)]],
    text = [[
rows is a list of rows of numbers (row 1 at ymin) or a tensor [rows, cols]; with k >
1 each row holds cols * k values, k class probabilities per cell, drawn as hue and
lightness. plot.field{values = ...} is the friendly form.]],
  },
  ["plot:levels"] = {sig = "p:levels(n | {l1, l2, ...})",
    summary = "contour levels: about n automatic ones, or the given ones",
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:levels({0.1, 0.5, 1})]],
    text = [[
n = 0 removes the contours; over values that span decades the automatic levels are
log-spaced. Same as the levels = option.]],
  },
  ["plot:points"] = {sig = "p:points(xs, ys [, classes [, hollow]])",
    summary = "add points (classes 1-based; hollow for test points)",
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
p:points({0, 0.5}, {0.5, 0}, {1, 2})]],
    text = [[
xs and ys in data coordinates, classes from 1 (each class its colour; none: one
colour); hollow = true draws rings, as plot.decision does for test points.]],
  },
  ["plot:labels"] = {sig = "p:labels({text1, text2, ...})",
    summary = "text labels of the points, in order", example = [[
p = plot.scatter{x = {1, 2}, y = {1, 2}, show = false}
p:labels({"king", "queen"})]],
    text = [[
For scatter plots: a string per point, drawn beside it (word embeddings, 2-D codes).]],
  },
  ["plot:values"] = {sig = "p:values({v1, v2, ...})",
    summary = "values of the points, drawn in a field's own colour map", example = [[
p = plot.field{values = {{0, 1}, {0, 1}}, show = false}
p:points({0.2, 0.8}, {0.5, 0.5})
p:values({0, 1})]],
    text = [[
For points on a field of values (a regression's predicted surface): the first #list
points are coloured by their value on the field's colour scale, as the surface is, so
a point the surface fits disappears into it. Points without a value keep their class
colour.]],
  },
  ["plot:layer_names"] = {sig = "p:layer_names({name1, name2, ...})",
    summary = "the words under each layer of a network diagram", example = [[
p = plot.network{sizes = {2, 4, 1}, show = false}
p:layer_names({"input 2", "4 tanh", "output 1"})]],
    text = [[
One name per layer, replacing the sizes shown under the columns; plot.network(model)
writes each hidden layer's width and activation there.]],
  },
  ["plot:palette"] = {sig = "p:palette(\"series\" | \"marks\")",
    summary = "the colours of a panel's series: the series palette, or marks no series has",
    example = [[
p = plot.field{values = {{0, 1}, {0, 1}}, show = false}
p:palette("marks")]],
    text = [[
"marks" draws the series in three colours (dark gray, magenta, white) that no series
or class uses: the race's step view draws its arrows in them and the effective learning
rates' bars, so that they are not mistaken for racers. Fields, lines and bars take it.]],
  },
  ["plot:images"] = {sig = "p:images(values, n, h, w [, channels, shared, cols])",
    summary = "set the images of an image grid", example = [[
p = plot.images{images = {{{0, 1}, {1, 0}}}, show = false}
p:images(nn.rand(4 * 5 * 5), 4, 5, 5)]],
    text = [[
values holds n images of h x w (x channels) numbers, flat, in a list or a tensor;
shared = false scales each image on its own, cols sets the grid's columns.]],
  },
  ["plot:caption"] = {sig = "p:caption(i, text)", summary = "caption under image i",
    example = [[
p = plot.images{images = {{{0, 1}, {1, 0}}}, show = false}
p:caption(1, "filter 1")]],
    text = [[
i counts from 1; the text is drawn under the image.]],
  },
  ["plot:bars"] = {sig = "p:bars(values [, labels, names])", summary = "set the bars",
    example = [[
p = plot.bars{values = {1}, show = false}
p:bars({0.2, 0.8}, {"no", "yes"}, {"answer"})]],
    text = [[
values as plot.bars{values=} takes them (a list, or rows of groups); labels name the
bars or groups, names the series.]],
  },
  ["plot:hist"] = {sig = "p:hist(values [, bins])", summary = "set the histogram's values",
    example = [[
nn.seed(1); p = plot.hist{values = {1}, show = false}
p:hist(nn.randn{500}, 50)]],
    text = [[
values a list or tensor; bins defaults to 30.]],
  },
  ["plot:network"] = {sig = "p:network(sizes [, weights])",
    summary = "set layer sizes and weight matrices of a network diagram",
    example = [[
p = plot.network{sizes = {2, 1}, show = false}
p:network({2, 3, 1}, {nn.randn(2, 3), nn.randn(3, 1)})]],
    text = [[
sizes lists the width of each layer; weights (optional) one matrix per pair of
layers, in x out, as tensors or rows: edge colour gives the sign, thickness the
size.]],
  },
  ["plot:maps"] = {sig = "p:maps(values, res)",
    summary = "one res x res heat map per node of a network diagram",
    example = [[
p = plot.network{sizes = {2, 1}, show = false}
p:maps(nn.rand(3 * 16 * 16), 16)]],
    text = [[
values holds one res x res map per node, nodes in layer order (inputs first), flat;
the Playground's neuron pictures.]],
  },
  ["plot:text"] = {sig = "p:text(string)", summary = "set the text of a readout panel",
    example = [[
r = plot.text("start")
r:text(("epoch %d\nloss %.4f"):format(3, 0.25))]],
    text = [[
Replaces the text of a plot.text panel; newlines make lines.]],
  },
  ["plot:graph"] = {sig = "p:graph(labels, from, to [, styles])",
    summary = "set a graph panel's nodes and edges (edge e: from[e] -> to[e], node numbers)",
    text = "styles: 0 operation, 1 weights, 2 data, one per node; plot.graph is the friendly form.",
    example = [[
p = plot.graph{nodes = {"a", "b"}, edges = {}, show = false}
p:graph({"a", "b", "a+b"}, {1, 2}, {3, 3}, {2, 2, 0})]],},
  ["plot:view"] = {sig = "p:view(yaw, pitch [, shaded])",
    summary = "viewing angles (degrees) of a surface", example = [[
p = plot.surface{f = function(x, y) return x * y end, show = false}
p:view(45, 30)]],
    text = [[
yaw turns around the vertical axis, pitch tilts; shaded = false draws a wireframe.
Dragging with the mouse does the same.]],
  },
  ["plot:save"] = {sig = "p:save(path [, width, height, projector])",
    summary = "render the panel to a PNG file (works without a display)",
    example = [[
p = plot.lines{title = "loss", show = false}
p:push("train", 1); p:save("loss.png", 1200, 800)]],
    text = [[
width and height in pixels default to the panel's window size; projector = true
renders with projector mode's large type. Writes a PNG, with or without a display;
an unwritable path is an error naming it.]],
  },
  ["plot:to_data"] = {sig = "x, y = p:to_data(px, py [, width, height])",
    summary = "data coordinates of a pixel of the panel saved at width x height",
    example = [[
p = plot.field{f = function(x, y) return x * y end, show = false}
print(p:to_data(320, 280, 640, 560))]],
    text = [[
px, py count pixels from the top left; for tests and click handling. nil off the
data area or on panels without axes.]],
  },
  ["plot:free"] = {sig = "p:free()", summary = "release the plot now (windows keep what they show)",
    example = [[
p = plot.lines{title = "loss", show = false}
p:free()]],
    text = [[
The window that showed it keeps its own copy until it closes; later calls on p raise an error.]],
  },

  -- methods of windows
  ["window:add"] = {sig = "w:add(p)", summary = "add a panel to the window's grid",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:add(plot.hist{values = {1, 2, 2, 3}, show = false})]],
    text = [[
A panel shown alone in a window of its own moves here; the grid reflows.]],
  },
  ["window:panels"] = {sig = "w:panels()", summary = "the list of the window's panels",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
for i, p in ipairs(w:panels()) do print(i, p:kind()) end]],
    text = [[
In grid order, as the plot objects themselves.]],
  },
  ["window:cols"] = {sig = "w:cols(n)", summary = "number of columns of the grid (0: automatic)",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:cols(3)]],
    text = [[
Without it (or with 0) the grid picks its columns from the window's shape.]],
  },
  ["window:show"] = {sig = "ok, why = w:show()", summary = "open the window on screen",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
print(w:show())]],
    text = [[
Returns true, or false and why (no display). Windows made with show = false open with it.]],
  },
  ["window:close"] = {sig = "w:close()", summary = "close the window (the plots stay usable)",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:show(); w:close(); print(w:is_open())   --> false]],
    text = [[
w:show() opens it again.]],
  },
  ["window:is_open"] = {sig = "w:is_open()", summary = "whether the window is on screen",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
print(w:is_open())]],
    text = [[
false after the user closed it too.]],
  },
  ["window:projector"] = {sig = "w:projector([on])",
    summary = "projector mode: larger type, thicker lines, more contrast (key p)",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:projector(true)]],
    text = [[
For lecture halls: all panels of the window get large type and thick lines; on
defaults to true. Key p toggles it.]],
  },
  ["window:caption"] = {sig = "w:caption(text | nil)",
    summary = "a line (or lines) of large type under the window's panels",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:caption("w_new = w_old − η · dL/dw")
w:caption(nil)]],
    text = [[
For what the room must read: a lesson's key sentence, a formula. It grows with the
window and shrinks to fit its width, never cut off. plot.caption(text) sets it on every
window; a lesson's caption "..." step does that for its page. Returns w.]],
  },
  ["window:status"] = {sig = "w:status(text | nil)",
    summary = "one line of large type above the window's panels (a run's figures)",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:status("epoch 12    train loss 0.231    test loss 0.254")]],
    text = [[
The playground shows its epoch, losses, learning rate and layer sizes here. Only the
line is redrawn when it changes. Returns w.]],
  },
  ["window:overlay"] = {sig = "w:overlay(text | nil)",
    summary = "a box of lines over the middle of the window; nil hides it",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:overlay("space  pause\ns      save a PNG")
w:overlay(nil)]],
    text = [[
The keys ? and h show the window's keys this way (plot.keys and w:keys). Returns w.]],
  },
  ["window:cell"] = {sig = "x, y, w, h = w:cell(i)",
    summary = "where panel i lies in the window, in pixels (under the status line)",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
print(w:cell(1))   --> 0 0 520 400]],
    text = [[
For tests and tools that click or read pixels of one panel; the grid reflows with the
window's size and its caption and status lines.]],
  },
  ["window:visible"] = {sig = "w:visible()",
    summary = "true when the window is shown and not minimised or hidden",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
print(w:visible())   --> false]],
    text = [[
A job bound to the window (w:bind) pauses while it is minimised and plays again when
it comes back, so that nothing plays unseen.]],
  },
  ["window:keys"] = {sig = 'w:keys{{"r", "reset"}, ...}',
    summary = "the window's own keys, listed first by ? and h",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:keys{{"r", "start again"}}]],
    text = [[
Describes keys that w:on_key handles; the keys every window takes (plot.keys) follow
them in the list. Returns w.]],
  },
  ["plot.defaults"] = {sig = "plot.defaults{projector =, fullscreen =, display =}",
    summary = "what every window opened from now on obeys: projector mode, full screen, which screen",
    example = [[
print(plot.defaults().projector)
plot.defaults{fullscreen = false, display = false}]],
    text = [[
Returns the current defaults. display is the number of a screen (1, 2, ...; false: the
default one); plot.window{..., fullscreen = true, display = 2} does it for one window.
Projector mode also applies to the windows already open. `nnlab --projector` and the
environment variable NNLAB_PROJECTOR=1 start with projector = true.]],
  },
  ["plot.projector"] = {sig = "plot.projector([on])",
    summary = "projector mode for every window, open or opened later",
    example = [[
plot.projector(true)
plot.projector(false)]],
    text = [[
Large type, thick lines, more contrast, for a lecture hall. Type and lines also grow
with a window larger than 1280 x 720 (full screen on a projector), projector mode or
not. The same as plot.defaults{projector = on}; returns the setting.]],
  },
  ["plot.caption"] = {sig = "plot.caption(text | nil)",
    summary = "a caption of large type under the panels of every window",
    example = [[
plot.caption("the loss falls as the steps shrink")
plot.caption(nil)]],
    text = [[
Windows opened later get it too, until plot.caption(nil). lesson.caption and a
lesson's caption "..." step call it.]],
  },
  ["plot.keys"] = {sig = "plot.keys",
    summary = "the keys every window takes, for presenting: ? or h lists them in the window",
    example = [[
for _, k in ipairs(plot.keys) do print(k[1], k[2]) end]],
    text = [[
In any window: space pauses or resumes its job, s saves a PNG, f full screen, p
projector mode, ? or h shows the keys over the window (Escape hides them), PageDown
and PageUp step the running lesson or demo (a presenter's clicker sends these), as
:next and :back do at the prompt. The playground adds r (a new net, pg:reset()); a
race has its own keys (help race).

A demo for a lecture is a lesson file: lesson{id, title}, then say "..." for your
notes, show "code" for what runs (a playground, a race), caption "..." for the
sentence the room should read, and pause() where you want to talk; start it with
:lesson demos/lecture.lua (demos/lecture.lua in the repository is one) and step it
with PageDown in any window. `nnlab --projector` makes every window readable from
the back.]],
  },
  ["window:save"] = {sig = "w:save(path)", summary = "render the whole window to a PNG",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:save("training.png")]],
    text = [[
Renders offscreen at the window's size; works without a display.]],
  },
  ["window:record"] = {sig = "w:record(prefix | {gif = path, fps = 20} | nil)",
    summary = "write every redraw to prefix-000001.png, ... or to an animated GIF; nil stops",
    text = [[With {gif = "run.gif", fps = 20} redraws go into one animated GIF, at most fps
(1 to 50) frames a second, each shown 1/fps s: time without redraws is left out. Frames
keep the window's size when recording began. Each frame has its own 256 colours, exact
for flat plots. w:record(nil) stops and finishes the file; w:frame() adds a frame now.]],
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:record{gif = "training.gif", fps = 10}; w:frame(); w:record(nil)]],},
  ["window:frame"] = {sig = "w:frame() -> frames",
    summary = "render the window now into its recording (GIF frames so far)",
    text = [[For scripted animations: change the plots, call w:frame(), repeat, with no
waiting for the screen (works without a display). Errors when the window is not recording.]],
    example = [[
p = plot.lines{title = "loss", show = false}
w = plot.window{p, show = false}
w:record{gif = "a.gif"}
for i = 1, 10 do p:push("train", 1 / i); w:frame() end
w:record(nil)]],},
  ["window:frames_drawn"] = {sig = "w:frames_drawn() -> n",
    summary = "how many frames the window has drawn on the screen since it opened",
    text = [[A window redraws at most 60 times a second, and less often when drawing is slow (it
takes at most a fifth of the time, so training is never starved). Clicks map through the
frame last drawn; a script that clicks waits for a new frame first. 0 without a display.]],
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
print(w:frames_drawn())]],},
  ["window:free"] = {sig = "w:free()", summary = "close and release the window now",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:free()]],
    text = [[
Closes it and frees it at once; its panels stay usable.]],
  },
  ["window:bind"] = {sig = "w:bind(job [, {space = false}])", summary = "space in the window pauses/resumes job; hidden, the window pauses it",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
job = spawn(function() for i = 1, 3 do coroutine.yield() end end)
w:bind(job)]],
    text = [[
The job (a training run's, a race's) is paused and resumed by space, and paused while
the window is hidden or minimised (resumed when it comes back); with space = false
only the latter (a window whose own keys play and pause, as a race's). nil unbinds.
Returns w.]],
  },
  ["window:on_key"] = {sig = "w:on_key(function(key, panel, mods) ... end)",
    summary = "call a function for each key pressed in the window",
    text = "key: \"space\", \"a\", ...; panel: the one under the cursor (or nil); mods = {shift =, ctrl =, alt =}.",
    example = [[
w = plot.window{plot.lines{title = "loss", show = false}, show = false}
w:on_key(function(k, panel, mods) print("key", k, mods.shift) end)]],},
}
