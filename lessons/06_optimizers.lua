-- Lesson 06: the optimizer race. The course's optimizers (GD, SGD, momentum,
-- Nesterov, Adagrad, RMSProp, AdaDelta, Adam, AdamW, Nadam, Rprop), each defined
-- before it races, race on 2-D loss surfaces: bowl, long valley, Rosenbrock, Beale,
-- saddle, monkey saddle, plateau, a bumpy surface (where SGD's noise escapes a local
-- minimum), Himmelblau, and one the student types. Measured claims: momentum's and
-- Nesterov's stability limits on the valley, Adagrad's rate against its table,
-- AdaDelta's tiny steps, Adam's bias correction; the course's notation and where its
-- texts disagree; which optimizer to choose. Each task carries the wrong answers its
-- check must refuse (nnlab --check runs them); tests/lua/test_race_lesson.lua and
-- test_lessons_04_06.lua assert the numbers the text gives.
lesson{"optimizers", "The optimizer race"}

local lib = require "lessonlib_04_06"
local near = lib.near

say[[
# Two parameters, one surface, eleven optimizers

A network's loss depends on millions of weights. Take two, call them x and y, and
the loss becomes a *surface* f(x, y) you can see: valleys, ridges, saddles and
plateaus. Every optimizer of the course is a rule for walking downhill on it,
starting from the same point.

`race{...}` runs the engine's own optimizers, the same C code that trains networks,
on the point (x, y) with the exact gradient of the surface. The window shows:

- the surface as contours, each racer's path with its head, and the known minima
  as black rings;
- f against the step;
- the table: the step at which each racer first came within ε of a minimum, its
  value, and its status: ok, diverged, left (the view), or the step at which it
  went outside ε again after reaching it;
- the step view: one racer's last update drawn as arrows, with its learning rate
  per coordinate as bars;
- the surface in 3-D (drag it to turn it).

ε is 1% of the view's width, so it changes with the surface: 0.04 on the bowl,
Rosenbrock and the saddles, 0.06 on the bumpy surface, 0.08 on the valley, 0.09 on
Beale, 0.1 on the plateau and Himmelblau. The table's header prints it.

Keys: space plays and pauses, . and , step forward and back, + and − change the
speed, 0 rewinds, n shows the next racer in the step view. Click the surface to see
its curvature there.
]]

pause()

say[[
# Averages that forget

Several racers keep a running average of what they have seen, an *exponentially
weighted average*:

    v_t = β·v_{t−1} + (1 − β)·x_t

The newest value weighs (1 − β), the one before (1 − β)·β, one k steps back
(1 − β)·βᵏ: old values fade geometrically, and v averages roughly the last
1/(1 − β) values (10 for β = 0.9, 1000 for β = 0.999). It smooths noise and
remembers a trend (course notes 001:676-705; "exponentially weighted moving
average", 004:221).

With g the gradient and η the learning rate, the first four racers:

    GD        w ← w − η·g
    SGD       the same, with noise in g (what a mini-batch sees)
    momentum  v ← μ·v − η·g,  w ← w + v                 (μ = 0.9)
    Nesterov  the same, with g taken where v is about to carry w

Momentum's v is a weighted sum of past gradients: a velocity. The course notes
write it V_t = γ·V_{t−1} + η·g_t, W_t = W_{t−1} − V_t: their V is our −v, their γ
our μ. Their Nesterov (NAG) is W_t = W_{t−1} − γV_{t−1} − η·g′ with g′ the
gradient at the look-ahead point W_{t−1} − γV_{t−1} (001:707-729); the engine
computes the same rule rewritten around the look-ahead point, as PyTorch does.
]]

pause()

say[[
# A learning rate for each coordinate

The other racers divide each coordinate's step by the size of its own recent
gradients, so a steep coordinate and a flat one move at similar speeds:

    Adagrad   α ← α + g²,  w ← w − η/√(α + ε)·g
    RMSProp   s ← ρ·s + (1 − ρ)·g²,  w ← w − η/√(s + ε)·g        (ρ = 0.9)
    AdaDelta  s as RMSProp, g′ = √(Δ + ε)/√(s + ε)·g,  w ← w − g′,
              Δ ← ρ·Δ + (1 − ρ)·g′²                              (no η)
    Adam      m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²,
              m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ),  w ← w − η·m̂/(√v̂ + ε)
                                                         (β₁ = 0.9, β₂ = 0.999)
    AdamW     Adam, and w ← w − η·λ·w each step (weight decay, λ = 0.01)
    Nadam     Adam with Nesterov's look-ahead on m
    Rprop     w ← w − sign(g)·step: the step grows ×1.2 while g keeps its sign
              and halves when it flips

Adagrad's reason (002:1485-1535, 001:731-763): with *sparse* features, a rare
word say, a weight gets a gradient only now and then; its sum α stays small and
its rate large, so rare features learn as fast as common ones. RMSProp
(002:1571-1603) and Adam (001:789-819) replace Adagrad's growing sum by
exponentially weighted averages. The course's Adam puts ε inside the root,
√(v̂ + ε); the engine follows the paper, √v̂ + ε.
]]

