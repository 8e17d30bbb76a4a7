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
step on, as r:set does), e export PNG frames, s save a PNG, p projector.
Functions: race{...} (window and play), race.new{...} (no window), race.surfaces(),
race.optimizers(), race.find_minima(f, box). Race methods (?race:play): advance,
play, pause, forward, back, rewind, seek, set, results, table, step_info, curvature,
export, save, close.]],
    example = [[
r = race{surface = "rosenbrock", optimizers = {"gd", "momentum", {"adam", lr = 0.05}}, steps = 100}
print(r:table())]],
  },
  ["race.new"] = {
    sig = "race.new{...} -> r",
    summary = "a race with the options of race{...}, without a window (for scripts and tests)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "adam"}}; r:advance(); print(r:table())]],
    text = [[
Takes every option of race{...} but makes no window and computes nothing yet:
r:advance() computes the steps, r:show() opens the window later. Bad options (an
unknown surface or optimizer, a formula that does not parse) are refused with the
reason.]],
  },
  ["race.surfaces"] = {
    sig = "race.surfaces() -> {names}",
    summary = "the built-in surfaces, each with exact gradient and Hessian, view box, starts and minima",
    text = [[
bowl x^2+y^2; valley (x^2 + kappa y^2)/2; rosenbrock; beale; saddle x^2-y^2; monkey
x^3-3xy^2; plateau 1-exp(-(x^2/4+y^2/2)); himmelblau (four minima); rastrigin (many
local minima); booth; camel (six-hump camel: two global, four local minima); bumpy (a
local minimum near the global one).]],
    example = [[
print(table.concat(race.surfaces(), " "))]],
  },
  ["race.optimizers"] = {
    sig = "race.optimizers() -> {names}",
    summary = "the engine's optimizers a race can use",
    example = [[
print(table.concat(race.optimizers(), " "))]],
    text = [[
The same names as optim.names(): each racer runs the engine's own update rule, so
what you see on the surface is what trains networks.]],
  },
  ["race.find_minima"] = {
    sig = "race.find_minima(f, {xmin, xmax, ymin, ymax}) -> minima, values, nglobal",
    summary = "local minima of f(x, y) in a box: grid, then Newton with the exact dual Hessian",
    example = [[
mins, vals, nglobal = race.find_minima(function(x, y) return (x^2+y-11)^2 + (x+y^2-7)^2 end, {-5, 5, -5, 5})
print(#mins, nglobal)   -- Himmelblau: 4 global minima]],
    text = [[
Samples f on a 41 x 41 grid over the box, runs Newton's method (with the exact
Hessian from dual numbers) from each cell lower than its eight neighbours, and keeps
the distinct points inside the box where the gradient vanishes and the Hessian is
positive definite. Returns the minima as {x, y} pairs sorted by value, their values,
and how many share the lowest value (the global ones). A race does this for a surface
of your own, to say who reached a minimum.]],
  },
  ["race:advance"] = {
    sig = "r:advance([n]) -> r",
    summary = "shows the step n after the shown one (default: r.steps), computing what is needed",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance(10); print(r.k)   --> 10]],
    text = [[
Steps every racer in lockstep (a stopped racer stays put), counting from the step
shown now (also after a rewind). Without n it goes to r.steps. An open window is
redrawn at that step and its animation stops. Returns r, so r:advance():table()
works.]],
  },
  ["race:seek"] = {
    sig = "r:seek(k) -> r",
    summary = "shows step k (computing up to it when needed), redrawing an open window",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
r:seek(0); print(r.shown)   --> 0]],
    text = [[
k = 0 is the start; steps beyond those computed are computed first. An open window
is redrawn at step k (table, paths, step view) and its animation stops there; the
keys (space, right arrow) play on.]],
  },
  ["race:set"] = {
    sig = "r:set(racer, {lr = ..., ...}) -> r",
    summary = "changes a racer's hyper-parameters from the shown step on (mid-race)",
    text = [[
racer is a label ("adam") or an index. When the race was rewound, that racer's recorded
future is cut and recomputed with the new values; the others keep theirs.
r.racers.adam.opt.lr = 0.1 also works (from the next computed step).]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
r:rewind(10); r:set("momentum", {lr = 0.001, momentum = 0.5})]],
  },
  ["race:results"] = {
    sig = "r:results() -> {{label, reached, global, value, x, y, diverged, left, message}, ...}",
    summary = "one row per racer at the shown step",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
for _, row in ipairs(r:results()) do print(row.label, row.reached, row.value) end]],
    text = [[
label the racer's name; reached the first step within eps of a known minimum (nil if
none) and global whether that minimum is a global one; value f at the shown step, x,
y the position; diverged and left say how a stopped racer stopped, message in words.]],
  },
  ["race:wait"] = {
    sig = "r:wait() -> r",
    summary = "lets the race play to its last step, then returns (so that r:table() is the final one)",
    text = [[
At the prompt a race{} window plays as a job: r:wait() waits while it plays (other
jobs and windows go on), and Ctrl-C, a pause or closing the window skips straight to
the end. In a script or headless, the race is computed to the end at once.]],
    example = [[
r = race{surface = "saddle", optimizers = {"gd", "momentum"}, steps = 50, show = false}
r:wait(); print(r:table())]],
  },
  ["race:table"] = {
    sig = "r:table([compact]) -> string",
    summary = "the results as a table: steps to within eps of a minimum, f, place, status",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
print(r:table())]],
    text = [[
What the race window's table shows: one line per racer with the steps to within eps
of a minimum (* for a local one), f at the shown step, its place and status: ok,
stalled (moved less than eps over the last quarter of the steps without reaching a
minimum), diverged, left (the view) or where it left eps again. A surface without a
minimum in its box (a saddle) has no steps column. compact = true: narrow, for the
window's panel.]],
  },
  ["race:stalled"] = {
    sig = "r:stalled(racer) -> boolean",
    summary = "whether a racer moved less than eps over the last quarter of the shown steps",
    example = [[
r = race.new{surface = "rosenbrock", optimizers = {{"gd", lr = 1e-5}}, steps = 100}
r:advance()
print(r:stalled(r.racers[1]))]],
    text = [[
The table says "stalled" for such a racer that has not reached a minimum: it is
still in the race but makes no progress (a learning rate far too small). Needs at
least 20 steps shown.]],
  },
  ["race:step_info"] = {
    sig = "r:step_info([racer [, k]]) -> {grad, gd_step, velocity, step_vec, state, effective_lr, ...}",
    summary = "the numbers of the step view: the update k-1 -> k and the optimizer's state after it",
    text = [[
k defaults to the shown step; a step not computed yet (a race still playing at the
prompt) is computed first. state holds the optimizer's own arrays (velocity, sum_sq,
mean_sq, m, v, ...) as the engine had them after step k; effective_lr its
per-coordinate step sizes.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
s = r:step_info("adam"); print(s.effective_lr[1], s.effective_lr[2])]],
  },
  ["race:show"] = {
    sig = "r:show([{play = false}]) -> r",
    summary = "opens the race's window (and plays)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:show({play = false}); r:save("race.png")]],
    text = [[
In a script, or without a display, it shows the finished race (the last step)
instead of animating; at the prompt it plays unless play = false. Returns r.]],
  },
  ["race:play"] = {
    sig = "r:play() -> job",
    summary = "animates the race from the shown step (a job; space in the window)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:speed(400); job = r:play(); wait(job)]],
    text = [[
Opens the window when needed and animates speed steps a second from the shown step
(from 0 when it was at the end). The job ends at the last step; space pauses. In a
script the job runs to its end when the script finishes.]],
  },
  ["race:pause"] = {
    sig = "r:pause() -> r",
    summary = "stops the animation where it is",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:play(); r:pause()]],
    text = [[
The shown step stays; r:play() or space goes on.]],
  },
  ["race:forward"] = {
    sig = "r:forward([n]) -> r",
    summary = "n steps forward (default 1), paused (key . or right)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:forward(5); print(r.shown)   --> 5]],
    text = [[
Pauses the animation first; computes steps that are not there yet.]],
  },
  ["race:back"] = {
    sig = "r:back([n]) -> r",
    summary = "n steps back along the recorded paths (key , or left)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
r:back(10); print(r.shown)   --> 30]],
    text = [[
Cannot go before step 0. r:set after going back changes that racer's future.]],
  },
  ["race:rewind"] = {
    sig = "r:rewind([k]) -> r",
    summary = "back to step k (default 0) (key 0)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
r:rewind(); print(r.shown)   --> 0]],
    text = [[
Shows step k without forgetting the steps after it: play again, or r:set a racer to
branch from there.]],
  },
  ["race:speed"] = {
    sig = "r:speed([steps_per_second]) -> speed",
    summary = "reads or sets the animation speed (keys + and -)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
print(r:speed(120))   --> 120]],
    text = [[
A number > 0 (else an error); without an argument it only reads the speed. The
default is r.steps / 10 steps a second (at least 30), so a race plays in about ten
seconds; race{speed = ...} sets it from the start.]],
  },
  ["race:focus"] = {
    sig = "r:focus(racer) -> r",
    summary = "the racer the step view shows (key n cycles)",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:focus("adam")]],
    text = [[
racer is a label or an index; an unknown one is refused with the list of racers.]],
  },
  ["race:curvature"] = {
    sig = "r:curvature(x, y) -> l1, l2, v1x, v1y, v2x, v2y",
    summary = "the Hessian's eigenvalues and eigenvectors at (x, y), drawn on the surface",
    text = [[
Arrows along the eigenvectors, scaled by eigenvalue; a negative eigenvalue's direction
(where f curves down, the escape from a saddle) is drawn both ways. A click on the
surface does the same.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
print(r:curvature(0.5, 0.5))   -- the bowl: both eigenvalues 2]],
  },
  ["race:export"] = {
    sig = "r:export(prefix [, every [, upto]]) | r:export{gif =, fps =, every =, upto =, prefix =} -> frames",
    summary = "writes the race as numbered PNG frames prefix-000000.png, ... (key e) or an animated GIF",
    text = [[A frame every `every` steps (default 1) from step 0 to `upto` (default the last).
With gif = "race.gif" the frames go into one animated GIF playing fps (default 20, at
most 50) frames a second and looping; prefix = adds the PNGs as well. Works without a
display. Only what changed between frames is stored, but the frames are the window's
size: 200 steps of a 1500 x 900 race make about 9 MB (every = 2 halves that).]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
frames = r:export{gif = "race.gif", every = 4}; print(frames)]],
  },
  ["race:close"] = {
    sig = "r:close() -> r",
    summary = "stops the animation and closes the race's window",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:show({play = false}); r:close()]],
    text = [[
The race keeps its record: r:show() opens it again.]],
  },
  ["race:save"] = {
    sig = "r:save(path) -> r",
    summary = "the race's window as it is now, as a PNG",
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
r:save("race.png")]],
    text = [[
Opens (headless: renders) the race's window as needed; works without a display.]],
  },
  ["surface:eval"] = {
    sig = "s:eval(x, y) -> f, fx, fy",
    summary = "a built-in surface's value and exact gradient (require 'nn.race'.surface(name))",
    example = [[
s = require("nn.race").surface("rosenbrock"); print(s:eval(-1.2, 1))]],
    text = [[
The race's own surfaces are computed in C (src/engine/surface.c) with their
gradients in closed form, so this is what every racer steps with. s comes from
require("nn.race").surface(name) with a name of race.surfaces(); an unknown name is
refused.]],
  },
  ["surface:hessian"] = {
    sig = "s:hessian(x, y) -> f, fx, fy, fxx, fxy, fyy",
    summary = "value, gradient and exact Hessian of a built-in surface",
    example = [[
print(require("nn.race").surface("saddle"):hessian(0, 0))   -- fxx 2, fyy -2]],
    text = [[
fxx, fxy, fyy are exact (from the engine's closed forms); the eigenvalues say how
curved f is along the principal directions.]],
  },
  ["surface:grid"] = {
    sig = "s:grid(nx, ny [, x0, x1, y0, y1]) -> {values}",
    summary = "f on a grid (row after row, y rising; the view box by default)",
    example = [[
print(#require("nn.race").surface("bowl"):grid(10, 10))   --> 100]],
    text = [[
nx * ny values in one flat list, row after row with y rising from y0; what the
race's contour and 3-D panels are drawn from.]],
  },
  ["surface:info"] = {
    sig = "s:info() -> {name, formula, xmin, xmax, ymin, ymax, starts, minima, minval, nglobal, ...}",
    summary = "a built-in surface's view box, start points and known minima",
    example = [[
i = require("nn.race").surface("himmelblau"):info(); print(i.formula, #i.minima, i.nglobal)]],
    text = [[
minima lists {x, y} of the known minima (the global ones first, nglobal of them) and
minval their value; starts the default start points; formula the text shown in the
window.]],
  },
  ["surface:set_param"] = {
    sig = "s:set_param(value)",
    summary = "the valley's condition number kappa (>= 1)",
    example = [[
s = require("nn.race").surface("valley"); s:set_param(100); print(s:eval(1, 1))   --> 50.5 1 100]],
    text = [[
Only the valley has a parameter: f = (x^2 + kappa y^2)/2, so kappa is the ratio of
its curvatures. Gradient descent needs lr < 2/kappa along y and crawls along x: the
classic case for momentum.]],
  },
  ["race:compute"] = {
    sig = "r:compute(k)",
    summary = "compute steps until step k, all racers in lockstep (what advance and seek call)",
    text = [[
Lower level than r:advance: the shown step does not move. Racers that stopped stay
at their last point; each gets the gradient (and noise) of its own position.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:compute(20); print(r.k, r.shown)   --> 20 0]],
  },
  ["race:compute_one"] = {
    sig = "r:compute_one(racer, k)",
    summary = "recompute one racer (a racer object) from its last step up to step k",
    text = [[
What r:set uses after cutting a racer's future: the others keep their records.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:compute(10); r:compute_one(r.racers[1], 20); print(r.racers[1]:last())   --> 20]],
  },
  ["race:noise_draws"] = {
    sig = "r:noise_draws(k, i) -> {n1, n2}",
    summary = "the two standard normal draws of racer i's gradient noise at step k",
    text = [[
Drawn once from the engine's generator and kept, so rewinding and recomputing gives
the same noisy path; a race with noise = s adds s times them to the gradient.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"sgd"}, noise = 0.1, seed = 1}
print(table.unpack(r:noise_draws(0, 1)))]],
  },
  ["race:reached"] = {
    sig = "r:reached(racer [, upto]) -> step, minimum, global",
    summary = "the first step at which a racer came within eps of a known minimum (nil if it did not)",
    text = [[
racer is a racer object (r.racers[i]); upto limits the scan (default the computed
steps). The minimum is {x, y}; global says whether it is one of the global minima.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
print(r:reached(r.racers[1]))   -- gd: step 12, the minimum {0, 0}, true]],
  },
  ["race:left_eps"] = {
    sig = "r:left_eps(racer [, upto]) -> step, back",
    summary = "after a racer reached a minimum: the first step it was outside eps of it again (nil if it stayed), and whether it is back inside at upto",
    text = [[
"Reached" is the first arrival; noise or an overshoot can carry a racer out again.
The table's status says so ("left eps at N", ", back" when it is inside again).]],
    example = [[
r = race.new{surface = "bowl", optimizers = {{"sgd", noise = 2}}, steps = 150, seed = 1}
r:advance()
print(r:reached(r.racers[1]), r:left_eps(r.racers[1]))]],
  },
  ["racer:at"] = {
    sig = "racer:at(k) -> i",
    summary = "the index into the racer's records (x, y, f, gx, gy) of step k: a stopped racer stays at its last point",
    text = [[
Records are Lua lists from 1, step 0 at index 1: racer.x[racer:at(k)] is the x shown at step k.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
a = r.racers[1]; print(a.x[a:at(10)], a.y[a:at(10)])]],
  },
  ["racer:evaluate"] = {
    sig = "racer:evaluate(k)",
    summary = "f and its gradient at the racer's step-k position, into its records",
    text = [[
Stops the racer with a message when f raises an error, returns something that is not
a number, or gives NaN or infinity.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
a = r.racers[1]; a:evaluate(0); print(a.f[1], a.gx[1], a.gy[1])]],
  },
  ["racer:last"] = {
    sig = "racer:last() -> k",
    summary = "the last step the racer has a position for",
    text = [[
Less than r.k when the racer stopped early (diverged, left the view, or f failed).]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
print(r.racers[1]:last())   --> 40]],
  },
  ["racer:step"] = {
    sig = "racer:step(k [, noise])",
    summary = "one optimizer step of the racer from step k to k + 1, through the engine",
    text = [[
noise is the pair of normal draws (r:noise_draws) scaled by the racer's noise
setting. The new position is evaluated; leaving the view uphill stops it as
diverged, downhill as "left". Use r:advance rather than stepping racers yourself:
the race keeps them in lockstep.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
a = r.racers[1]; a:step(0); print(a:last())   --> 1]],
  },
  ["racer:stop"] = {
    sig = "racer:stop(k, message)",
    summary = "mark the racer stopped at step k, with the message the table shows",
    text = [[
Stopped racers stay at their last point in later steps; r:set after a rewind can
bring one back.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
a = r.racers[2]; a:stop(0, "stopped by hand"); r:advance(); print(r:table())]],
  },
  ["racer:truncate"] = {
    sig = "racer:truncate(k)",
    summary = "forget the racer's steps after k and put its optimizer state back as it was at step k",
    text = [[
What r:set does before recomputing with new hyper-parameters.]],
    example = [[
r = race.new{surface = "bowl", optimizers = {"gd", "momentum", "adam"}, steps = 40}
r:advance()
a = r.racers[2]; a:truncate(5); print(a:last())   --> 5]],
  },
}
