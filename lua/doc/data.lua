-- doc/data.lua: help entries of data sets (data.*, dataset:*), from lua/data.lua
-- and src/repl/bind_data.c.
return {
  ["data.circle"] = {
    sig = "data.circle{n=, noise=, classes=, seed=, test=}",
    summary = "two classes: 1 inside radius 2.5, 0 in the ring 3.5..5 (TensorFlow Playground); with test = 0.3 returns train, test",
    example = [[train, test = data.circle{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.xor"] = {
    sig = "data.xor{n=, noise=, classes=, seed=, test=}",
    summary = "two classes by the sign of x1 x2 (Playground's XOR); with test = 0.3 returns train, test",
    example = [[train, test = data.xor{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.gauss"] = {
    sig = "data.gauss{n=, noise=, classes=, seed=, test=}",
    summary = "two Gaussian clusters around (2,2) and (-2,-2); with test = 0.3 returns train, test",
    example = [[train, test = data.gauss{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.spiral"] = {
    sig = "data.spiral{n=, noise=, classes=, seed=, test=}",
    summary = "k interleaved spiral arms (classes = 2 by default; noise jitters the angle); with test = 0.3 returns train, test",
    example = [[train, test = data.spiral{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.moons"] = {
    sig = "data.moons{n=, noise=, classes=, seed=, test=}",
    summary = "two interleaving half moons (scikit-learn's, scaled); with test = 0.3 returns train, test",
    example = [[train, test = data.moons{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.blobs"] = {
    sig = "data.blobs{n=, noise=, classes=, seed=, test=}",
    summary = "k Gaussian clusters on a circle (classes = 3 by default); with test = 0.3 returns train, test",
    example = [[train, test = data.blobs{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.plane"] = {
    sig = "data.plane{n=, noise=, classes=, seed=, test=}",
    summary = "regression: y = (x1 + x2)/10 on [-5, 5]^2; with test = 0.3 returns train, test",
    example = [[train, test = data.plane{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.gauss_sum"] = {
    sig = "data.gauss_sum{n=, noise=, classes=, seed=, test=}",
    summary = "regression: a sum of six Gaussian bumps of alternating sign (Playground); with test = 0.3 returns train, test",
    example = [[train, test = data.gauss_sum{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.sine"] = {
    sig = "data.sine{n=, noise=, classes=, seed=, test=}",
    summary = "1-D regression: y = sin x on [-pi, pi]; with test = 0.3 returns train, test",
    example = [[train, test = data.sine{n = 400, noise = 0.1, test = 0.3}]],
  },
  ["data.from"] = {
    sig = "data.from(x, y [, {classes=, classify=}])",
    summary = "a data set from tensors x [n, features] and y [n, 1] (class indices from 0) or [n, targets]",
    example = [[d = data.from(nn.tensor{{0,0},{0,1},{1,0},{1,1}}, nn.tensor{{0},{1},{1},{0}}, {classes = 2})]],
  },
  ["data.csv"] = {
    sig = "data.csv(path, {label = column, classify = true, test = 0.2})",
    summary = "a CSV file with a header row: numeric columns are x, column `label` (from 1) is y; text labels become classes (their names are returned too)",
    example = [[d, names = data.csv("iris.csv", {label = 5, classify = true})]],
  },
  ["data.idx"] = {
    sig = "data.idx(images, labels [, {limit=}])",
    summary = "MNIST-style IDX files (gzip or raw): images scaled to [0, 1], labels as classes",
  },
  ["data.fashion_mnist"] = {
    sig = "data.fashion_mnist{limit=, split=}",
    summary = "Fashion-MNIST from Debian's dataset-fashion-mnist: train (60000) and test (10000) sets of 784 pixels, 10 classes (data.fashion_labels names them)",
    example = [[train, test = data.fashion_mnist{limit = 10000}]],
  },
  ["data.standardize"] = {
    sig = "data.standardize(train, ...)",
    summary = "fits mean and std on train and scales train and every other set with them (mean 0, std 1)",
    example = [[data.standardize(train, test)]],
  },
  ["data.minmax"] = {
    sig = "data.minmax(train, ...)",
    summary = "fits min and max on train and scales every set to [0, 1] with them",
  },
  ["dataset:x"] = {
    sig = "d:x()",
    summary = "the inputs as a new [n, features] tensor",
  },
  ["dataset:y"] = {
    sig = "d:y()",
    summary = "the targets as a new [n, 1] (class indices) or [n, targets] tensor",
  },
  ["dataset:one_hot"] = {
    sig = "d:one_hot()",
    summary = "the labels as one-hot rows [n, classes]",
  },
  ["dataset:info"] = {
    sig = "d:info()",
    summary = "a table: n, nx (features), ny (targets), classes",
  },
  ["dataset:shuffle"] = {
    sig = "d:shuffle()",
    summary = "shuffles the rows in place (the engine's seeded generator)",
  },
  ["dataset:split"] = {
    sig = "d:split(frac) -> a, b",
    summary = "the first 1-frac of the rows and the last frac, as new sets",
  },
  ["dataset:slice"] = {
    sig = "d:slice(first, count)",
    summary = "rows first .. first+count-1 as a new set",
  },
  ["dataset:features"] = {
    sig = "d:features(flags)",
    summary = "Playground's input features by bits (1 x1, 2 x2, 4 x1^2, 8 x2^2, 16 x1x2, 32 sin x1, 64 sin x2)",
  },
  ["dataset:playground"] = {
    sig = "d:playground{\"x1\", \"x2\", \"x1sq\", \"x2sq\", \"x1x2\", \"sin1\", \"sin2\"}",
    summary = "a new set with Playground's features of 2-D points",
  },
  ["dataset:scaler"] = {
    sig = "d:scaler(\"standard\"|\"minmax\")",
    summary = "column statistics fitted on d, for d2:scale(stats)",
  },
  ["dataset:scale"] = {
    sig = "d:scale(stats)",
    summary = "x = (x - shift)/scale with statistics from some set's scaler()",
  },
  ["dataset:free"] = {
    sig = "d:free()",
    summary = "releases the data set now",
  },
}