pause()

say[[
# The round bowl

The bowl, the valley, Rosenbrock, Beale, the saddle and the plateau each get a race
of all eleven, one race a page; `r:wait()` lets the race play in its window to the
last step before the table is printed, so the table is the final one (Ctrl-C skips
to the end). SGD's noise is `noise = σ`, added to every gradient. The learning
rates are chosen per surface, and the text says how: a rate that suits one surface
diverges or crawls on another, and that is half of what the race teaches.
]]

show[[
bowl = race{surface = "bowl", steps = 150, seed = 1,
            optimizers = {"gd", {"sgd", noise = 2}, "momentum", "nesterov", "adagrad",
                          "rmsprop", "adadelta", "adam", "adamw", "nadam", "rprop"}}
bowl:wait()
print(bowl:table())
]]

say[[
On the round bowl f = x² + y² the gradient points straight at the minimum, so plain
gradient descent (GD) is already ideal: each step multiplies the distance by
1 − 2η, 0.7 at the default η = 0.15, and GD is within ε after 12 steps. Momentum
and Nesterov are as quick. SGD gets there too, at step 34, and its noise carries it
out of ε again at step 35 (the status column): it jitters around the bottom, as its
noise never stops. Adam, AdamW, Nadam, RMSProp (η = 0.04) and Rprop (η = 0.02)
move at a pace set by η rather than by the gradient's size, and arrive later,
between 26 and 84 steps. Two never come within ε in 150 steps: Adagrad, whose
rate shrinks as its sum of g² grows (f = 0.044 at the end), and AdaDelta, whose
steps are still about 0.004 long at the end (f = 2.17): both are explained below.
]]

pause()

say[[
# A long valley

The valley f = (x² + κy²)/2 curves κ times more steeply across (y) than along (x);
κ is its *condition number*. GD's learning rate must stay below 2/κ, or the steep
direction blows up; with such a small η the shallow direction crawls. So GD
zig-zags across the valley and creeps along it. Here κ = 100: GD and SGD get
η = 0.018, just below the limit 0.02; momentum and Nesterov η = 0.005, well inside
their own limits (0.038 and 0.0136, measured below); Adagrad η = 0.5 and the others
0.05, since they scale each coordinate's step on their own.
]]

show[[
valley = race{surface = "valley", kappa = 100, steps = 300, seed = 1,
              optimizers = {{"gd", lr = 0.018}, {"sgd", lr = 0.018, noise = 2},
                            {"momentum", lr = 0.005}, {"nesterov", lr = 0.005},
                            {"adagrad", lr = 0.5}, {"rmsprop", lr = 0.05}, "adadelta",
                            {"adam", lr = 0.05}, {"adamw", lr = 0.05}, {"nadam", lr = 0.05},
                            {"rprop", lr = 0.05}}}
valley:wait()
print(valley:table())
]]

say[[
GD needs 209 steps; momentum and Nesterov about 45. The per-coordinate methods do
not care that y is a hundred times steeper: Adagrad arrives at step 57 and Rprop
at 19. SGD's noise keeps it from settling within ε, and AdaDelta has not started.
]]

quiz{
  "On the valley with κ = 100, why can't GD simply use a larger learning rate to go faster along x?",
  choices = {
    "Because the gradient along x is zero.",
    "Because across the valley the curvature is 100: a step of η multiplies y by 1 − 100η, which grows beyond 1 in size once η > 0.02, and GD diverges.",
    "Because a larger learning rate always overshoots the minimum.",
    "Because GD has no learning rate.",
  },
  answer = 2,
  why = [[Each coordinate of a quadratic evolves on its own: x ← (1 − η)x and
  y ← (1 − 100η)y. Stability needs |1 − 100η| < 1, η < 0.02; at η = 0.018 the y factor
  is −0.8 (the zig-zag) and the x factor 0.982 (the crawl: about 200 steps). The
  condition number caps GD's speed: that is what momentum and the adaptive methods
  address.]],
}

