-- doc/views.lua: help entries of the live training views (lua/views.lua) and the
-- playground (lua/playground.lua). plot.network's entry is in doc/plot.lua.
return {
  ["plot.decision"] = {
    sig = "view = plot.decision(model, data [, {test=, discretize=, n=, box=, features=, fps=, run=}])",
    summary = "the decision surface of a 2-D classifier (or a regression's surface), live",
    text = [[
Each class has its colour, lighter where the model is less sure; data points are
drawn filled, test points (test = a data set) hollow. discretize = true colours each
point by its most probable class only, as the Playground's "discretize output". For a
regression set the field is the predicted value. n is the grid's points per side
(100); box the region (the data's, with a margin); features the Playground features
the model was trained on ({"x1", "x2", "x1^2", ...}). At the prompt the view redraws
up to fps (20) times a second while its window is open; in scripts it draws when
made, on view:refresh() and on view:save(path). Clicking it calls the function given
With run = the run that trains the model in the background, space in the window
pauses and resumes it (run:step() then advances one mini-batch), and a click adds a
training point there (left: class view.click_class, 1; right or shift-left: the
next class): the
run stops and a new one (view.run) goes on with the same model and optimizer on the
larger set, as in ConvNetJS's 2-D demo. view:add_point(x1, x2, class) does the same.]],
    example = [[
train, test = data.xor{n = 400, test = 0.3}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
run = m:fit{train, loss = nn.bce, epochs = 200}
v = plot.decision(m, train, {test = test})]],
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
    example = [[v = plot.loss(run, {ylog = true})]],
  },
  ["playground"] = {
    sig = 'pg = playground{data = "spiral", hidden = {8, 8}, activation = "tanh", lr = 0.03, features = {"x1", "x2"}, ...}',
    summary = "the TensorFlow Playground: network, decision surface and loss, training live",
    text = [[
Settings (and their defaults): data ("spiral"; also circle, xor, gauss, moons, blobs,
and the regression sets plane, gauss_sum, sine), n (400 points), noise (0.1), classes
(2), test (0.5, the fraction held out), seed, hidden ({4, 2}), activation ("tanh"),
features ({"x1", "x2"}; also "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"), optimizer
("sgd"), init ("xavier_uniform"), lr (0.03), l1 and l2 (0), batch (10), epochs (until
stopped at the prompt, 200 in scripts), grid (100), discretize (false), fps (15, the
decision view's frames a second), speed (20 epochs a second at the prompt, so that
you can watch; 0 trains as fast as it can).

Every setting can be changed while it trains: pg.lr = 0.01 and pg.l2 = 0.001 apply at
the next step; pg.batch starts a new run of the same net; pg.hidden, pg.activation,
pg.features, pg.optimizer make a new net; pg.data, pg.noise, pg.n make new data.
Click the surface to add a training point of class pg.click_class (1), right-click
or shift-click for the other class: training goes on with it. Space in the window
pauses and resumes; pg.run:step() then advances one mini-batch. Hovering a neuron of
the network view shows its output over the input plane large, in a window of its
own; pg:neuron(layer, i) does the same (layer 0: the inputs). pg:stop() ends the
training.]],
    example = [[
pg = playground{data = "spiral", hidden = {8, 8}, activation = "tanh", lr = 0.03,
                features = {"x1", "x2", "x1^2"}}
pg.lr = 0.01]],
  },
}
