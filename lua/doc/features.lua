-- doc/features.lua: help entries of plot.features (lua/views_features.lua) and of the
-- scatter plot's class names it uses.
return {
  ["plot.features"] = {
    sig = "p, view = plot.features(model, data [, {layer =, method = \"pca\" | \"tsne\", n =, perplexity = 30, iterations = 1000, seed = 0, exact =, theta = 0.5, run =, title =, show =}])",
    summary = "a 2-D map of a layer's learned features (PCA or t-SNE), points coloured by class",
    text = [[
Runs the first n inputs of data (2000 for PCA, 1000 for t-SNE) through the model up
to module number layer (default: the last hidden activation), in evaluation mode,
and maps their outputs to 2-D: method = "pca" projects on the first two principal
components (the axes say how much of the variance each holds); method = "tsne" is
t-SNE in the engine (inputs of more than 50 values are first reduced to 50 by PCA),
seeded, so the same seed gives the same map: exact up to 1000 points (O(n^2) a step,
up to 5000), Barnes-Hut above (a point's 3 x perplexity nearest neighbours and a
quadtree whose cells smaller than theta times their distance count as one; up to
20000 points); exact = true or false chooses. Points are coloured by class, with the
class names in the legend; hovering over a point shows its image beside the map
(view:show_point(i) does it by hand; view:nearest(x, y) finds the point nearest to a
place). view.x, view.y and view.class hold the map. With run = the fit that trains
the model, the map follows the run's history: run:seek(epoch), the slider along the
window's bottom and the arrow keys (Home and End: the first and the latest epoch)
show the map of that epoch's weights.]],
    example = [[
tr, te = data.fashion_mnist{limit = 300}
m = nn.sequential{nn.linear(784, 32), nn.relu(), nn.linear(32, 10)}
m:fit{tr, epochs = 1, optimizer = optim.adam(m), wait = true, verbose = false}
p, view = plot.features(m, te, {method = "pca", show = false})
print(view.variance[1] > view.variance[2])   --> true]],
  },
  ["plot:class_names"] = {
    sig = "p:class_names{name1, name2, ...} -> p",
    summary = "the names a scatter plot's legend gives classes 1, 2, ... (else \"class 1\", ...)",
    text = "plot.scatter{..., class_names = {...}} sets them too.",
    example = [[
p = plot.scatter{x = {1, 2, 3}, y = {1, 4, 9}, class = {1, 2, 2}, show = false}
p:class_names{"cats", "dogs"}
p:save("scatter.png")]],
  },
}