say[[
# Rosenbrock's banana

f = (1 − x)² + 100(y − x²)² has a curved valley: falling into it takes a few steps,
following it to the minimum at (1, 1) takes thousands. The walls are steep
(curvature about 1000 at the start), so GD gets η = 0.001 and momentum 0.0005;
Adam, AdamW and Nadam 0.05, RMSProp 0.005, Rprop 0.01, Adagrad 0.5. 2000 steps.

AdamW adds *weight decay*: the course's L2 penalty adds (λ/2)·‖w‖² to the loss
(002:1806-1819), which pulls every weight towards 0 and keeps weights small, the
usual cure for overfitting. AdamW applies the pull directly, w ← w − η·λ·w, apart
from Adam's scaling.
]]

show[[
rosen = race{surface = "rosenbrock", steps = 2000, seed = 1,
             optimizers = {{"gd", lr = 0.001}, {"sgd", lr = 0.001, noise = 2},
                           {"momentum", lr = 0.0005}, {"nesterov", lr = 0.0005},
                           {"adagrad", lr = 0.5}, {"rmsprop", lr = 0.005}, "adadelta",
                           {"adam", lr = 0.05}, {"adamw", lr = 0.05}, {"nadam", lr = 0.05},
                           {"rprop", lr = 0.01}}}
rosen:wait()
print(rosen:table())
]]

say[[
Nadam (step 968), Adam (1205), momentum (1500), Nesterov and Rprop reach the
minimum, and none leaves ε again; GD and SGD are still in the valley at x ≈ 0.72
after 2000 steps. Within ε is a distance, not a value: Nadam never goes further
than 0.0398 from (1, 1) after step 968, yet its f, after falling to 2·10⁻⁷ at step
1465, spikes to about 0.3 three times (steps 1522, 1750 and 1986, the green spikes
of the f panel): 0.024 from the minimum, up the valley's steep wall, f is that high. AdamW's weight decay pulls (x, y)
towards (0, 0), away from the minimum at (1, 1): here the pull is a handicap, and
AdamW stops short.
]]

pause()

say[[
# Beale's arms

Beale's function has flat arms with steep walls, values spanning decades (the
colours are on a log scale) and its minimum at (3, 0.5). GD gets η = 0.005,
momentum 0.001, Adagrad 0.3, RMSProp 0.02, the Adam family and Rprop 0.05.
]]

show[[
beale = race{surface = "beale", steps = 500, seed = 1,
             optimizers = {{"gd", lr = 0.005}, {"sgd", lr = 0.005, noise = 2},
                           {"momentum", lr = 0.001}, {"nesterov", lr = 0.001},
                           {"adagrad", lr = 0.3}, {"rmsprop", lr = 0.02}, "adadelta",
                           {"adam", lr = 0.05}, {"adamw", lr = 0.05}, {"nadam", lr = 0.05},
                           {"rprop", lr = 0.05}}}
beale:wait()
print(beale:table())
]]

say[[
Rprop, which looks only at the gradient's sign, is there at step 64; RMSProp at
188, Nadam and Adam around 400, momentum and Nesterov just in time. GD, SGD and
Adagrad are on their way along the flat arm; AdaDelta is the furthest behind.
]]

pause()

say[[
# Momentum overshoots

On a steady slope momentum's velocity v ← μv − η·g grows until it is η·g/(1 − μ):
with μ = 0.9, **ten times** GD's step. That is its speed along a gentle slope, and
why it overshoots: the velocity carries it past the bottom, up the other side, and
back. Nesterov measures the gradient where the velocity is about to take it, so it
brakes earlier.

Below, GD, momentum and Nesterov with the *same* η = 0.1 on the bowl, and momentum
with η = 0.01. The table prints, for each, how far it went past the minimum in x
(the start is at x = −1.5): GD never does, momentum at 0.1 swings out more than a
whole unit, Nesterov about 0.6, momentum at 0.01 about 0.44.
]]

show[[
swing = race{surface = "bowl", steps = 100,
             optimizers = {{"gd", lr = 0.1}, {"momentum", lr = 0.1, label = "mom 0.1"},
                           {"momentum", lr = 0.01, label = "mom 0.01"}, {"nesterov", lr = 0.1}}}
swing:focus("mom 0.1")  -- the step view: velocity against -lr * gradient
swing:wait()
print(swing:table())
for _, racer in ipairs(swing.racers) do
  local past = 0 -- the furthest x on the other side of the minimum from the start
  for t = 1, #racer.x do
    if racer.x[t] * racer.start[1] < 0 then past = math.max(past, math.abs(racer.x[t])) end
  end
  print(("%-9s went %.2f past the minimum in x"):format(racer.label, past))
end
]]

