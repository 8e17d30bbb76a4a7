-- Lesson 22: generative adversarial nets. A GAN learning a 2-D mixture live (real
-- and generated points over D's surface, each generated point's gradient, D(x) and
-- D(G(z)) going to 1/2, the modes covered); k D steps per G step; the minimax,
-- non-saturating and Wasserstein losses (clipping, gradient penalty); mode
-- collapse; small image GANs (an MLP and a DCGAN) with a sample grid from a fixed noise batch and an
-- interpolation between two codes.
lesson{"gans", "Generative adversarial nets"}
local gan = require "gan"

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Two nets in a game

A **generator** G turns random noise z into a sample G(z); a **discriminator** D
takes a sample and says how likely it is to be real, D(x) ∈ (0, 1). D is trained
to tell real from generated; G is trained to fool D. The value of the game is

  min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))].

Training alternates: **k steps of D** (G frozen: real points labelled 1,
generated ones 0), then **one step of G** (D frozen: the gradient flows through D
into G, but only G's weights move). If G matches the data perfectly, D can do no
better than a coin: D(x) = D(G(z)) = ½.

Below, G (noise of 2 → 64 → 64 → 2, ReLU) learns a ring of eight Gaussians. The
window shows D over the plane (bright: "real"), the real points (1) and a fixed
batch of generated points (2), each with an arrow: minus the gradient of G's loss
at that point, the way G's next step pushes it. The curves are D(x) and D(G(z));
the bars count generated points near each mode.
]]

show[[
lib22 = require "lessonlib_21_22"
views = require "views_gen"
ring = lib22.ring_gan("nonsaturating")
ring_view = views.gan2d(ring)
ring_view:run(1500, 100)
print(ring, ("  modes covered %d of 8"):format(ring_view.covered))
]]

say[[
In the window: **d** steps D alone, **g** steps G alone (watch the arrows turn
after a few D steps), **space** trains or pauses, **1**–**4** swap in a ring, a
grid, two moons or a spiral, **a** hides the arrows. Draw your own distribution
with the mouse: **c** clears the data, a click adds a blob of real points, and
dragging with the left button held draws points along the stroke; the GAN trains
on what you draw as you draw it.
`gan.load_csv(path)` reads points from a file: `ring_view:set_real(gan.load_csv("my.csv"))`.
]]

task{
  [[D's loss on one real point with logit l_r (D(x) = σ(l_r)) and one generated
  point with logit l_f is −log σ(l_r) − log(1 − σ(l_f)). Write `d_loss(lr, lf)`
  for two numbers. (In the code it is softplus(−l_r) + softplus(l_f): the same
  value, without overflow.)]],
  check = function(env)
    if type(env.d_loss) ~= "function" then return false, "there is no function `d_loss` yet" end
    local function sig(v) return 1 / (1 + math.exp(-v)) end
    local ok, v = pcall(env.d_loss, 1.5, -0.5)
    if not ok then return false, "d_loss raised an error: " .. tostring(v) end
    local want = -math.log(sig(1.5)) - math.log(1 - sig(-0.5))
    if near(v, want, 1e-9) and near(env.d_loss(0, 0), 2 * math.log(2), 1e-9) then return true end
    if near(v, -math.log(sig(1.5)) - math.log(sig(-0.5)), 1e-9) then
      return false, "the generated point must be called fake: log(1 − D(G(z))), not log D(G(z))"
    end
    if near(v, math.log(sig(1.5)) + math.log(1 - sig(-0.5)), 1e-9) then
      return false, "that is the value V that D maximises; the loss to minimise is −V"
    end
    return false, ("d_loss(1.5, -0.5) gives %s, want %.6f"):format(tostring(v), want)
  end,
  hint = "local function s(v) return 1 / (1 + math.exp(-v)) end; return -math.log(s(lr)) - math.log(1 - s(lf))",
  solution = [[
function d_loss(lr, lf)
  local function s(v) return 1 / (1 + math.exp(-v)) end
  return -math.log(s(lr)) - math.log(1 - s(lf))
end]],
  wrong = {
    {"the fake called real", [[
function d_loss(lr, lf)
  local function s(v) return 1 / (1 + math.exp(-v)) end
  return -math.log(s(lr)) - math.log(s(lf))
end]]},
    {"V instead of −V", [[
function d_loss(lr, lf)
  local function s(v) return 1 / (1 + math.exp(-v)) end
  return math.log(s(lr)) + math.log(1 - s(lf))
end]]},
  },
}

