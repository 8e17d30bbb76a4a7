-- Lesson 06: the optimizer race. The course's optimizers (GD, SGD, momentum,
-- Nesterov, Adagrad, RMSProp, AdaDelta, Adam, AdamW, Nadam, Rprop) race on 2-D loss
-- surfaces: bowl, long valley, Rosenbrock, Beale, saddle, monkey saddle, plateau,
-- Himmelblau, a bumpy surface, and one the student types. Why momentum overshoots and wants a
-- smaller learning rate, why Adagrad slows down, AdaDelta without a learning rate,
-- Adam's bias correction, per-coordinate learning rates, one update drawn as arrows.
lesson{"optimizers", "The optimizer race"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

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
- the table: the step at which each racer first came within ε of a minimum,
  its value, and whether it diverged;
- the step view: one racer's last update drawn as arrows, with its learning rate
  per coordinate as bars;
- the surface in 3-D (drag it to turn it).

Keys: space plays and pauses, . and , step forward and back, + and − change the
speed, 0 rewinds, n shows the next racer in the step view. Click the surface to see
its curvature there.
]]

say[[
The bowl, the valley, Rosenbrock, Beale, the saddle and the plateau each get a race
of all eleven of the engine's optimizers, one race a page; `r:wait()` lets the race
play in its window to the last step before the table is printed, so the table is
the final one (Ctrl-C skips to the end). SGD is GD with noise added to every gradient
(`noise = σ`), as a mini-batch sees the loss. The learning rates are chosen per
surface, and the text says how: a rate that suits one surface diverges or crawls
on another, and that is half of what the race teaches.
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
and Nesterov are as quick. SGD gets there too, then jitters around the bottom: its
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
η = 0.018, just below the limit 0.02; momentum and Nesterov η = 0.005 (their
velocity makes about ten times that, see below); Adagrad η = 0.5 and the others
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
minimum; GD and SGD are still in the valley at x ≈ 0.72 after 2000 steps. AdamW's
weight decay pulls (x, y) towards (0, 0), away from the minimum at (1, 1): on this
surface it is a handicap, and AdamW stops short.
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

Momentum keeps a velocity v: v ← μv − η·g, then w ← w + v. On a steady slope v
grows until it is η·g/(1 − μ): with μ = 0.9, **ten times** GD's step. That is
why momentum wants a learning rate about ten times smaller than GD, and why it
overshoots: the velocity carries it past the bottom, up the other side, and back.
Nesterov measures the gradient where the velocity is about to take it, so it
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

task{
  [[On the valley with κ = 100, make `r` a race of `{"gd", lr = 0.018}` and `momentum`
  with a learning rate of your choice, 300 steps, in which momentum reaches the
  minimum in fewer steps than GD. (`r:results()` gives each racer's `reached`.)]],
  check = function(env)
    local r = env.r
    if type(r) ~= "table" or not r.racers then return false, "`r` is not a race yet" end
    if r.surface.name ~= "valley" then return false, "the race must be on the valley" end
    local gd, mom = r.racers.gd, nil
    for _, racer in ipairs(r.racers) do if racer.kind == "momentum" then mom = racer end end
    if not gd or not mom then return false, "the race needs a gd racer and a momentum racer" end
    if math.abs(gd.opt.lr - 0.018) > 1e-6 then return false, "keep GD's learning rate at 0.018" end
    local _, _, _, _, _, kappa = r.surface.hessian(0, 0)
    if kappa ~= 100 then return false, ("use kappa = 100 (this valley has %g)"):format(kappa) end
    r:advance()
    local tg, tm = r:reached(gd), r:reached(mom)
    if not tm then
      return false, ("momentum (lr = %g) does not reach the minimum in 300 steps: %s"):format(mom.opt.lr,
        mom.message or "try a smaller learning rate")
    end
    if tg and tm >= tg then
      return false, ("momentum takes %d steps, GD %d: momentum must be faster"):format(tm, tg)
    end
    return true
  end,
  hint = [[Momentum's effective step is η/(1 − μ) = 10η: try η around 0.003 to 0.01.
  r = race{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.005}}}]],
  solution = [[
r = race{surface = "valley", kappa = 100, steps = 300,
         optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.005}}}]],
}

say[[
# Adagrad slows down

Adagrad divides each coordinate's step by the root of the *sum* of all its squared
gradients so far: η′ = η / √(α + ε), α = Σ g². The sum only grows, so the
effective learning rate η′ only shrinks: fast at first, then slower and slower,
even far from the minimum. RMSProp replaces the sum by a leaky average
(ρ = 0.9), so its rate recovers when the gradients get small. Watch the bars of
the step view: they are the engine's own numbers, the optimizer's state.
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
Adagrad (η = 0.2) has a rate for x of 0.057 after its first step and 0.011 at step
400, five times smaller, although it is still far from the minimum; it needs 295
steps where RMSProp and Adam (η = 0.08) need 56 and 64.
]]

task{
  [[From `r` above, store in `shrink` how many times smaller Adagrad's effective
  learning rate for x is after step 400 than after step 10 (a number > 1).]],
  check = function(env)
    local r = env.r
    if type(env.shrink) ~= "number" then return false, "`shrink` is not a number yet" end
    local a = r:step_info("adagrad", 10).effective_lr[1]
    local b = r:step_info("adagrad", 400).effective_lr[1]
    if not near(env.shrink, a / b, 1e-6) then
      return false, ("shrink is %g; the ratio of the two effective rates is %g"):format(env.shrink, a / b)
    end
    return true
  end,
  hint = [[r:step_info("adagrad", 10).effective_lr[1] divided by the same at step 400.]],
  solution = [=[shrink = r:step_info("adagrad", 10).effective_lr[1] / r:step_info("adagrad", 400).effective_lr[1]]=],
}

say[[
# AdaDelta: no learning rate

AdaDelta keeps two leaky averages: of the squared gradients, s, and of the squared
*updates*, Δx. Its step is g · √(Δx + ε) / √(s + ε): the ratio has the units of the
parameter, so no η is needed (ours is 1 and stays there). At the start Δx = 0, so
the first step is only √ε/√(0.1 g²)·|g| = √10·√ε ≈ 0.003 per coordinate whatever
the gradient (ε = 10⁻⁶). The updates it averages are that small too, so the steps
stay small: on Beale they are 0.0045 long at the first step and 0.0024 at the
500th. That is why AdaDelta trailed in every race above; a larger ε (try
`{"adadelta", eps = 1e-4}`) makes its first step ten times longer.
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

say[[
# Adam's bias correction

Adam keeps a leaky average of the gradients, m ← β₁m + (1 − β₁)g, and of their
squares, v ← β₂v + (1 − β₂)g². Both start at 0, so early on they are too small:
after one step m = 0.1·g. Adam divides by 1 − β₁ᵗ (and 1 − β₂ᵗ), which undoes
that: m̂ = m / (1 − 0.9¹) = g exactly after the first step. Its first step is then
η·g/|g| = η per coordinate, whatever the size of the gradient.
]]

show[[
r = race.new{surface = "rosenbrock", optimizers = {{"adam", lr = 0.05}}, steps = 5}
r:advance()
local s = r:step_info("adam", 1)
print(("gradient (%.4f, %.4f), m after step 1 (%.4f, %.4f), step taken (%.4f, %.4f)")
  :format(s.grad[1], s.grad[2], s.state.m[1], s.state.m[2], s.step_vec[1], s.step_vec[2]))
]]

task{
  [[Store in `m_hat` the bias-corrected first moment of x after Adam's first step,
  computed from `r:step_info("adam", 1).state.m[1]` and β₁ = 0.9.]],
  check = function(env)
    local s = env.r:step_info("adam", 1)
    if type(env.m_hat) ~= "number" then return false, "`m_hat` is not a number yet" end
    if not near(env.m_hat, s.state.m[1] / (1 - 0.9), 1e-5) then
      return false, ("m_hat is %g; m / (1 - 0.9^1) is %g"):format(env.m_hat, s.state.m[1] / 0.1)
    end
    if not near(env.m_hat, s.grad[1], 1e-5) then
      return false, "after one step m̂ should equal the gradient"
    end
    return true
  end,
  hint = "m_hat = m / (1 - β₁^t) with t = 1",
  solution = [[m_hat = r:step_info("adam", 1).state.m[1] / (1 - 0.9)]],
}

pause()

say[[
# Saddles

At a saddle the gradient is zero but it is not a minimum: f = x² − y² curves up
along x and down along y, and the way down has no bottom. Started beside the
ridge, at y = 0.01, every racer slides towards the centre and then leaves the view
downhill along y: the question is how soon. GD (η = 0.05) multiplies y by 1 + 2η
= 1.1 a step, from 0.01 to 4 in 63 steps; momentum and Nesterov get η = 0.01;
the others their defaults. The curvature view (a click, or `r:curvature(x, y)`)
draws the Hessian's eigenvectors scaled by eigenvalue: −2 along y, the way out.
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

show[[
monkey = race{surface = "monkey", steps = 200, optimizers = {{"gd", lr = 0.02}, "rmsprop", "adam"}}
monkey:wait()
print(monkey:table())
]]

say[[
The monkey saddle x³ − 3xy² has three ways down: every racer leaves the view.
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

The bumpy surface has a local minimum beside the global one: here momentum rolls
through the local one to the global minimum, while GD, Nesterov, Adam and Rprop
stop in the local one (the table says "local"). Himmelblau has four equal minima,
and where you end up depends on where you start and how you move. `noise = σ` adds
N(0, σ²) to every gradient component, drawn from the engine's generator (seeded,
so the same seed gives the same race): that is SGD's view of the loss through a
mini-batch.
]]

show[[
bumpy = race{surface = "bumpy", steps = 200, optimizers = {"gd", "momentum", "nesterov", "adam", "rprop"}}
bumpy:wait()
print(bumpy:table())
]]

pause()

show[[
himmel = race{surface = "himmelblau", steps = 200, noise = 2, seed = 1,
              optimizers = {"sgd", "momentum", "rmsprop", "adam", "nadam"}}
himmel:wait()
print(himmel:table())
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
numbers*, which carry derivatives through every operation (`dual.grad(f, x, y)`
does it by hand). Its minima in the view are found by Newton's method on the exact
Hessian.
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
      return false, "momentum does not reach a minimum either: " .. (r.racers[2].message or
        "make the slope gentle but long, so momentum's velocity can build up")
    end
    return true
  end,
  hint = [[A long shallow valley: GD's step η·g is tiny where the slope is gentle, while
  momentum's velocity adds the small steps up (ten times, with μ = 0.9).]],
  solution = [[my_surface = "0.1*x^2 + y^2"]],
}

say[[
That is the race. The same optimizers train the networks of the next lessons:
`optim.adam(model, {lr = 0.01})` steps every weight the way Adam stepped (x, y) here.
]]