pause()

say[[
# How large may momentum's η be?

The course advises a smaller learning rate with a high momentum (000:152-156), as
the swings grow with it. Stability asks for less than one might think: on a
quadratic with curvature λ, GD is stable for η < 2/λ, and momentum for
η < 2(1 + μ)/λ, almost twice as far, as the velocity's swings partly cancel. On
the valley (λ = 100 across it) that is 0.02 for GD and 0.038 for momentum.
Measured, in 300 steps: momentum reaches the minimum at every η from 0.002 to
0.035 (in 44 steps at η = 0.005, 14 at 0.02, where GD needs 209 at 0.018), while
at 0.037 its first swings across the valley already carry it out of the view.
Nesterov's limit is lower, 2(1 + μ)/((1 + 2μ)λ) ≈ 0.0136: at 0.0135 it still
arrives (step 217), at 0.014 it diverges. A smaller η buys momentum smaller
overshoots, not stability.
]]

-- What went wrong with the student's momentum racer, for the check's message.
local function momentum_advice(r, mom)
  local steps = r.steps
  if mom.message then
    return ("momentum (η = %g) %s: η is too large. Momentum is stable below 2(1 + μ)/λ ≈ 0.038 here, and above about 0.036 its first swings leave the view: try a smaller rate")
      :format(mom.opt.lr, mom.message)
  end
  local more = steps < 300 and (" (the task asks for 300; you ran %d)"):format(steps) or ""
  if mom.opt.lr < 0.002 then
    return ("momentum (η = %g) is still on its way after %d steps: η is too small; rates from 0.002 to 0.035 arrive%s")
      :format(mom.opt.lr, steps, more)
  end
  return ("momentum (η = %g) does not reach the minimum in %d steps%s"):format(mom.opt.lr, steps,
    more ~= "" and more or ": try a rate between 0.002 and 0.035")
end

task{
  [[On the valley with κ = 100, make `r` a race of `{"gd", lr = 0.018}` and `momentum`
  with a learning rate of your choice, 300 steps, in which momentum reaches the
  minimum in fewer steps than GD. (`r:results()` gives each racer's `reached`.)]],
  check = function(env)
    local r = env.r
    if type(r) ~= "table" or not r.racers then return false, "`r` is not a race yet" end
    if r.surface.name ~= "valley" then
      return false, ("the race is on the %s; it must be on the valley"):format(tostring(r.surface.name))
    end
    local gd, mom = nil, nil
    for _, racer in ipairs(r.racers) do
      if racer.kind == "gd" then gd = gd or racer end
      if racer.kind == "momentum" then mom = mom or racer end
    end
    if not gd or not mom then
      return false, "the race needs a gd racer and a momentum racer (the optimizer's name, not only its label)"
    end
    if math.abs(gd.opt.lr - 0.018) > 1e-6 then
      return false, ("GD's learning rate is %g: keep it at 0.018"):format(gd.opt.lr)
    end
    local _, _, _, _, _, kappa = r.surface.hessian(0, 0)
    if kappa ~= 100 then return false, ("use kappa = 100 (this valley has %g)"):format(kappa) end
    r:advance()
    local tg, tm = r:reached(gd), r:reached(mom)
    if not tm then return false, momentum_advice(r, mom) end
    if tg and tm >= tg then
      return false, ("momentum takes %d steps, GD %d: momentum must be faster"):format(tm, tg)
    end
    return true
  end,
  hint = [[Momentum's velocity makes its step along the gentle x direction about 10η, and
  it is stable up to η ≈ 0.038 here: η = 0.005 is already far faster than GD.
  r = race{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.005}}}]],
  solution = [[
r = race{surface = "valley", kappa = 100, steps = 300,
         optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.005}}}]],
  wrong = {
    { "a rate beyond momentum's limit", [[
r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.05}}}]] },
    { "a rate far too small", [[
r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.0005}}}]] },
    { "30 steps", [[
r = race.new{surface = "valley", kappa = 100, steps = 30, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.005}}}]] },
    { "GD slowed down instead", [[
r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.005}, {"momentum", lr = 0.005}}}]] },
    { "a second GD labelled momentum", [[
r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"gd", lr = 0.019, label = "momentum"}}}]] },
  },
}

