-- Lesson 06: the optimizer race. The course's optimizers (GD, SGD, momentum,
-- Nesterov, Adagrad, RMSProp, AdaDelta, Adam, Nadam, Rprop) race on 2-D loss surfaces:
-- bowl, long valley, Rosenbrock, Beale, saddle, monkey saddle, plateau, Himmelblau,
-- a bumpy surface, and one the student types. Why momentum overshoots and wants a
-- smaller learning rate, why Adagrad slows down, AdaDelta without a learning rate,
-- Adam's bias correction, per-coordinate learning rates, one update drawn as arrows.
lesson{"optimizers", "The optimizer race"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Two parameters, one surface, ten optimizers

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

show[[
r = race{surface = "bowl", steps = 150,
         optimizers = {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta",
                       "adam", "nadam", "rprop"}}
print(r:table())
]]

say[[
On the round bowl f = x² + y² every optimizer gets there. The gradient points
straight at the minimum, so plain gradient descent (GD) is already ideal: each step
multiplies the distance by 1 − 2η. The adaptive ones (Adagrad, RMSProp, Adam, Rprop)
take steps of about η per coordinate whatever the gradient's size, so they move at a
steady pace and then circle or jitter near the bottom.
]]

say[[
# A long valley

The valley f = (x² + κy²)/2 curves κ times more steeply across (y) than along (x);
κ is its *condition number*. GD's learning rate must stay below 2/κ, or the steep
direction blows up; with such a small η the shallow direction crawls. So GD
zig-zags across the valley and creeps along it.
]]

show[[
r = race{surface = "valley", kappa = 100, steps = 300,
         optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.005}, {"adam", lr = 0.05}}}
print(r:table())
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
# Momentum overshoots

Momentum keeps a velocity v: v ← μv − η·g, then w ← w + v. On a steady slope v
grows until it is η·g/(1 − μ): with μ = 0.9, **ten times** GD's step. That is
why momentum needs a learning rate about ten times smaller than GD, and why it
overshoots: the velocity carries it past the bottom, up the other side, and back.
Nesterov measures the gradient where the velocity is about to take it, so it
brakes earlier.

Below, GD and momentum with the *same* η = 0.1 on the bowl: momentum swings
around the minimum. With η = 0.01 it takes the shortest route.
]]

show[[
r = race{surface = "bowl", steps = 100,
         optimizers = {{"gd", lr = 0.1}, {"momentum", lr = 0.1, label = "mom 0.1"},
                       {"momentum", lr = 0.01, label = "mom 0.01"}, {"nesterov", lr = 0.1}}}
print(r:table())
r:focus("mom 0.1")  -- the step view: velocity against -lr * gradient
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
r:advance()
for _, k in ipairs{1, 10, 100, 400} do
  local s = r:step_info("adagrad", k)
  print(("step %3d: adagrad's effective lr  x %.5f  y %.5f   (sum of g² %.4g, %.4g)")
    :format(k, s.effective_lr[1], s.effective_lr[2], s.state.sum_sq[1], s.state.sum_sq[2]))
end
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
the first step is only √ε/√(0.1 g²) ≈ 0.003 long whatever the gradient (ε = 10⁻⁶),
and the steps grow as the updates do: a slow start, then a steady walk.
]]

show[[
r = race{surface = "beale", steps = 500, optimizers = {"adadelta", "rmsprop", "adam"}}
print(r:table())
local s = r:step_info("adadelta", 1)
print(("adadelta's first step: (%.2g, %.2g)"):format(s.step_vec[1], s.step_vec[2]))
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

say[[
# Saddles and plateaus

At a saddle the gradient is zero but it is not a minimum: f = x² − y² curves up
along x and down along y. Started on the ridge (y = 0.01), GD and momentum slide
to the centre and wait there while y grows by a factor 1 + 2η per step; the
adaptive methods divide by the tiny gradient's size and leave at once. The
curvature view (a click, or `r:curvature(x, y)`) draws the Hessian's eigenvectors
scaled by eigenvalue: −2 along y, the way out.
]]

show[[
r = race{surface = "saddle", steps = 200,
         optimizers = {{"gd", lr = 0.05}, {"momentum", lr = 0.01}, "adagrad", "rmsprop", "adam"}}
print(r:curvature(0, 0))
print(r:table())
]]

show[[
r = race{surface = "monkey", steps = 200, optimizers = {{"gd", lr = 0.02}, "rmsprop", "adam"}}
print(r:table())
]]

say[[
On the plateau f = 1 − exp(−(x²/4 + y²/2)) the gradient far from the centre is
almost zero: GD barely moves, while RMSProp and Adam, which normalise the step,
cross the flat part at their usual pace.
]]

show[[
r = race{surface = "plateau", steps = 300, optimizers = {"gd", "momentum", "rmsprop", "adam", "rprop"}}
print(r:table())
]]

say[[
# Curved valleys, many minima, noise

Rosenbrock's banana valley is easy to fall into and long to follow; Beale's flat
arms have steep walls; Himmelblau has four equal minima, and where you end up
depends on where you start and how you move; the bumpy surface has a local minimum
beside the global one, which momentum can roll through and GD cannot.
`noise = σ` adds N(0, σ²) to every gradient component, drawn from the engine's
generator (seeded, so the same seed gives the same race): that is SGD's view of the
loss through a mini-batch.
]]

show[[
r = race{surface = "bumpy", steps = 200, optimizers = {"gd", "momentum", "nesterov", "adam", "rprop"}}
print(r:table())
r = race{surface = "himmelblau", steps = 200, noise = 2, seed = 1,
         optimizers = {"sgd", "momentum", "rmsprop", "adam", "nadam"}}
print(r:table())
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
    if not ok then return false, "race.new refused it: " .. tostring(r) end
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
