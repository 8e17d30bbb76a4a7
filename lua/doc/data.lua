-- doc/data.lua: help entries of data sets (data.*, dataset:*), from lua/data.lua
-- and src/repl/bind_data.c.
return {
  ["data.circle"] = {
    sig = "data.circle{n=, noise=, classes=, seed=, test=}",
    summary = "two classes: 1 inside radius 2.5, 0 in the ring 3.5..5 (TensorFlow Playground); with test = 0.3 returns train, test",
    example = [[
train, test = data.circle{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0 by default, a fraction of the radius 5);
seed = s seeds the engine's generator first, so the same seed gives the same set. The rows
are shuffled (shuffle = false keeps them in order); test = f splits the last
fraction f off and returns train, test. x is [n, 2]; y holds class indices from 0
([n, 1]), ready for nn.cross_entropy (or nn.bce with two classes).]],
  },
  ["data.xor"] = {
    sig = "data.xor{n=, noise=, classes=, seed=, test=}",
    summary = "two classes by the sign of x1 x2 (Playground's XOR); with test = 0.3 returns train, test",
    example = [[
train, test = data.xor{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0); seed = s seeds the engine's generator first,
so the same seed gives the same set. The rows are shuffled (shuffle = false keeps
them in order); test = f splits the last fraction f off and returns train, test. x
is [n, 2]; y holds class indices from 0 ([n, 1]), ready for nn.cross_entropy (or
nn.bce with two classes). No line separates the classes: a perceptron fails, one
hidden layer (or the x1x2 feature) succeeds.]],
  },
  ["data.gauss"] = {
    sig = "data.gauss{n=, noise=, classes=, seed=, test=}",
    summary = "two Gaussian clusters around (2,2) and (-2,-2); with test = 0.3 returns train, test",
    example = [[
train, test = data.gauss{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0; it widens the clusters); seed = s seeds the
engine's generator first, so the same seed gives the same set. The rows are shuffled
(shuffle = false keeps them in order); test = f splits the last fraction f off and
returns train, test. x is [n, 2]; y holds class indices from 0 ([n, 1]), ready for
nn.cross_entropy (or nn.bce with two classes). Linearly separable: a single neuron
is enough.]],
  },
  ["data.spiral"] = {
    sig = "data.spiral{n=, noise=, classes=, seed=, test=}",
    summary = "k interleaved spiral arms (classes = 2 by default; noise jitters the angle); with test = 0.3 returns train, test",
    example = [[
train, test = data.spiral{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 400) with noise (0.1); seed = s seeds the engine's generator
first, so the same seed gives the same set. The rows are shuffled (shuffle = false
keeps them in order); test = f splits the last fraction f off and returns train,
test. x is [n, 2]; y holds class indices from 0 ([n, 1]), ready for nn.cross_entropy
(or nn.bce with two classes). classes = k gives k arms; the hardest of the
Playground's sets.]],
  },
  ["data.moons"] = {
    sig = "data.moons{n=, noise=, classes=, seed=, test=}",
    summary = "two interleaving half moons (scikit-learn's, scaled); with test = 0.3 returns train, test",
    example = [[
train, test = data.moons{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0.1); seed = s seeds the engine's generator
first, so the same seed gives the same set. The rows are shuffled (shuffle = false
keeps them in order); test = f splits the last fraction f off and returns train,
test. x is [n, 2]; y holds class indices from 0 ([n, 1]), ready for nn.cross_entropy
(or nn.bce with two classes).]],
  },
  ["data.blobs"] = {
    sig = "data.blobs{n=, noise=, classes=, seed=, test=}",
    summary = "k Gaussian clusters on a circle (classes = 3 by default); with test = 0.3 returns train, test",
    example = [[
train, test = data.blobs{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0; it widens the clusters); seed = s seeds the
engine's generator first, so the same seed gives the same set. The rows are shuffled
(shuffle = false keeps them in order); test = f splits the last fraction f off and
returns train, test. x is [n, 2]; y holds class indices from 0 ([n, 1]), ready for
nn.cross_entropy (or nn.bce with two classes). classes = 3 by default.]],
  },
  ["data.plane"] = {
    sig = "data.plane{n=, noise=, classes=, seed=, test=}",
    summary = "regression: y = (x1 + x2)/10 on [-5, 5]^2; with test = 0.3 returns train, test",
    example = [[
train, test = data.plane{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0, added to y); seed = s seeds the engine's
generator first, so the same seed gives the same set. The rows are shuffled (shuffle
= false keeps them in order); test = f splits the last fraction f off and returns
train, test. x is [n, 2]; y is the target value [n, 1], for nn.mse.]],
  },
  ["data.gauss_sum"] = {
    sig = "data.gauss_sum{n=, noise=, classes=, seed=, test=}",
    summary = "regression: a sum of six Gaussian bumps of alternating sign (Playground); with test = 0.3 returns train, test",
    example = [[
train, test = data.gauss_sum{n = 400, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n)   --> 280 120]],
    text = [[
n points (default 500) with noise (0, added to y); seed = s seeds the engine's
generator first, so the same seed gives the same set. The rows are shuffled (shuffle
= false keeps them in order); test = f splits the last fraction f off and returns
train, test. x is [n, 2]; y is the target value [n, 1], for nn.mse.]],
  },
  ["data.sine"] = {
    sig = "data.sine{n=, noise=, classes=, seed=, test=}",
    summary = "1-D regression: y = sin x on [-pi, pi]; with test = 0.3 returns train, test",
    example = [[
train = data.sine{n = 100, seed = 1}; print(train:info().nx)   --> 1]],
    text = [[
n points (default 200) with noise (0.05) added to y; seed, shuffle and test as for
the other sets. x is [n, 1], y [n, 1]: the 1-D regression of the course's
function-approximation lessons.]],
  },
  ["data.from"] = {
    sig = "data.from(x, y [, {classes=, classify=}])",
    summary = "a data set from tensors x [n, features] (or [n, ...]: images, sequences) and y [n, 1] (class indices from 0) or [n, targets]",
    example = [[
d = data.from(nn.tensor{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, nn.tensor{{0}, {1}, {1}, {0}}, {classes = 2})
print(d:info().n, d:info().classes)   --> 4 2]],
    text = [[
x and y must have the same number of rows (an error names both). A sample keeps its
shape: x [n, 1, 28, 28] makes a set of images, [n, T] or [n, T, F] of sequences. classes = k makes a
classification set whose y holds class indices 0 .. k-1; classify = true counts the
classes from the largest label. Without either, y is a regression target. A y of
[n, T] with classes labels every step (a tagger's, a language model's next token),
-1 where a step is padding: accuracy and the confusion matrix count tokens, padding
left out, and seq_cross_entropy is the default loss.]],
  },
  ["data.csv"] = {
    sig = "data.csv(path, {label = name or column, classify =, test =, shuffle =, seed =}) -> set(s), info",
    summary = "a CSV file with a header row: the label column (by name, or number from 1) is y, the other columns x; text labels become classes",
    example = [[
f = io.open("tiny.csv", "w")
f:write("a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n"); f:close()
d, info = data.csv("tiny.csv", {label = "kind"})
print(d:info().n, info.features[1], info.classes[1], info.classes[2])   --> 3 a cat dog]],
    text = [[
The first row names the columns. label is the target column, by its header name or
its number from 1; the other columns are the features and must be numbers. Without
label every column is a feature. Text labels are classes, numbered in order of appearance;
classify = true makes numeric labels classes too. The second result, info, has
columns (the header), features (x's column names), label (the label's name) and
classes (the text labels by class id + 1). test = f returns train, test, info (shuffled
with seed first when given). A file that cannot be read, a missing column, or a cell
that is not a number is an error that names the file, line and column.]],
  },
  ["data.idx"] = {
    sig = "data.idx(images, labels [, {limit=, shape=}])",
    summary = "MNIST-style IDX files (gzip or raw): images scaled to [0, 1], labels as classes",
    text = [[
The IDX format of MNIST and Fashion-MNIST, gzip-compressed or raw: images [n, h*w]
scaled from bytes to [0, 1], labels as classes. limit = k reads only the first k.
shape = "image" makes square images [n, 1, h, w]; a table such as {1, 28, 28} gives
each image those sizes. A file that is not IDX is refused with the reason.]],
    example = [[
dir = "/usr/share/datasets/fashion-mnist/"
d = data.idx(dir .. "t10k-images-idx3-ubyte.gz", dir .. "t10k-labels-idx1-ubyte.gz", {limit = 100})
print(d:info().nx, d:info().classes)   --> 784 10]],
  },
  ["data.fashion_mnist"] = {
    sig = "data.fashion_mnist{limit=, split=, shape=}",
    summary = "Fashion-MNIST from Debian's dataset-fashion-mnist: train (60000) and test (10000) sets of 784 pixels, 10 classes (data.fashion_labels names them)",
    example = [[
train, test = data.fashion_mnist{limit = 200}
print(train:info().n, data.fashion_labels[test:y():totable()[1][1] + 1])]],
    text = [[
Reads /usr/share/datasets/fashion-mnist/ (Debian's dataset-fashion-mnist package).
split = "train" or "test" returns one set; the default returns both. limit = k keeps
the first k images of each, which loads far faster. shape = "image" gives samples
[1, 28, 28] (x is [n, 1, 28, 28], for layers of images: nn.flatten() before a
linear layer); the default "flat" gives rows of 784. Pixels are in [0, 1];
plot.images{images = d:x():rows(1, 16):reshape(16, 28, 28)} shows some.]],
  },
  ["data.standardize"] = {
    sig = "data.standardize(train, ...)",
    summary = "fits mean and std on train and scales train and every other set with them (mean 0, std 1)",
    example = [[
train, test = data.gauss{n = 200, test = 0.5, seed = 1}
data.standardize(train, test)
print(train:x():mean(1))   -- about 0, 0]],
    text = [[
Changes the sets in place and returns the statistics (what train:scaler("standard")
gives). Fitting on the training set only keeps the test set honest. Only x is
scaled, not y.]],
  },
  ["data.minmax"] = {
    sig = "data.minmax(train, ...)",
    summary = "fits min and max on train and scales every set to [0, 1] with them",
    text = [[
Changes the sets in place and returns the statistics; test values can fall outside
[0, 1] when they lie beyond the training range. Only x is scaled.]],
    example = [[
train, test = data.gauss{n = 200, test = 0.5, seed = 1}
data.minmax(train, test)
print(train:x():max(1))   -- 1, 1]],
  },
  ["dataset:x"] = {
    sig = "d:x()",
    summary = "the inputs as a new [n, features] tensor ([n, 1, 28, 28] for a set of images)",
    text = [[
A copy: changing it leaves the set alone. Its shape is [n] followed by the shape of a
sample (d:info().shape).]],
    example = [[
d = data.xor{n = 10, seed = 1}; print(d:x().shape[1], d:x().shape[2])   --> 10 2]],
  },
  ["dataset:y"] = {
    sig = "d:y()",
    summary = "the targets as a new [n, 1] (class indices) or [n, targets] tensor",
    text = [[
A copy. Class indices count from 0 and are stored as floats.]],
    example = [[
d = data.xor{n = 4, seed = 1}; print(d:y())]],
  },
  ["dataset:one_hot"] = {
    sig = "d:one_hot()",
    summary = "the labels as one-hot rows [n, classes]",
    text = [[
Row i has a 1 in column y_i + 1; refused for a regression set (no classes).]],
    example = [[
d = data.blobs{n = 6, classes = 3, seed = 1}; print(d:one_hot())]],
  },
  ["dataset:reshape"] = {
    sig = "d:reshape({sizes...} [, of_y])",
    summary = "gives each sample of x (of y with of_y = true) the shape of the given sizes, of as many values; no copy",
    example = [[
d = data.from(nn.zeros{8, 784}, nn.zeros{8, 1}, {classes = 2})
d:reshape{1, 28, 28}; print(d:x().shape[2], d:x().shape[4])   --> 1 28]],
    text = [[
A sample of 1 to 3 sizes whose product is the values a sample has (nx), else an error
names both. Images from data.idx or data.fashion_mnist can be had shaped at once with
shape = "image". Returns d.]],
  },
  ["dataset:info"] = {
    sig = "d:info()",
    summary = "a table: n, nx (features), ny (targets), classes, shape and yshape (a sample's sizes)",
    text = [[
classes is 0 for a regression set. shape is the sizes of one sample of x ({2} for
points, {1, 28, 28} for images), nx their product; yshape and ny the same for y.]],
    example = [[
i = data.spiral{n = 100, classes = 3}:info(); print(i.n, i.nx, i.ny, i.classes)]],
  },
  ["dataset:shuffle"] = {
    sig = "d:shuffle()",
    summary = "shuffles the rows in place (the engine's seeded generator)",
    text = [[
Rows move together with their targets; nn.seed(n) before makes the order repeat. The
makers already shuffle; fit reshuffles each epoch itself (shuffle = false stops
that).]],
    example = [[
nn.seed(1); d = data.xor{n = 5, shuffle = false}; d:shuffle(); print(d:y())]],
  },
  ["dataset:split"] = {
    sig = "d:split(frac) -> a, b",
    summary = "the first 1-frac of the rows and the last frac, as new sets",
    text = [[
frac must be in (0, 1); the rows are not shuffled first (shuffle the set, or use the
makers' test = option). The original set is unchanged.]],
    example = [[
a, b = data.xor{n = 100}:split(0.2); print(a:info().n, b:info().n)   --> 80 20]],
  },
  ["dataset:slice"] = {
    sig = "d:slice(first, count)",
    summary = "rows first .. first+count-1 as a new set",
    text = [[
first counts from 1; rows beyond the end are refused with the range.]],
    example = [[
d = data.xor{n = 100}:slice(11, 10); print(d:info().n)   --> 10]],
  },
  ["dataset:features"] = {
    sig = "d:features(flags)",
    summary = "Playground's input features by bits (1 x1, 2 x2, 4 x1^2, 8 x2^2, 16 x1x2, 32 sin x1, 64 sin x2)",
    text = [[
d must hold 2-D points; the new set has one column per bit set, in the order of the
bits, and the same targets. d:playground{...} does the same by names.]],
    example = [[
d = data.circle{n = 10}:features(1 | 2 | 4 | 8); print(d:info().nx)   --> 4]],
  },
  ["dataset:playground"] = {
    sig = "d:playground{\"x1\", \"x2\", \"x1sq\", \"x2sq\", \"x1x2\", \"sin1\", \"sin2\"}",
    summary = "a new set with Playground's features of 2-D points",
    text = [[
Names: x1, x2, x1sq, x2sq, x1x2, sin1, sin2 (the default is {"x1", "x2"}); an
unknown name is refused with the list. With x1sq and x2sq a single neuron separates
data.circle.]],
    example = [[
d = data.circle{n = 100}:playground{"x1sq", "x2sq"}; print(d:info().nx)   --> 2]],
  },
  ["dataset:scaler"] = {
    sig = "d:scaler(\"standard\"|\"minmax\")",
    summary = "column statistics fitted on d, for d2:scale(stats)",
    text = [[
"standard" gives each column's mean (shift) and standard deviation (scale); "minmax"
its min and max - min. Apply them with d:scale(stats) to any set of the same width;
data.standardize does both steps.]],
    example = [[
train, test = data.gauss{n = 100, test = 0.5}
st = train:scaler("standard"); train:scale(st); test:scale(st)]],
  },
  ["dataset:scale"] = {
    sig = "d:scale(stats)",
    summary = "x = (x - shift)/scale with statistics from some set's scaler()",
    text = [[
In place; stats come from some set's scaler() and must have the set's width.]],
    example = [[
d = data.gauss{n = 100}; d:scale(d:scaler("minmax")); print(d:x():max(1))   -- 1, 1]],
  },
  ["dataset:free"] = {
    sig = "d:free()",
    summary = "releases the data set now",
    text = [[
Frees the rows at once instead of at garbage collection; later use raises an error.]],
    example = [[
d = data.xor{n = 1000}; d:free()]],
  },
  ["data.fashion_labels"] = {
    sig = "data.fashion_labels",
    summary = "the names of Fashion-MNIST's ten classes, in the order of the labels (class 0 is \"T-shirt/top\")",
    text = [[
A list of ten strings: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt,
Sneaker, Bag, Ankle boot. Class c (0-based, as in the data) is data.fashion_labels[c
+ 1].]],
    example = [[
print(data.fashion_labels[9 + 1])   --> Ankle boot]],
  },
}