say[[
# Adagrad remembers its start

Adagrad divides each coordinate's step by the root of the *sum* of all its squared
gradients so far: η′ = η / √(α + ε), α = Σ g² (the course's α; not a learning
rate). The sum only grows, so the effective learning rate η′ only shrinks. How fast
depends on the gradients: large ones at the start shrink it a lot, small ones near
the minimum hardly at all. RMSProp replaces the sum by a leaky average (ρ = 0.9),
so it forgets the start. The race below is on the default valley, κ = 10; watch the
bars of the step view: they are the engine's own numbers, the optimizer's state.
]]

show[[
r = race{surface = "valley", steps = 400, optimizers = {"adagrad", "rmsprop", "adam"}}
r:focus("adagrad")
r:wait()
print(r:table())
for _, k in ipairs{1, 10, 100, 400} do
  local s = r:step_info("adagrad", k)
  print(("step %3d: adagrad's effective lr  x %.5f  y %.5f   (sum of g² %.4g, %.4g)")
    :format(k, s.effective_lr[1], s.effective_lr[2], s.state.sum_sq[1], s.state.sum_sq[2]))
end
]]

say[[
Adagrad (η = 0.2) starts with a rate for x of 0.057 and is down to 0.021 by step
10, while the gradients are large; after step 100 the rate hardly moves (0.0118
then, 0.0113 at step 400), because near the minimum the squared gradients it adds
are tiny. So it does not stall: it arrives, at step 295. But it moves at the pace
its first steps left it, five times slower than at the start, where RMSProp and
Adam (η = 0.08) forget the start and arrive at steps 56 and 64.
]]

task{
  [[From `r` above, store in `shrink` how many times smaller Adagrad's effective
  learning rate for x is after step 400 than after step 10 (a number > 1).]],
  check = function(env)
    local r = env.r
    if type(env.shrink) ~= "number" then return false, "`shrink` is not a number yet" end
    local function rate(k, c) return r:step_info("adagrad", k).effective_lr[c] end
    local want = rate(10, 1) / rate(400, 1)
    if near(env.shrink, want, 1e-6) then return true end
    local why = ("the ratio of the two effective rates for x is %.6g"):format(want)
    if near(env.shrink, 1 / want, 1e-6) then
      why = "that is the ratio upside down: the rate at step 10 divided by the rate at step 400 is > 1"
    elseif near(env.shrink, rate(10, 2) / rate(400, 2), 1e-6) then
      why = "that is the ratio for y (effective_lr[2]): the task asks for x, effective_lr[1]"
    elseif near(env.shrink, rate(1, 1) / rate(400, 1), 1e-6) then
      why = "that compares step 1 with step 400: the task asks for step 10"
    elseif near(env.shrink, want, 1e-2) then
      why = ("close, but rounded: compute it from r:step_info, it is %.6g"):format(want)
    end
    return false, ("shrink is %g: %s"):format(env.shrink, why)
  end,
  hint = [[r:step_info("adagrad", 10).effective_lr[1] divided by the same at step 400.]],
  solution = [=[shrink = r:step_info("adagrad", 10).effective_lr[1] / r:step_info("adagrad", 400).effective_lr[1]]=],
  wrong = {
    { "the ratio upside down", [=[shrink = r:step_info("adagrad", 400).effective_lr[1] / r:step_info("adagrad", 10).effective_lr[1]]=] },
    { "the y coordinate", [=[shrink = r:step_info("adagrad", 10).effective_lr[2] / r:step_info("adagrad", 400).effective_lr[2]]=] },
    { "step 1 instead of step 10", [=[shrink = r:step_info("adagrad", 1).effective_lr[1] / r:step_info("adagrad", 400).effective_lr[1]]=] },
    { "the printed numbers, rounded", [[shrink = 0.02123 / 0.0113]] },
  },
}

say[[
# AdaDelta: no learning rate

AdaDelta keeps two leaky averages: of the squared gradients, s, and of the squared
*updates*, Δ. Its step is g · √(Δ + ε) / √(s + ε): the ratio has the units of the
parameter, so no η is needed. At the start Δ = 0, so the first step is only
√ε/√(0.1 g²)·|g| = √10·√ε ≈ 0.003 per coordinate whatever the gradient
(ε = 10⁻⁶). The updates it averages are that small too, so the steps stay small: on
Beale they are 0.0045 long at the first step and 0.0024 at the 500th. That is why
AdaDelta trailed in every race above; a larger ε (try `{"adadelta", eps = 1e-4}`)
makes its first step ten times longer.

The course's texts disagree on the learning rate: one gives this rule, with none
(000:198-208); another's "Adadelta" is RMSProp's rule with an η (001:765-785); and
tf.keras's Adadelta has a learning_rate (default 0.001; 1.0 gives the original
rule). nnlab's has lr = 1, which multiplies the step, so by default there is none.
]]

