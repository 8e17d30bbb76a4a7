-- doc/experiment.lua: help entries of experiment{...} (lua/experiment.lua) and its methods.
return {
  ["experiment"] = {
    sig = "ex = experiment{base = {...}, vary = {lr = {...}, dropout = {...}}, csv = \"experiment.csv\", metric=, title=, show=, verbose=}",
    summary = "trains every combination of the varied settings one after another (a job at the prompt), overlays their validation curves, prints a results table and saves it as CSV",
    text = [[
base holds the settings every run shares; vary a list of values for each setting to
try; every combination is one run (the product: lr {3 values} x dropout {2} = 6).
Settings: data (the training set, required), validation (a set or a fraction,
required), epochs (10), batch (32), lr, optimizer (a name, "adam"), loss, l1, l2,
patience, schedule, seed (1: each run starts from the same seed), momentum, and the
model: either model = function(config) returning a new model, or an MLP made from
hidden (a width or a list, {64}), activation ("relu"), dropout, batchnorm (true
puts batch norm after each hidden linear layer), init and bias. An unknown setting
is refused with the list.
The plot draws each run's validation accuracy (metric = "val_loss" for the loss;
regression sets use it by default) per epoch, one legend entry per run. At the
end the table (best value, its epoch, seconds; best first) is printed and saved to
csv (a column per varied setting; csv = false saves nothing). At the prompt it runs
as a background job: ex:wait() waits, ex:stop() stops. ex.results[i] has label,
config, best, epoch, seconds, run and model for configuration i.]],
    example = [[
train, test = data.spiral{n = 300, test = 0.3, seed = 1}
ex = experiment{base = {data = train, validation = test, epochs = 5, hidden = {16}},
                vary = {lr = {0.003, 0.03}, dropout = {0, 0.2}}, csv = "grid.csv", show = false}
print(ex:best().label)]],
  },
  ["experiment:wait"] = {
    sig = "ex:wait() -> ex",
    summary = "runs a background experiment in the foreground until it ends",
    text = [[
At the prompt experiment{...} returns at once and trains as a job; wait blocks until
the table is printed (Ctrl-C stops). In a script it returns at once: the
experiment has already run.]],
    example = [[
train, test = data.xor{n = 200, test = 0.3, seed = 1}
ex = experiment{base = {data = train, validation = test, epochs = 2}, vary = {lr = {0.01, 0.1}},
                csv = false, show = false, verbose = false}
print(ex:wait().state)]],
  },
  ["experiment:stop"] = {
    sig = "ex:stop() -> ex",
    summary = "stops the run that is training and skips the configurations not yet run",
    text = [[
The table and the CSV then hold the runs that finished (and the stopped one).]],
    example = [[
train, test = data.xor{n = 200, test = 0.3, seed = 1}
ex = experiment{base = {data = train, validation = test, epochs = 2}, vary = {lr = {0.01}},
                csv = false, show = false, verbose = false}
ex:stop()]],
  },
  ["experiment:table"] = {
    sig = "ex:table() -> string",
    summary = "the results table: configuration, best validation value, its epoch, seconds; best first",
    text = [[
What the experiment prints when it ends; failed runs are marked.]],
    example = [[
train, test = data.xor{n = 200, test = 0.3, seed = 1}
ex = experiment{base = {data = train, validation = test, epochs = 3}, vary = {hidden = {2, 8}},
                csv = false, show = false, verbose = false}
print(ex:table())]],
  },
  ["experiment:save_csv"] = {
    sig = "ex:save_csv(path) -> path",
    summary = "writes the results as CSV: a column per varied setting, then best value, best epoch, epochs, seconds, state",
    text = [[
The experiment saves to its csv = file itself when it ends; call this for another
copy. An unwritable path is an error naming it.]],
    example = [[
train, test = data.xor{n = 200, test = 0.3, seed = 1}
ex = experiment{base = {data = train, validation = test, epochs = 2}, vary = {lr = {0.01, 0.1}},
                csv = false, show = false, verbose = false}
ex:save_csv("results.csv")]],
  },
  ["experiment:best"] = {
    sig = "ex:best() -> row",
    summary = "the results row of the best configuration (highest validation accuracy, or lowest loss)",
    text = [[
A table with label, config, best, epoch, epochs, seconds, state, run and model: the
model is trained and ready to use.]],
    example = [[
train, test = data.xor{n = 200, test = 0.3, seed = 1}
ex = experiment{base = {data = train, validation = test, epochs = 3}, vary = {lr = {0.01, 0.1}},
                csv = false, show = false, verbose = false}
print(ex:best().label, ex:best().best)]],
  },
}
