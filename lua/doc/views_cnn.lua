-- Help entries of the CNN views (lua/views_cnn.lua) and of transfer learning
-- (lua/transfer.lua): plot.filters, plot.explain, plot.saliency, plot.top_images,
-- m:window, m:replace, m:features, m:frozen_layers.
return {
  ["plot.filters"] = {
    sig = "p, view = plot.filters(m [, {layer =, channel = \"sum\" | c | \"all\", run =, title =, show =}])",
    summary = "the kernels of a conv layer as an image grid (red positive, blue negative, one scale)",
    text = [[
layer counts as m:children() does (default: the first conv layer). channel "sum"
(default) sums each filter over its input channels, a number shows that input channel
of each filter, "all" every (filter, channel) pair, a row a filter. With run = the fit
that trains m, the grid redraws after each epoch and shows the epoch run:seek chose
(view.images holds the numbers shown). require("views_cnn").filter_images(m, k, channel)
gives them without a plot.]],
    example = [[
nn.seed(1)
m = nn.sequential{nn.conv2d(1, 6, 5), nn.relu(), nn.flatten(), nn.linear(6 * 24 * 24, 10)}
p = plot.filters(m, {show = false})
p:save("filters.png")]],
  },
  ["plot.explain"] = {
    sig = "window, view = plot.explain(m, image | row [, {data =, run =, labels =, cols =, title =, show =}])",
    summary = "the student's own CNN explained: every layer's maps for one input, a unit's receptive field and sum, the class scores",
    text = [[
A panel a layer (its number, name and output shape): maps as image grids, hidden
vectors as blocks of units; the class probabilities as bars. Click a unit of a map (hovering
shows a preview, the clicked unit comes back when the cursor leaves the maps):
its receptive field lights up on the input, its sum (bias + Σ w·x per input map, or
the max/mean of a pooling window) is written out, and the kernel is drawn above the
window of the maps below it. view:select(k, map, row, col) does the same from code
and returns the sum (require("views_cnn").unit_sum); the key n (view:slide()) moves
the unit one step along its row, the kernel sliding with it, b one step back. With run = it follows the run
and its seek. The image is a row of data = or a tensor [H, W], [C, H, W] or
[1, C, H, W].]],
    example = [[
nn.seed(1)
d = data.fashion_mnist{limit = 20, split = "test", shape = "image"}
m = nn.sequential{nn.conv2d(1, 4, 3), nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(4 * 13 * 13, 10)}
w, view = plot.explain(m, 1, {data = d, show = false})
print(view:select(3, 1, 4, 4).text)
w:save("explain.png")]],
  },
  ["plot.saliency"] = {
    sig = "window, view = plot.saliency(m, image | row [, {class =, data =, run =, labels =, title =, show =}])",
    summary = "the gradient of a class score with respect to the input pixels, as a heat map beside the image",
    text = [[
One backward pass from the class's logit (class 0-based; default the predicted one)
in evaluation mode; the map is |d score / d pixel| (the largest over channels).
require("views_cnn").saliency_map(m, x, class) gives grad, saliency and score.]],
    example = [[
nn.seed(1)
d = data.fashion_mnist{limit = 10, split = "test", shape = "image"}
m = nn.sequential{nn.conv2d(1, 4, 3), nn.relu(), nn.flatten(), nn.linear(4 * 26 * 26, 10)}
w = plot.saliency(m, 1, {data = d, class = 9, show = false})
w:save("saliency.png")]],
  },
  ["plot.top_images"] = {
    sig = "p, view = plot.top_images(m, d [, {layer =, filter = 1, n = 9, run =, title =, show =}])",
    summary = "the n images of a data set that excite one filter of a layer most (the largest value of its map)",
    text = [[
layer counts as m:children() does (default the first conv layer); each image is
captioned with its row and the map's largest value. view.top lists {index, value}.]],
    example = [[
nn.seed(1)
d = data.fashion_mnist{limit = 50, split = "test", shape = "image"}
m = nn.sequential{nn.conv2d(1, 4, 3), nn.relu(), nn.flatten(), nn.linear(4 * 26 * 26, 10)}
p = plot.top_images(m, d, {layer = 2, filter = 3, show = false})
p:save("top.png")]],
  },
  ["module:window"] = {
    sig = "m:window() -> {kind =, kh =, kw =, sh =, sw =, dh =, dw =, pad = {t, b, l, r}, same =, groups =} | nil",
    summary = "the window (kernel, stride, dilation, padding) of a conv2d or pooling layer; nil for other layers",
    text = [[
kind is "conv2d", "max", "avg" or "global_avg". Receptive fields are computed from it.]],
    example = [[
w = nn.conv2d(1, 6, 5, {padding = 2}):window()
print(w.kind, w.kh, w.sh, w.pad[1])   --> conv2d 5 1 2]],
  },
  ["module:replace"] = {
    sig = "m2 = m:replace(k, layer)",
    summary = "a new model with layer k replaced (a new head for transfer learning); the other layers copied with their weights",
    text = [[
m itself is left as it was (a layer belongs to one model, so the others are copies,
frozen where they were). Copies conv2d, pooling, linear, activation, flatten and
dropout layers; another kind is refused by name.]],
    example = [[
m = nn.sequential{nn.linear(4, 8), nn.relu(), nn.linear(8, 3)}
m2 = m:replace(3, nn.linear(8, 2))
print(m2:out_shape{4}[1])   --> 2]],
  },
  ["module:features"] = {
    sig = "m:features(d, k) -> data set",
    summary = "the outputs of layers 1 to k for every input of d (one row a sample) with d's targets: features for a small classifier",
    text = [[
The layers run in evaluation mode; maps are flattened to one row a sample.]],
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 2)}
f = m:features(data.xor{n = 20}, 2)
print(f:info().nx)   --> 8]],
  },
  ["module:frozen_layers"] = {
    sig = "m:frozen_layers() -> {k, ...}",
    summary = "the numbers of a model's frozen layers",
    text = [[
As m:children() counts them; a layer counts as frozen when m:freeze(i, j) or its own
freeze froze it.]],
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 2)}
print(table.concat(m:freeze(1, 2):frozen_layers(), ","))   --> 1,2]],
  },
}