show[[
r = race{surface = "beale", steps = 500, optimizers = {"adadelta", "rmsprop", "adam"}}
r:wait()
print(r:table())
for _, k in ipairs{1, 10, 100, 500} do
  local s = r:step_info("adadelta", k)
  print(("adadelta's step %3d: (%.2g, %.2g), length %.2g"):format(k, s.step_vec[1], s.step_vec[2],
    math.sqrt(s.step_vec[1] ^ 2 + s.step_vec[2] ^ 2)))
end
]]

pause()

say[[
# Adam's bias correction

Adam keeps a leaky average of the gradients, m ← β₁m + (1 − β₁)g, and of their
squares, v ← β₂v + (1 − β₂)g². Both start at 0, so early on they are too small:
after one step m = 0.1·g. Adam divides by 1 − β₁ᵗ (and 1 − β₂ᵗ), which undoes
that: m̂ = m / (1 − 0.9¹) = g exactly after the first step. Its first step is then
η·g/|g| = η per coordinate, whatever the size of the gradient. After the second
step m = 0.9·0.1·g₁ + 0.1·g₂, and dividing by 1 − 0.9² = 0.19 gives the weighted
mean (0.09·g₁ + 0.1·g₂)/0.19 of the two gradients.
]]

show[[
r = race.new{surface = "rosenbrock", optimizers = {{"adam", lr = 0.05}}, steps = 5}
r:advance()
for k = 1, 2 do
  local s = r:step_info("adam", k)
  print(("step %d: gradient (%.4f, %.4f), m (%.4f, %.4f), step taken (%.4f, %.4f)")
    :format(k, s.grad[1], s.grad[2], s.state.m[1], s.state.m[2], s.step_vec[1], s.step_vec[2]))
end
]]

task{
  [[Store in `m_hat` the bias-corrected first moment of x after Adam's *second*
  step, computed from `r:step_info("adam", 2).state.m[1]` and β₁ = 0.9.]],
  check = function(env)
    if type(env.m_hat) ~= "number" then return false, "`m_hat` is not a number yet" end
    local s1, s2 = env.r:step_info("adam", 1), env.r:step_info("adam", 2)
    local m = s2.state.m[1]
    local want = m / (1 - 0.9 ^ 2)
    if near(env.m_hat, want, 1e-5) then return true end
    local why = ("m / (1 − 0.9²) is %.6g"):format(want)
    if near(env.m_hat, m, 1e-5) then
      why = "that is m itself: divide by 1 − β₁ᵗ with t = 2"
    elseif near(env.m_hat, m / (1 - 0.9), 1e-5) then
      why = "that divides by 1 − 0.9¹, the first step's correction: after step 2 it is 1 − 0.9²"
    elseif near(env.m_hat, s2.grad[1], 1e-5) then
      why = "that is the second gradient: m̂ equals the gradient after the first step only"
    elseif near(env.m_hat, (s1.grad[1] + s2.grad[1]) / 2, 1e-5) then
      why = "that is the plain mean of the two gradients: Adam weighs them 0.09 and 0.1"
    end
    return false, ("m_hat is %g: %s"):format(env.m_hat, why)
  end,
  hint = "m_hat = m / (1 - β₁^t) with t = 2",
  solution = [[m_hat = r:step_info("adam", 2).state.m[1] / (1 - 0.9 ^ 2)]],
  wrong = {
    { "m without the correction", [[m_hat = r:step_info("adam", 2).state.m[1] ]] },
    { "the first step's correction", [[m_hat = r:step_info("adam", 2).state.m[1] / (1 - 0.9)]] },
    { "the gradient, as after step 1", [[m_hat = r:step_info("adam", 2).grad[1] ]] },
    { "the plain mean of the two gradients",
      [[m_hat = (r:step_info("adam", 1).grad[1] + r:step_info("adam", 2).grad[1]) / 2]] },
  },
}

say[[
# Saddles

At a saddle the gradient is zero but it is not a minimum: f = x² − y² curves up
along x and down along y, and the way down has no bottom. Started beside the
ridge, at y = 0.01, every racer slides towards the centre and then leaves the view
downhill along y: the question is how soon. GD (η = 0.05) multiplies y by 1 + 2η
= 1.1 a step, from 0.01 to 4 in 63 steps; momentum and Nesterov get η = 0.01;
the others their defaults.

The gradient says which way is down; the *Hessian* says how the slope bends: the
matrix of second derivatives

    H = | f_xx  f_xy |
        | f_xy  f_yy |

Its *eigenvectors* are
the two directions in which the surface bends without turning, and its
*eigenvalues* the curvature along each: positive bends up, negative bends down.
At a minimum both are positive; at a saddle one is negative, and its eigenvector
is the way out. (Methods that use it are the course's "second order" ones,
004:183.) The curvature view (a click, or `r:curvature(x, y)`) draws the
eigenvectors scaled by eigenvalue: here +2 along x and −2 along y.
]]

