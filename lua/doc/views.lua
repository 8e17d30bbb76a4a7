-- doc/views.lua: help entries of the live training views (lua/views.lua) and the
-- playground (lua/playground.lua). plot.network's entry is in doc/plot.lua.
return {
  ["plot.decision"] = {
    sig = "view = plot.decision(model, data [, {test=, show_test=, discretize=, n=, box=, features=, fps=, run=}])",
    summary = "the decision surface of a 2-D classifier (or a regression's surface), live",
    text = [[
Each class has its colour, lighter where the model is less sure; data points are
drawn filled, test points (test = a data set) as rings; a legend beside the plot names
the classes and the two kinds of points. t in the window (or v:toggle_test(), or
show_test = false) hides the test points. discretize = true colours each
point by its most probable class only, as the Playground's "discretize output". For a
regression set the field is the predicted value and each point is coloured by its
target on the field's own scale, so a well-fitted point disappears into the surface. n is the grid's points per side
(100); box the region (the data's, with a margin); features the Playground features
the model was trained on ({"x1", "x2", "x1^2", ...}). At the prompt the view redraws
up to fps (20) times a second while its window is open, its surface computed on a
thread of its own beside training (see v:tick()); in scripts it draws when
made, on view:refresh() and on view:save(path). Clicking it calls the function given
With run = the run that trains the model in the background, space in the window
pauses and resumes it (run:step() then advances one mini-batch), and a click adds a
training point there (left: class view.click_class, 1; right or shift-left: the
next class): the
run stops and a new one (view.run) goes on with the same model and optimizer on the
larger set, as in ConvNetJS's 2-D demo. view:add_point(x1, x2, class) does the same.]],
    example = [[
train, test = data.xor{n = 400, test = 0.3, seed = 1}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 50, verbose = false}
v = plot.decision(m, train, {test = test, show = false}); v:save("xor.png")]],
  },
  ["plot.loss"] = {
    sig = "view = plot.loss(run [, {ylog=, optimizer=, accuracy=, fps=}])",
    summary = "training and validation loss (and accuracy) of a run, growing live",
    text = [[
The training loss is drawn per epoch (for long epochs, in about 20 pieces an epoch),
the validation loss at each epoch's end; an accuracy panel joins when the run reports
accuracy. ylog = true draws the loss on a log scale. Markers show where the learning
rate of the run's optimizer was changed (opt.lr = 0.003 typed while it trains) and
where early stopping found the best epoch. Space in its window pauses and resumes a
run training in the background; run:step() then advances one mini-batch.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.loss(run, {ylog = true, show = false}); v:save("loss.png")]],
  },
  ["playground"] = {
    sig = 'pg = playground{data = "spiral", hidden = {8, 8}, activation = "tanh", lr = 0.03, features = {"x1", "x2"}, ...}',
    summary = "the TensorFlow Playground: network, decision surface and loss, training live",
    text = [[
Settings (and their defaults): data ("spiral"; also circle, xor, gauss, moons, blobs,
and the regression sets plane and gauss_sum, whose points are coloured by their
target on the surface's scale; the 1-D sine is refused), n (400 points), noise (0.1), classes
(2), test (0.5, the fraction held out), seed, hidden ({4, 2}), activation ("tanh"),
features ({"x1", "x2"}; also "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"), optimizer
("sgd"), init ("xavier_uniform"), lr (0.03), l1 and l2 (0), batch (10), epochs (until
stopped at the prompt, 200 in scripts), grid (100), discretize (false), fps (15, the
decision view's frames a second), speed (20 epochs a second at the prompt, so that
you can watch; 0 trains as fast as it can), show_test (true; t in the window flips it).
The neurons, the links and the output share the surface's colours: blue for class 1
(negative), orange for class 2 (positive).

Every setting can be changed while it trains: pg.lr = 0.01 and pg.l2 = 0.001 apply at
the next step; pg.batch starts a new run of the same net; pg.hidden, pg.activation,
pg.features, pg.optimizer make a new net; pg.data, pg.noise, pg.n make new data (a
dashed marker on the loss curve says where).
Click the surface to add a training point of class pg.click_class (1), right-click
or shift-click for the other class: training goes on with it. Space in the window
pauses and resumes; pg.run:step() then advances one mini-batch; r starts again from
new weights (pg:reset()). The line above the views shows the epoch, the training and
test loss, the learning rate and the layer sizes. playground{model = m} (a model, or
the name of a file nn.save wrote) starts from a net trained before, its widths as
hidden. When the loss climbs twentyfold, the curve turns to a log scale and the
title and the terminal say the run diverges. Hovering a neuron of
the network view shows its output over the input plane large, in a window of its
own; pg:neuron(layer, i) does the same (layer 0: the inputs). pg:stop() ends the
training; settings changed afterwards redraw the views without training again, until
pg.run:resume().]],
    example = [[
pg = playground{data = "spiral", hidden = {8, 8}, activation = "tanh", lr = 0.03,
                features = {"x1", "x2", "x1^2"}, epochs = 5}
pg.lr = 0.01
print(pg)]],
  },
  ["views"] = {
    sig = "views",
    summary = "the live views of training: plot.decision, plot.loss, plot.network(model), the playground",
    text = [[
A view is a table that owns a plot (view.plot) and redraws it from a model or a run:
at the prompt by itself (up to fps times a second while its window is open), in
scripts when made and on view:refresh() or view:save(path). Their methods:
  decision view   v:refresh()  v:tick()  v:add_point(x1, x2, class)  v:toggle_test([on])  v:save(path [, w, h])
  loss view       v:refresh()  v:follow(run [, continue])  v:save(path)
  network view    v:refresh()  v:neuron(layer, i)  v:save(path [, w, h])
  playground      pg:refresh()  pg:add_point(x1, x2, class)  pg:neuron(layer, i)  pg:stop()
  playground run  pg.run:pause()  :resume()  :step()  :status()  :history()  :losses()  :stop()
help("decision_view:add_point") and the like show each.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.decision(m, train, {show = false}); help(v)]],
  },
  ["decision_view:refresh"] = {
    sig = "v:refresh() -> v",
    summary = "recompute the decision surface from the model now and redraw the points",
    text = [[
Predicts the model on the n x n grid (in evaluation mode, without a graph), colours
each cell by class and confidence (or by value for regression), then draws the
training points filled and the test points hollow. At the prompt the view does it by
itself while its window is open; in a script call it after training more.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.decision(m, train, {show = false})
m:fit{train, loss = nn.bce, epochs = 5, verbose = false}; v:refresh()]],
  },
  ["decision_view:tick"] = {
    sig = "v:tick() -> v",
    summary = "the live redraw: the surface is computed on a thread of its own, beside training",
    text = [[
What the view does at the prompt (and the playground at its fps): it draws the
surface its worker thread finished since the last tick, then hands the worker a copy
of the weights of now (of the epoch shown, after run:seek). The worker runs the copy
over the n x n grid while training goes on, and draws the surface's heat map and
contours there too (as the plot last drew them; see w:layer_to), so watching costs the
training thread only the copies and the points, axes and text. A surface is always one version of the weights, drawn
a tick after they were taken; one computed for a model, grid or box the view no longer
shows is dropped. v:refresh() computes and draws at once instead.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.decision(m, train, {show = false})
v:tick(); m:fit{train, loss = nn.bce, epochs = 5, verbose = false}; v:tick()]],
  },
  ["field_worker:submit"] = {
    sig = "w:submit(model, grid, classes, tag [, wait [, plot, n, xmin, xmax, ymin, ymax]]) -> true | false | nil, why",
    summary = "a decision view's worker (v.worker): copy the weights, compute the surface on its thread",
    text = [[
The thread behind v:tick() (require "nn.field"; one per decision view, started on its
first job). Copies the model's weights and the grid's inputs [n, features] now, then
runs the copy over the grid on its own thread and turns the outputs into class
probabilities (classes 2: [1 - p, p]; more: softmax; 0: the values). false while a
job still runs; nil and the reason when the model does not fit the grid. With wait the
job runs at once on the caller's thread. With plot (a field plot that has been drawn)
and the grid's n points a side over the box, the thread also draws the surface's heat
map and contours as plot would, for w:layer_to.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
v = plot.decision(m, train, {show = false}); w = v.worker
g = nn.randn{100, 2}; w:submit(m, g, 2, 1); s, tag = w:result(true); print(s.shape[1], tag)]],
  },
  ["field_worker:result"] = {
    sig = "w:result([wait]) -> surface, tag | nil",
    summary = "the surface the worker finished (once), with the tag of its submit",
    text = [[
nil while the job runs (with wait: waits for it) or when none was submitted; nil and
the message when the forward failed. Each surface is taken once.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
v = plot.decision(m, train, {show = false}); w = v.worker
w:submit(m, nn.randn{50, 2}, 2, 7); print(select(2, w:result(true)), w:result())]],
  },
  ["field_worker:layer_to"] = {
    sig = "w:layer_to(plot, tag) -> boolean",
    summary = "give plot the heat map and contours the worker drew for the surface of submit tag",
    text = [[
Called right after plot:grid set that surface (the one w:result returned for tag):
plot's next frame copies what the worker's thread drew instead of drawing it, pixel
for pixel the same. false, and plot draws it as always, when the surface set is not
the worker's, or when nothing was drawn for it; a drawing made for another window
size or look of the plot is never shown.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
v = plot.decision(m, train, {n = 50, show = false}); w, p, b = v.worker, v.plot, v.box
p:save("layer.png", 640, 560) -- drawn once: the look the worker copies
w:submit(m, v.grid, 2, 1, false, p, 50, b.xmin, b.xmax, b.ymin, b.ymax)
s = w:result(true); p:grid(s:reshape{50, 100}, b.xmin, b.xmax, b.ymin, b.ymax, 2)
print(w:layer_to(p, 1))]],
  },
  ["field_worker:busy"] = {
    sig = "w:busy() -> boolean",
    summary = "whether a job of the worker is queued or running",
    text = [[
v:tick() hands over new weights only when the worker is not busy: a slow surface
skips frames instead of queueing them.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
v = plot.decision(m, train, {show = false}); w = v.worker
w:submit(m, nn.randn{50, 2}, 2, 1); w:result(true); print(w:busy())]],
  },
  ["field_worker:close"] = {
    sig = "w:close()",
    summary = "stop the worker's thread (a running job is cancelled); also when collected",
    text = [[
Closing the view's window, or dropping the view, leaves the thread to end when the
worker is collected; close ends it now. A closed worker refuses jobs.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
v = plot.decision(m, train, {show = false}); w = v.worker
w:close(); print(w)]],
  },
  ["decision_view:toggle_test"] = {
    sig = "v:toggle_test([on]) -> v",
    summary = "hide or show the test points (t in the window)",
    text = [[
Without an argument it flips; true shows, false hides. plot.decision(m, d, {show_test =
false}) starts with them hidden; the playground's setting is pg.show_test.]],
    example = [[
nn.seed(1); d = data.xor{n = 100}
tr, te = d:split(0.5)
m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
v = plot.decision(m, tr, {test = te, show = false})
v:toggle_test(false)]],
  },
  ["decision_view:add_point"] = {
    sig = "v:add_point(x1, x2, class) -> v",
    summary = "add a training point of class (1 to k) at (x1, x2); a run the view follows trains on with it",
    text = [[
Only for classification sets; class is an integer from 1 (the first class, label 0)
to the number of classes, anything else is refused with the range. When the view was
made with run = r, that run stops and a new one (v.run) continues the same model and
optimizer on the larger set for the epochs that were left (or as many again). A
click on the surface calls it.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.decision(m, train, {run = run, show = false})
v:add_point(0.5, 0.5, 2); print(v.data:info().n)   --> 201]],
  },
  ["decision_view:save"] = {
    sig = "v:save(path [, width, height])",
    summary = "refresh the surface and write the view to a PNG",
    text = [[
Works without a display; width and height in pixels default to the panel's size.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.decision(m, train, {show = false}); v:save("decision.png", 800, 700)]],
  },
  ["loss_view:refresh"] = {
    sig = "v:refresh() -> v",
    summary = "draw what the run did since the last refresh",
    text = [[
Appends the step losses (averaged in about 20 pieces an epoch, so a long run stays
light), each epoch's validation loss and accuracies, and markers where early
stopping found its best epoch or the optimizer's lr was changed. At the prompt the
view does it by itself.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.loss(run, {show = false}); v:refresh()]],
  },
  ["loss_view:undiverge"] = {
    sig = "view:undiverge()",
    summary = "back to a linear scale after the view marked a run as diverging",
    example = [[
nn.seed(1); train = data.xor{n = 100}
m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{train, loss = nn.bce, epochs = 3, verbose = false}
v = plot.loss(run, {show = false}); v:undiverge()]],
    text = [[
When a run's loss climbs twentyfold above the lowest it reached (or is no longer a
number), the view turns its curve to a log scale, titles it "diverging" and says so in
the terminal, once. A new curve (follow(run) without continue, pg:reset()) starts
linear again; undiverge() does it by hand. Returns the view.]],
  },
  ["loss_view:follow"] = {
    sig = "v:follow(run [, continue]) -> v",
    summary = "follow another run: with continue = true its curve goes on where the last ended, else it starts afresh",
    text = [[
Use continue = true when the same model trains on (after adding data, or a second
fit); without it the plot is cleared for the new run. The x axis counts epochs
across the runs followed.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.loss(run, {show = false})
run2 = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v:follow(run2, true):save("both.png")]],
  },
  ["loss_view:save"] = {
    sig = "v:save(path)",
    summary = "refresh the curves and write them (and the accuracy panel, when there is one) to a PNG",
    text = [[
When the run reports accuracy the loss and accuracy panels share a window and both
are saved; works without a display.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
plot.loss(run, {show = false}):save("curves.png")]],
  },
  ["network_view:refresh"] = {
    sig = "v:refresh() -> v",
    summary = "redraw the network: each neuron's output over the input plane and the links by weight",
    text = [[
Each node shows, as a res x res heat map over the box, the output of that neuron for
every input point; link colour is the weight's sign, thickness its size. An enlarged
neuron (v:neuron) is redrawn too.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.network(m, {show = false}); v:refresh()]],
  },
  ["network_view:neuron"] = {
    sig = "v:neuron(layer, i) -> plot",
    summary = "open one neuron's output over the input plane, large, in a window of its own",
    text = [[
layer 0 is the inputs, the last layer the output; i counts from 1. Out-of-range
numbers are refused with the ranges. One enlarged plot is reused: hovering another
neuron retitles it. Returns that field plot.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
v = plot.network(m, {show = false})
p = v:neuron(1, 2); p:save("neuron.png")]],
  },
  ["network_view:save"] = {
    sig = "v:save(path [, width, height])",
    summary = "refresh the network and write it to a PNG",
    text = [[
Works without a display; the size defaults to the panel's.]],
    example = [[
nn.seed(1); train = data.xor{n = 200}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 5, verbose = false}
plot.network(m, {show = false}):save("network.png")]],
  },
  ["playground:refresh"] = {
    sig = "pg:refresh() -> pg",
    summary = "redraw the playground's three views (decision surface, network, loss) now",
    text = [[
The playground does it by itself at the prompt; in a script after pg.run:step() or
changing a setting.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
pg:refresh()]],
  },
  ["playground:add_point"] = {
    sig = "pg:add_point(x1, x2, class) -> pg",
    summary = "add a training point of class (1 to k) at (x1, x2) and train on with it",
    text = [[
Only for classification data; class counts from 1. Training goes on from the same
weights on the larger set, and the loss curve continues. A click on the surface
calls it (right or shift-click: the other class).]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
pg:add_point(0.5, -0.5, 1)]],
  },
  ["playground:neuron"] = {
    sig = "pg:neuron(layer, i) -> plot",
    summary = "one neuron's output over the input plane, large, in a window of its own",
    text = [[
The same as network_view:neuron on the playground's network view: layer 0 the
inputs, i from 1; hovering a neuron does it too.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
p = pg:neuron(1, 1); p:save("neuron.png")]],
  },
  ["playground:reset"] = {
    sig = "pg:reset()",
    summary = "a new net from new random weights, same settings; training starts again (key r)",
    example = [[
pg = playground{data = "xor", epochs = 3}
pg:reset()]],
    text = [[
For when a run has diverged or stalled in front of a class: the data stay, the loss
curve starts again on a linear scale. Returns pg.]],
  },
  ["playground:stop"] = {
    sig = "pg:stop() -> pg",
    summary = "stop the training and its job; the window stays until it is closed",
    text = [[
Setting pg.hidden, pg.data and the others afterwards still rebuilds the net or the
data (and at the prompt starts training again).]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
pg:stop(); print(pg.run:status().state)]],
  },
  ["playground_run:pause"] = {
    sig = "pg.run:pause() -> run",
    summary = "pause the playground's training (space in its window)",
    text = [[
pg.run:step() then advances one mini-batch and redraws; pg.run:resume() goes on.
Nothing happens when the training has ended.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
pg.run:pause(); pg.run:resume()]],
  },
  ["playground_run:resume"] = {
    sig = "pg.run:resume() -> run",
    summary = "go on with paused training",
    text = [[
Undoes pg.run:pause() or a space in the window.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
pg.run:pause():resume()]],
  },
  ["playground_run:step"] = {
    sig = "pg.run:step() -> status",
    summary = "one mini-batch step while paused, then a redraw; returns the status",
    text = [[
Raises an error while the playground trains: pause it first. Watch the decision
surface move one update at a time.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
print(pg.run:step().step)]],
  },
  ["playground_run:status"] = {
    sig = "pg.run:status()",
    summary = "where the training stands: state, epoch, step, last_loss, ... as run:status()",
    text = [[
The same table as a fit's run:status() gives, for the playground's current run (a
new run starts when the net, the data or the batch changes).]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
s = pg.run:status(); print(s.epoch, s.last_loss)]],
  },
  ["playground_run:history"] = {
    sig = "pg.run:history()",
    summary = "per epoch: loss, acc, val_loss (the test set), val_acc, seconds",
    text = [[
As run.history of a fit; the playground's test points are its validation set.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
print(#pg.run:history().loss)]],
  },
  ["playground_run:losses"] = {
    sig = "pg.run:losses([from])",
    summary = "the loss of every step (from step `from` on)",
    text = [[
One number per mini-batch since the current run began.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
print(#pg.run:losses())]],
  },
  ["playground_run:stop"] = {
    sig = "pg.run:stop() -> run",
    summary = "stop the training (the same as pg:stop())",
    text = [[
The views stay and can still be refreshed and saved.]],
    example = [[
pg = playground{data = "xor", n = 100, hidden = {4}, epochs = 2}
pg.run:stop()]],
  },
}