say[[
# Minimax against non-saturating

G's loss in the game is log(1 − D(G(z))) (**minimax**). Early on D rejects G's
samples easily, D(G(z)) ≈ 0, where log(1 − D) is flat: G's gradient vanishes
just when G most needs it. The **non-saturating** loss −log D(G(z)) has the same
fixed point but a steep slope there. Its gradient with respect to the logit l is
σ(l) − 1 ≈ −1 when D rejects, where minimax's is −σ(l) ≈ 0.
]]

show[[
for _, l in ipairs{-6, -3, 0} do
  local s = 1 / (1 + math.exp(-l))
  print(("D(G(z)) = %.4f: slope of minimax %.4f, of non-saturating %.4f"):format(s, -s, s - 1))
end
]]

quiz{
  [[Which losses does nnlab's `gan.new{loss = "nonsaturating"}` train with?]],
  choices = {
    "D minimises −log D(x) − log(1 − D(G(z))); G minimises −log D(G(z)).",
    "D minimises −log D(x) − log(1 − D(G(z))); G minimises log(1 − D(G(z))).",
    "D and G minimise the same loss, with opposite signs.",
  },
  answer = 1,
  why = [[D's loss is the same in both; only G's changes. The second is minimax,
  the third describes minimax too (G minimises V, D maximises it).]],
}

say[[
# Mode collapse and the Wasserstein critic

G can win for a while by putting all its samples on the one mode D currently
trusts most; D then learns to reject that mode, and G jumps to another: **mode
collapse**, counted by the bars (modes covered). The **Wasserstein** GAN replaces
D by a *critic* f with unbounded output: the critic minimises f(G(z)) − f(x), G
minimises −f(G(z)), which estimates the earth-mover distance between the two
distributions — if f is 1-Lipschitz. Two ways to keep it so:

- **clip** every critic weight to [−c, c] after each step (the original WGAN);
- a **gradient penalty** λ (‖∇ₓf(x̂)‖ − 1)² at points x̂ between real and
  generated ones (WGAN-GP). nnlab computes ∇ₓf of its tanh critic in closed form,
  as a graph, so the penalty itself has a gradient.

The critic takes k = 5 steps per G step (on batches of 64). Below, the modes covered after 200, 400 and 600 steps:
]]

show[[
for _, cfg in ipairs{ {"nonsaturating", {}}, {"minimax", {}}, {"wasserstein", {gp = 1, batch = 64}}, {"wasserstein", {clip = 0.1, lr = 5e-4, batch = 64}} } do
  local g = lib22.ring_gan(cfg[1], cfg[2])
  local curve = lib22.coverage_curve(g, 600, 200)
  local s = {}
  for _, c in ipairs(curve) do s[#s + 1] = c[2] end
  print(("%-14s %-10s modes covered at 200, 400, 600 steps: %s"):format(cfg[1],
    cfg[2].gp and "gp 1" or cfg[2].clip and "clip 0.1" or "", table.concat(s, " ")))
end
]]

say[[
Clipping is a crude leash: with small c the critic can hardly express anything,
with large c it is not Lipschitz; here it learns slowly and sits on a few modes.
The gradient penalty constrains exactly what the theory needs.
]]

task{
  [[Clip the critic: write `clip(values, c)` returning a new list with each number
  of `values` limited to [−c, c].]],
  check = function(env)
    if type(env.clip) ~= "function" then return false, "there is no function `clip` yet" end
    local ok, v = pcall(env.clip, {-0.3, 0.005, 0.2, -0.01}, 0.01)
    if not ok then return false, "clip raised an error: " .. tostring(v) end
    if type(v) ~= "table" then return false, "return a list" end
    local want = {-0.01, 0.005, 0.01, -0.01}
    for i = 1, 4 do
      if not near(v[i], want[i], 1e-12) then
        if near(v[1], 0.01, 1e-12) then return false, "a negative weight below −c goes to −c, not +c" end
        return false, ("clip gives %s at %d, want %g"):format(tostring(v[i]), i, want[i])
      end
    end
    return true
  end,
  hint = "math.max(-c, math.min(c, v)) for each value",
  solution = [[function clip(values, c) local out = {}; for i, v in ipairs(values) do out[i] = math.max(-c, math.min(c, v)) end; return out end]],
  wrong = {
    {"the size clipped, the sign lost", [[function clip(values, c) local out = {}; for i, v in ipairs(values) do out[i] = math.min(c, math.abs(v)) end; return out end]]},
    {"only the upper bound", [[function clip(values, c) local out = {}; for i, v in ipairs(values) do out[i] = math.min(c, v) end; return out end]]},
  },
}

say[[
# A GAN that draws clothes

The same game on Fashion-MNIST: G maps 32 noise numbers through 256 ReLU units
to 784 pixels (sigmoid); D is 784 → 256 (leaky ReLU) → 1. The grid is G's output
for one *fixed* batch of noise, redrawn as it trains: from flat grey to noisy
silhouettes of tops and trousers after 450 steps. Sharp pictures take thousands
of steps (`fashion:train(3000)`, a few minutes) — or a convolutional generator,
as the next page shows.
]]

show[[
fm_x = lib22.fashion(2000)
fashion = lib22.fashion_gan(fm_x)
nn.seed(9)
fixed_z = fashion:noise_batch(32)
samples_view = views.gan_samples(fashion, fixed_z, {title = "G(z), fixed z: step 0"})
before = lib22.nearest_distance(fashion:sample(fixed_z), fm_x:rows(1, 1000))
for round = 1, 3 do
  fashion:train(150)
  samples_view.refresh(("G(z), fixed z: step %d"):format(150 * round))
end
after = lib22.nearest_distance(fashion:sample(fixed_z), fm_x:rows(1, 1000))
print(("mean distance from a sample to the nearest real image: %.2f before training, %.2f after"):format(before, after))
]]

say[[
Codes in between: G is a smooth function of z, so walking on the straight line
from one code to another changes the picture gradually, without jumps (here
from one noisy silhouette to another; with a better trained G, from one garment
to another).
]]

show[[
interp_view = views.gan_interpolation(fashion, fixed_z:rows(1), fixed_z:rows(2), {n = 10})
]]

say[[
# A convolutional GAN

`lib22.fashion_gan(fm_x, {conv = true})` builds a small DCGAN (`gan.dcgan`): G
maps 32 noise numbers through a linear layer to 32 maps of 7 × 7, then two 4 × 4
transposed convolutions of stride 2 (7 → 14 → 28), each after batch norm and
ReLU, and a tanh; D is two strided convolutions with leaky ReLU and a linear
logit. It trains on the images scaled to [−1, 1], tanh's range. Convolutions
share their weights across the image, so strokes and outlines appear in fewer
steps than with the MLP: after 90 steps the same fixed noise already gives
garment-shaped blobs.
]]

show[[
dc = lib22.fashion_gan(fm_x, {conv = true})
dc_view = views.gan_samples(dc, fixed_z, {title = "DCGAN G(z), fixed z: step 0"})
for round = 1, 3 do
  dc:train(30)
  dc_view.refresh(("DCGAN G(z), fixed z: step %d"):format(30 * round))
end
dc_interp = views.gan_interpolation(dc, fixed_z:rows(1), fixed_z:rows(2), {n = 10})
]]

say[[
Run `dc:train(1000)` then `dc_view.refresh()` for sharper clothes (a few
minutes of CPU), and redraw `views.gan_interpolation(dc, ...)` to walk between
two of them.
]]

quiz{
  [[D(x) and D(G(z)) both sit near ½ after training. What does that tell you?]],
  choices = {
    "G has learned the data distribution exactly.",
    "D cannot currently tell G's samples from real ones on average — which is also what you see when G has collapsed onto a few modes that D has not yet learned to reject, so look at the samples and the modes too.",
    "Training has diverged.",
  },
  answer = 2,
  why = [[½ is the equilibrium, but an average: a collapsed G can reach it for a
  while. The modes covered and the samples themselves tell the rest.]],
}

say[[
# What to take away

- G and D alternate: k steps of D (G frozen), one of G (D frozen).
- Minimax saturates when D wins; the non-saturating loss −log D(G(z)) does not.
- D(x) → ½ at the equilibrium; mode collapse hides behind averages.
- The Wasserstein critic needs a Lipschitz bound: weight clipping or a gradient penalty.
]]