show[[
saddle = race{surface = "saddle", steps = 200, seed = 1,
              optimizers = {{"gd", lr = 0.05}, {"sgd", lr = 0.05, noise = 0.5},
                            {"momentum", lr = 0.01}, {"nesterov", lr = 0.01}, "adagrad",
                            "rmsprop", "adadelta", "adam", "adamw", "nadam", "rprop"}}
local l1, l2, v1x, v1y, v2x, v2y = saddle:curvature(0, 0)
print(("at (0, 0): eigenvalue %g along (%g, %g), %g along (%g, %g)")
  :format(l1, v1x + 0, v1y + 0, l2, v2x + 0, v2y + 0)) -- + 0 turns -0 into 0
saddle:wait()
print(saddle:table())
for _, racer in ipairs(saddle.racers) do
  print(("%-9s %s"):format(racer.label, racer.message or "still in the view"))
end
]]

say[[
Rprop leaves first, at step 21: its step grows by 1.2 each time the gradient's sign
stays, and along y it always does. Nesterov and AdaDelta leave at 59, GD and
momentum at 63. Adam and RMSProp move y by about η a step from the start instead
of multiplying it, and leave later (72 to 78); Adagrad's shrinking rate keeps it in
the view for all 200 steps.
]]

pause()

say[[
# Three ways down

The monkey saddle x³ − 3xy² is flat at (0, 0), where both eigenvalues are 0, and
it has three valleys going down, where a saddle has two.
]]

show[[
monkey = race{surface = "monkey", steps = 200, optimizers = {{"gd", lr = 0.02}, "rmsprop", "adam"}}
monkey:wait()
print(monkey:table())
]]

say[[
Every racer finds one of the ways down and leaves the view.
]]

pause()

say[[
# A plateau

On the plateau f = 1 − exp(−(x²/4 + y²/2)) the gradient far from the centre is
almost zero. Every racer has its default rate (GD's from the curvature at the
start, 0.3; the adaptive ones a fraction of the view).
]]

show[[
plateau = race{surface = "plateau", steps = 300, seed = 1,
               optimizers = {"gd", {"sgd", noise = 0.05}, "momentum", "nesterov", "adagrad",
                             "rmsprop", "adadelta", "adam", "adamw", "nadam", "rprop"}}
plateau:wait()
print(plateau:table())
]]

say[[
GD and SGD barely move: f is still above 0.99 after 300 steps. Momentum adds the
tiny steps up and gets there at step 109, Nesterov at 88. The methods that divide
by the gradient's size cross the flat part at their usual pace: Rprop 19, RMSProp
24, Nadam, AdamW and Adam in 32 to 37, Adagrad 48, and even AdaDelta at 197.
]]

pause()

say[[
# Many minima, and noise

The bumpy surface has a local minimum beside the global one. `noise = σ` adds
N(0, σ²) to every gradient component, drawn from the engine's generator (seeded,
so the same seed gives the same race): that is SGD's view of the loss through a
mini-batch, and the course says its noise can shake it out of a poor local
minimum (002:305-359).
]]

show[[
bumpy = race{surface = "bumpy", steps = 200, seed = 7,
             optimizers = {"gd", {"sgd", noise = 1}, "momentum", "nesterov", "adam", "rprop"}}
bumpy:wait()
print(bumpy:table())
]]

say[[
Momentum rolls through the local minimum to the global one; GD, Nesterov, Adam and
Rprop stop in the local one (the table says "local"). SGD (σ = 1, the same η as
GD) falls into the local minimum too, at step 43, but its noise shakes it out, and
at step 187 it is within ε of the global minimum. That is luck as much as design:
over seeds 1 to 20 it ends nearer the global minimum in only 5, and its noise
never lets it settle in either. Larger batches, or a learning rate that decays,
quieten the noise once the right valley is found.
]]

pause()

say[[
Himmelblau has four equal minima, and where you end up depends on where you start
and how you move.
]]

show[[
himmel = race{surface = "himmelblau", steps = 200, noise = 2, seed = 1,
              optimizers = {"sgd", "momentum", "rmsprop", "adam", "nadam"}}
himmel:wait()
print(himmel:table())
]]

