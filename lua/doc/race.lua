-- doc/race.lua: help entries of the optimizer races (lua/race.lua, lua/race_view.lua,
-- src/repl/bind_race.c).
return {
  ["race"] = {
    sig = 'race{surface = "saddle", optimizers = {"sgd", "momentum", {"adam", lr = 0.05}}, ...} -> r',
    summary = "optimizers racing on a 2-D loss surface, in a window, as a job",
    text = [[
Each racer is one of the engine's optimizers (the same C code that trains networks)
stepping the point (x, y) with the exact gradient of the surface.
Options:
  surface    a built-in surface (race.surfaces()): bowl valley rosenbrock beale saddle
             monkey plateau himmelblau rastrigin booth camel bumpy
  f          or your own: function(x, y) ... end, or a formula string "x^2 - y^2";
             gradients by dual numbers (exact); box = {xmin, xmax, ymin, ymax}
  optimizers names, or {name, lr = ..., momentum = ..., label = ..., start = {x, y},
             noise = s}; names: gd sgd momentum nesterov adagrad rmsprop adadelta adam
             adamw nadam rprop. Default learning rates: 0.3/curvature at the start for
             gd/sgd/momentum/nesterov, a fraction of the view for the adaptive ones.
  start      {x, y} for all, or {{x, y}, ...} one per optimizer (default: the surface's)
  steps      how many steps (300); noise = s adds N(0, s^2) to each gradient component,
             drawn from the engine's generator; seed = n seeds it first (same seed,
             same race); eps: "reached a minimum" radius (1% of the view)
  kappa      the valley's condition number (10); lr = x for every racer without one
  show       false: no window (r:show() later); play = false: open paused; the window
             of the previous race{} closes unless keep = true
A racer whose f errors or gives NaN/Inf, or that leaves the view uphill, stops alone
with a message (leaving it downhill, as on the saddles, is "left").
The window: contours (log-spaced where values span decades) with paths, heads and
legend; f (or f - min, log) against the step; the table (steps to within eps of a
minimum, * for a local one, final f, status); the step view of one racer (-lr*gradient,
velocity or -lr*m^, the step taken, magnified) with its effective per-coordinate
learning rates; the surface in 3-D (drag to turn). Click the surface: the Hessian's
eigenvectors there, scaled by eigenvalue (the curvature view).
Keys: space play/pause, . or right one step, , or left one back, + - speed, 0 rewind,
n next racer in the step view, [ ] halve or double its learning rate (from the shown
step on, as r:set does), e export PNG frames, s save a PNG, p projector.]],
    example = [[r = race{surface = "rosenbrock", optimizers = {"gd", "momentum", {"adam", lr = 0.05}}, steps = 500}]],
  },
  ["race.new"] = {
    sig = "race.new{...} -> r",
    summary = "a race with the options of race{...}, without a window (for scripts and tests)",
    example = [[r = race.new{surface = "bowl", optimizers = {"gd", "adam"}}; r:advance(); print(r:table())]],
  },
  ["race.surfaces"] = {
    sig = "race.surfaces() -> {names}",
    summary = "the built-in surfaces, each with exact gradient and Hessian, view box, starts and minima",
    text = [[
bowl x^2+y^2; valley (x^2 + kappa y^2)/2; rosenbrock; beale; saddle x^2-y^2; monkey
x^3-3xy^2; plateau 1-exp(-(x^2/4+y^2/2)); himmelblau (four minima); rastrigin (many
local minima); booth; camel (six-hump camel: two global, four local minima); bumpy (a
local minimum near the global one).]],
    example = [[for _, s in ipairs(race.surfaces()) do print(s) end]],
  },
  ["race.optimizers"] = {
    sig = "race.optimizers() -> {names}",
    summary = "the engine's optimizers a race can use",
    example = [[print(table.concat(race.optimizers(), " "))]],
  },
  ["race.find_minima"] = {
    sig = "race.find_minima(f, {xmin, xmax, ymin, ymax}) -> minima, values, nglobal",
    summary = "local minima of f(x, y) in a box: grid, then Newton with the exact dual Hessian",
    example = [[race.find_minima(function(x, y) return (x^2+y-11)^2 + (x+y^2-7)^2 end, {-5, 5, -5, 5})]],
  },
  ["race:advance"] = {
    sig = "r:advance([n]) -> r",
    summary = "computes n more steps (default: to r.steps) and shows the last",
    example = [[r:advance(100)]],
  },
  ["race:seek"] = {
    sig = "r:seek(k) -> r",
    summary = "shows step k (computing up to it when needed); no redraw",
    example = [[r:seek(0)]],
  },
  ["race:set"] = {
    sig = "r:set(racer, {lr = ..., ...}) -> r",
    summary = "changes a racer's hyper-parameters from the shown step on (mid-race)",
    text = [[
racer is a label ("adam") or an index. When the race was rewound, that racer's recorded
future is cut and recomputed with the new values; the others keep theirs.
r.racers.adam.opt.lr = 0.1 also works (from the next computed step).]],
    example = [[r:set("momentum", {lr = 0.001, momentum = 0.5})]],
  },
  ["race:results"] = {
    sig = "r:results() -> {{label, reached, global, value, x, y, diverged, left, message}, ...}",
    summary = "one row per racer at the shown step",
    example = [[for _, row in ipairs(r:results()) do print(row.label, row.reached, row.value) end]],
  },
  ["race:table"] = {
    sig = "r:table([compact]) -> string",
    summary = "the results as a table: steps to within eps of a minimum, f, place, status",
    example = [[print(r:table())]],
  },
  ["race:step_info"] = {
    sig = "r:step_info([racer [, k]]) -> {grad, gd_step, velocity, step_vec, state, effective_lr, ...}",
    summary = "the numbers of the step view: the update k-1 -> k and the optimizer's state after it",
    text = [[
state holds the optimizer's own arrays (velocity, sum_sq, mean_sq, m, v, ...) as the
engine had them after step k; effective_lr its per-coordinate step sizes.]],
    example = [[local s = r:step_info("adagrad"); print(s.effective_lr[1], s.effective_lr[2])]],
  },
  ["race:show"] = {
    sig = "r:show([{play = false}]) -> r",
    summary = "opens the race's window (and plays)",
    example = [[r:show()]],
  },
  ["race:play"] = {
    sig = "r:play() -> job",
    summary = "animates the race from the shown step (a job; space in the window)",
    example = [[r:play()]],
  },
  ["race:pause"] = {
    sig = "r:pause() -> r",
    summary = "stops the animation where it is",
    example = [[r:pause()]],
  },
  ["race:forward"] = {
    sig = "r:forward([n]) -> r",
    summary = "n steps forward (default 1), paused (key . or right)",
    example = [[r:forward()]],
  },
  ["race:back"] = {
    sig = "r:back([n]) -> r",
    summary = "n steps back along the recorded paths (key , or left)",
    example = [[r:back(10)]],
  },
  ["race:rewind"] = {
    sig = "r:rewind([k]) -> r",
    summary = "back to step k (default 0) (key 0)",
    example = [[r:rewind()]],
  },
  ["race:speed"] = {
    sig = "r:speed([steps_per_second]) -> speed",
    summary = "reads or sets the animation speed (keys + and -)",
    example = [[r:speed(120)]],
  },
  ["race:focus"] = {
    sig = "r:focus(racer) -> r",
    summary = "the racer the step view shows (key n cycles)",
    example = [[r:focus("adam")]],
  },
  ["race:curvature"] = {
    sig = "r:curvature(x, y) -> l1, l2, v1x, v1y, v2x, v2y",
    summary = "the Hessian's eigenvalues and eigenvectors at (x, y), drawn on the surface",
    text = [[
Arrows along the eigenvectors, scaled by eigenvalue; a negative eigenvalue's direction
(where f curves down, the escape from a saddle) is drawn both ways. A click on the
surface does the same.]],
    example = [[r:curvature(0, 0)]],
  },
  ["race:export"] = {
    sig = "r:export(prefix [, every [, upto]]) | r:export{gif =, fps =, every =, upto =, prefix =} -> frames",
    summary = "writes the race as numbered PNG frames prefix-000000.png, ... (key e) or an animated GIF",
    text = [[A frame every `every` steps (default 1) from step 0 to `upto` (default the last).
With gif = "race.gif" the frames go into one animated GIF playing fps (default 20, at
most 50) frames a second and looping; prefix = adds the PNGs as well. Works without a
display. Only what changed between frames is stored, but the frames are the window's
size: 200 steps of a 1500 x 900 race make about 9 MB (every = 2 halves that).]],
    example = [[r:export{gif = "/tmp/race.gif", every = 2}]],
  },
  ["race:close"] = {
    sig = "r:close() -> r",
    summary = "stops the animation and closes the race's window",
    example = [[r:close()]],
  },
  ["race:save"] = {
    sig = "r:save(path) -> r",
    summary = "the race's window as it is now, as a PNG",
    example = [[r:save("race.png")]],
  },
  ["surface:eval"] = {
    sig = "s:eval(x, y) -> f, fx, fy",
    summary = "a built-in surface's value and exact gradient (require 'nn.race'.surface(name))",
    example = [[local s = require("nn.race").surface("rosenbrock"); print(s:eval(-1.2, 1))]],
  },
  ["surface:hessian"] = {
    sig = "s:hessian(x, y) -> f, fx, fy, fxx, fxy, fyy",
    summary = "value, gradient and exact Hessian of a built-in surface",
    example = [[require("nn.race").surface("saddle"):hessian(0, 0)]],
  },
  ["surface:grid"] = {
    sig = "s:grid(nx, ny [, x0, x1, y0, y1]) -> {values}",
    summary = "f on a grid (row after row, y rising; the view box by default)",
    example = [[#require("nn.race").surface("bowl"):grid(10, 10)  --> 100]],
  },
  ["surface:info"] = {
    sig = "s:info() -> {name, formula, xmin, xmax, ymin, ymax, starts, minima, minval, nglobal, ...}",
    summary = "a built-in surface's view box, start points and known minima",
    example = [[require("nn.race").surface("himmelblau"):info().minima]],
  },
  ["surface:set_param"] = {
    sig = "s:set_param(value)",
    summary = "the valley's condition number kappa (>= 1)",
    example = [[local s = require("nn.race").surface("valley"); s:set_param(100)]],
  },
}
