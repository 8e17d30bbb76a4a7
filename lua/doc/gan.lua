-- doc/gan.lua: help entries of the GANs (lua/gan.lua, lesson 22).
return {
  ["gan"] = {
    sig = "gan.new{...}, gan.preset, gan.load_csv, gan.modes_covered, gan.dcgan, gan.interpolate, gan.view",
    summary = "generative adversarial nets: minimax, non-saturating and Wasserstein (clipping or gradient penalty) losses, k D steps per G step",
    text = [[
g:step_d() steps the discriminator alone, g:step_g() the generator alone,
g:step() k of D then one of G, g:train(n) n rounds. g.history holds D(x), D(G(z))
and both losses per step. gan.view(g) shows it learning 2-D points live.]],
    example = [[
nn.seed(1)
g = gan.new{"ring", n = 256}
g:train(20)
print(g)]],
  },
  ["gan.new"] = {
    sig = "g = gan.new{real, noise = 2, hidden = {64, 64}, loss = \"nonsaturating\", k = 1, lr = 1e-3, lr_d =, lr_g =, batch = 128, clip = 0.01, gp =, act = \"tanh\", g_act = \"relu\", out =}",
    summary = "a GAN on real points [n, d] (a tensor, a data set or a preset's name)",
    text = [[
loss: "minimax" (G minimises log(1 - D(G(z)))), "nonsaturating" (-log D(G(z))) or
"wasserstein" (a critic; weights clipped to [-clip, clip] after each step, or with
gp = lambda a gradient penalty; k defaults to 5). D is an MLP of act layers (tanh:
its input gradient, for gp, is computed in closed form). g:sample(n or z),
g:d(x), g:point_gradients(x), g:surface(box, n), g:coverage(n, radius).]],
    example = [[
nn.seed(1)
g = gan.new{"ring", n = 256, loss = "wasserstein", gp = 1}
print(g:step_d(), g:step_g())]],
  },
  ["gan.preset"] = {
    sig = "points, centres = gan.preset(\"ring\" | \"grid\" | \"moons\" | \"spiral\" [, {n = 512, std =}])",
    summary = "2-D real data: a ring of 8 Gaussians, a 5 x 5 grid of Gaussians, two moons or a spiral",
    text = [[centres (ring and grid) are the modes, for gan.modes_covered.]],
    example = [[
p, c = gan.preset("ring", {n = 100})
print(p.shape, #c)   --> {100, 2}  8]],
  },
  ["gan.load_csv"] = {
    sig = "points = gan.load_csv(path)",
    summary = "real 2-D points from the first two numbers of each row of a CSV file",
    text = [[Rows without two numbers (a header) are skipped. view:set_real(points) shows them.]],
    example = [[
f = io.open("pts.csv", "w"); f:write("x,y\n0,1\n2,3\n"); f:close()
print(gan.load_csv("pts.csv"))]],
  },
  ["gan.modes_covered"] = {
    sig = "covered, counts = gan.modes_covered(samples, centres, radius [, min_share = 0.25])",
    summary = "the mode-collapse indicator: how many modes hold at least min_share of their fair share of the samples within radius",
    text = [[counts has the samples near each centre.]],
    example = [[
p, c = gan.preset("ring", {n = 400})
print(gan.modes_covered(p, c, 0.3))   --> 8  ...]],
  },
  ["gan.dcgan"] = {
    sig = "G, D = gan.dcgan{noise = 32, side = 28, width = 32}",
    summary = "a small DCGAN-like generator and discriminator for flat images [n, side*side] in [-1, 1]",
    text = [[
G: z -> linear -> [2*width, side/4, side/4] -> batch norm, ReLU -> 4x4 transposed
conv of stride 2 -> batch norm, ReLU -> 4x4 transposed conv of stride 2 -> tanh,
flattened to [n, side*side]. D: two 4x4 convs of stride 2 with leaky ReLU (0.2)
and a linear logit. Pass them to gan.new{x * 2 - 1, generator = G,
discriminator = D, noise = 32}: train on images scaled to tanh's range [-1, 1],
and set g.tanh_images = true so that views_gen's sample grids draw (G(z) + 1) / 2
as grey levels. Lesson 22's lib.fashion_gan(x, {conv = true}) does all this for
Fashion-MNIST.]],
    example = [[
nn.seed(1)
G, D = gan.dcgan{noise = 8, side = 8, width = 4}
g = gan.new{nn.rand(32, 64) * 2 - 1, generator = G, discriminator = D, noise = 8, batch = 8}
g:train(2)
print(g:sample(3).shape[2])   --> 64]],
  },
  ["gan.interpolate"] = {
    sig = "z = gan.interpolate(z1, z2, n)",
    summary = "n codes on the straight line from z1 to z2 (rows [1, noise]), for decoding an interpolation",
    text = [[require("views_gen").gan_interpolation(g, z1, z2) draws G along the line.]],
    example = [[print(gan.interpolate(nn.zeros(1, 2), nn.ones(1, 2), 3))]],
  },
  ["gan.view"] = {
    sig = "view = gan.view(g [, {res = 60, arrows = true, n_arrows = 64, samples = 256, radius = 0.3, box =, show =}])",
    summary = "a GAN on 2-D points, live: D's surface, real and generated points, each point's gradient, D(x) and D(G(z)), modes covered",
    text = [[
Keys in its window: d one D step, g one G step, space train or pause, 1-4 presets
(ring, grid, moons, spiral), c clear the real points, a arrows. The mouse draws
the real distribution on D's plane: a click adds a blob of 16 points; dragging
with the left button held adds points along the stroke (4 every 1/60 of the
plane's width, with a little jitter), and the GAN trains on them as you draw.
view:run(steps), view:step_d(n) and view:step_g(n) (the d and g keys as commands),
view:set_real(points), view:add_points(x, y), view:draw_to(x, y)
and view:end_stroke() (a stroke from code), view:clear(), view:save(path).]],
    example = [[
nn.seed(1)
v = gan.view(gan.new{"ring", n = 256}, {show = false, res = 20})
v:run(10)
v:save("gan.png")]],
  },
}