pause()

say[[
# Which optimizer, when?

The course's advice (001:823-839): mini-batch SGD works well for shallow networks;
NAG works in most cases but is slower than Adagrad, AdaDelta and Adam; Adagrad
suits sparse data, which needs adaptive learning rates; Adam works well in
practice, the favoured default and the fastest to converge. One caveat from the
same texts: Adam aims at speed, while SGD "generalize[s] the data in a better
manner" (000:220-226): trained with SGD and momentum, a network often does a
little better on data it has not seen, at the price of slower training and more
tuning. The races measure only the speed to a minimum of the loss they are given;
generalisation is a question about the test data, and later lessons measure it.
]]

quiz{
  "Which optimizer of the course has no learning rate to tune?",
  choices = {"Adagrad", "RMSProp", "AdaDelta", "Adam"},
  answer = 3,
  why = [[AdaDelta's step is √(leaky mean of Δx² + ε) / √(leaky mean of g² + ε) · g: the
  ratio carries the parameter's units, so no η is needed. Adagrad, RMSProp and Adam
  all scale by a global η.]],
}

say[[
# Your own surface

`race{f = ...}` takes a Lua function of (x, y) or a formula string such as
"x^2 - y^2 + 0.1*sin(5*x)". Its gradients are exact: the function is run on *dual
numbers*: a number a + b·ε with ε² = 0, so that f(a + ε) = f(a) + f′(a)·ε carries
the derivative along through every operation (`dual.grad(f, x, y)` does it by
hand). Its minima in the view are found by Newton's method, which steps by the
gradient divided by the Hessian.
]]

show[[
print(dual.grad(function(x, y) return x^2 - y^2 + 0.1 * math.sin(5 * x) end, 0.3, 0.7))
r = race{f = "x^2 - y^2 + 0.1*sin(5*x)", steps = 150, optimizers = {"rmsprop", "adagrad", "adam"}}
r:wait()
print(r:table())
]]

task{
  [[Type a surface `my_surface` (a formula string or a function of x, y) on which,
  with the same learning rate 0.01 for both, momentum reaches a minimum within 300
  steps and plain GD does not. The check runs
  `race.new{f = my_surface, optimizers = {{"gd", lr = 0.01}, {"momentum", lr = 0.01}}, steps = 300}`
  from the default start in the box [-2, 2] x [-2, 2].]],
  check = function(env)
    local f = env.my_surface
    if f == nil then return false, "`my_surface` is not set yet" end
    local ok, r = pcall(race.new, {f = f, steps = 300,
      optimizers = {{"gd", lr = 0.01}, {"momentum", lr = 0.01}}})
    if not ok then -- the message without the position in this file
      return false, "race.new refused it: " .. tostring(r):gsub("^[^:]*:%d+: ", "")
    end
    if #r.surface.minima == 0 then
      return false, "it has no minimum inside [-2, 2] x [-2, 2] for the racers to reach"
    end
    r:advance()
    local tg, tm = r:reached(r.racers[1]), r:reached(r.racers[2])
    if tg then return false, ("GD reaches a minimum at step %d: make it harder for GD"):format(tg) end
    if not tm then
      local mom = r.racers[2]
      if mom.message then
        return false, "momentum does not reach a minimum either: it " .. mom.message
          .. ": make the surface less steep"
      end
      local j = mom:at(r.steps)
      return false, ("momentum does not reach a minimum either: after %d steps it is at (%.3g, %.3g), f = %.3g: make the slope steeper, so that its velocity builds up in time")
        :format(r.steps, mom.x[j], mom.y[j], mom.f[j])
    end
    return true
  end,
  hint = [[A long shallow valley: GD's step η·g is tiny where the slope is gentle, while
  momentum's velocity adds the small steps up (ten times, with μ = 0.9).]],
  solution = [[my_surface = "0.1*x^2 + y^2"]],
  wrong = {
    { "the round bowl, where GD arrives too", [[my_surface = "x^2 + y^2"]] },
    { "a saddle, with no minimum", [[my_surface = "x^2 - y^2"]] },
    { "so flat that momentum does not arrive either", [[my_surface = "0.001*x^2 + 0.001*y^2"]] },
    { "a formula with a typo", [[my_surface = "0.1*x^2 + y^"]] },
  },
}

say[[
That is the race. The same optimizers train the networks of the next lessons:
`optim.adam(model, {lr = 0.01})` steps every weight the way Adam stepped (x, y) here.
]]
