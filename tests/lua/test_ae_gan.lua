-- test_ae_gan.lua: autoencoders and GANs (lua/ae.lua, lua/gan.lua, lua/views_gen.lua).
-- Each autoencoder loss's gradient against finite differences; the contractive
-- penalty against a finite-difference Jacobian; a linear autoencoder's subspace
-- against PCA's (principal angles); noise rates; the masked loss; ROC/AUC on a known
-- case; a 2-D GAN covering all 8 modes of a ring with a fixed seed; the Wasserstein
-- critic's clipping; the critic's input gradient and the gradient penalty's gradient.
local ae = require "ae"
local gan = require "gan"
local V = require "views_gen"
local T = require "nn.train"

local function check(cond, fmt, ...)
  if not cond then error(("FAIL: " .. fmt):format(...), 2) end
end

-- Central finite difference of f() with respect to element (i, j) of parameter p
-- (a [r, c] tensor), against p's autograd gradient after f():backward().
local function fd_check(name, p, f, entries, tol)
  for _, e in ipairs(entries) do
    local rows = p:totable()
    local function set(v)
      local c = {}
      for r, row in ipairs(rows) do c[r] = {table.unpack(row)} end
      c[e[1]][e[2]] = v
      T.assign(p, nn.tensor(c))
    end
    local v0 = rows[e[1]][e[2]]
    p.grad:fill(0)
    f():backward()
    local g = p.grad:totable()[e[1]][e[2]]
    local h = 1e-2
    set(v0 + h); local up = f():item()
    set(v0 - h); local dn = f():item()
    set(v0)
    local num = (up - dn) / (2 * h)
    local err = math.abs(num - g) / math.max(1e-3, math.abs(num) + math.abs(g))
    check(err < (tol or 2e-2), "%s: d/dw[%d][%d] autograd %.6g, finite difference %.6g (rel. err %.3g)",
      name, e[1], e[2], g, num, err)
  end
end

---------------------------------------------------------------------------- AE loss gradients
nn.seed(7)
local x = nn.rand(8, 6)
local m = ae.new{sizes = {6, 3}, code = "sigmoid", out = "sigmoid"}
local w = m.encoder:children()[1]:param(1)
local wd = m.decoder:children()[1]:param(1)
local _, mask = ae.movie_ratings()
local mask8 = nn.tensor((function()
  local r = {}
  for i = 1, 8 do r[i] = mask:totable()[(i - 1) % 5 + 1] end
  return r
end)())
local entries = {{1, 1}, {3, 2}, {6, 3}}
local losses = {
  mse = function() return ae.mse(m:forward(x), x) end,
  masked = function() return ae.mse(m:forward(x), x, mask8) end,
  l1 = function() return ae.l1_code(m:encode(x)) end,
  kl = function() return ae.kl_sparsity(m:encode(x), 0.1) end,
  contractive = function() return ae.contractive(m:encode(x), w) end,
}
for name, f in pairs(losses) do
  fd_check(name .. " (encoder)", w, f, entries)
  m.encoder:zero_grad(); m.decoder:zero_grad()
end
fd_check("mse (decoder)", wd, losses.mse, {{1, 1}, {2, 5}, {3, 6}})
fd_check("masked (decoder)", wd, losses.masked, {{1, 1}, {2, 5}, {3, 6}})
print("ok   each autoencoder loss's gradient matches finite differences")

-- the contractive penalty is the squared Frobenius norm of dh/dx, averaged over rows
local function jacobian_norm2(xrow)
  local s = 0
  for i = 1, 6 do
    local a, b = {table.unpack(xrow)}, {table.unpack(xrow)}
    a[i], b[i] = a[i] + 1e-2, b[i] - 1e-2
    local ha, hb = m:codes(nn.tensor{a}):totable()[1], m:codes(nn.tensor{b}):totable()[1]
    for j = 1, 3 do s = s + ((ha[j] - hb[j]) / 2e-2) ^ 2 end
  end
  return s
end
local xs, fd = x:totable(), 0
for r = 1, 8 do fd = fd + jacobian_norm2(xs[r]) / 8 end
local closed = nn.no_grad(function() return ae.contractive(m:encode(x), w) end):item()
check(math.abs(closed - fd) < 1e-3 * math.max(1, fd), "contractive closed form %.6g, finite-difference Jacobian %.6g", closed, fd)
print("ok   the contractive penalty equals ||dh/dx||_F^2 by finite differences")

-- KL sparsity is zero at the target and positive away from it
local h_at = nn.full({4, 3}, 0.2)
check(math.abs(ae.kl_sparsity(h_at, 0.2):item()) < 1e-6, "KL(rho || rho) is 0")
local kl = ae.kl_sparsity(nn.full({4, 1}, 0.5), 0.1):item()
local want = 0.1 * math.log(0.1 / 0.5) + 0.9 * math.log(0.9 / 0.5)
check(math.abs(kl - want) < 1e-5, "KL(0.1 || 0.5) = %.6f, want %.6f", kl, want)
check(not pcall(ae.kl_sparsity, h_at, 1.5), "rho outside (0, 1) is refused")
print("ok   KL sparsity against its formula")

---------------------------------------------------------------------------- masked loss
-- missing entries neither count nor get a gradient
local y = nn.rand(5, 6):requires_grad()
local r1, mk = ae.movie_ratings()
local l = ae.mse(y, r1, mk)
l:backward()
local g, mt = y.grad:totable(), mk:totable()
for i = 1, 5 do for j = 1, 6 do
  if mt[i][j] == 0 then check(g[i][j] == 0, "missing entry (%d, %d) gets gradient %g", i, j, g[i][j]) end
end end
local r2 = r1 + (1 - mk) * 7 -- other values where they are missing
check(math.abs(ae.mse(y, r2, mk):item() - l:item()) < 1e-7, "the masked loss changed with a missing entry")
check(math.abs(mk:sum():item() - 25) < 1e-9, "Table 3.1.1 has 25 ratings and 5 blanks")
print("ok   the masked loss leaves missing ratings out")

---------------------------------------------------------------------------- noise
nn.seed(3)
local ones = nn.ones(200, 50)
local masked = ae.noise(ones, "masking", 0.3)
local kept = masked:mean():item()
check(math.abs(kept - 0.7) < 0.02, "masking 0.3 keeps %.3f", kept)
local half = nn.full({200, 50}, 0.5)
local sp = ae.noise(half, "salt_pepper", 0.2):totable()
local salt, pepper = 0, 0
for _, row in ipairs(sp) do for _, v in ipairs(row) do
  if v == 1 then salt = salt + 1 elseif v == 0 then pepper = pepper + 1 end
end end
check(math.abs(salt / 1e4 - 0.1) < 0.01 and math.abs(pepper / 1e4 - 0.1) < 0.01, "salt %.3f pepper %.3f, want 0.1 each",
  salt / 1e4, pepper / 1e4)
local gz = ae.noise(nn.zeros(200, 50), "gaussian", 0.5)
local sd = math.sqrt((gz * gz):mean():item())
check(math.abs(sd - 0.5) < 0.02, "gaussian 0.5 has std %.3f", sd)
check(not pcall(ae.noise, ones, "speckle", 0.1), "an unknown noise kind is refused")
check(not pcall(ae.noise, ones, "masking", 1.5), "a probability above 1 is refused")
print("ok   noise: masking, salt-and-pepper and Gaussian rates")

---------------------------------------------------------------------------- PCA
-- Jacobi on a known matrix: eigenvalues 3 and 1 of [[2,1],[1,2]]
local vals = ae._jacobi({{2, 1}, {1, 2}})
check(math.abs(vals[1] - 3) < 1e-9 and math.abs(vals[2] - 1) < 1e-9, "jacobi eigenvalues %g %g", vals[1], vals[2])
-- principal angles: the same plane in another basis is angle 0; orthogonal lines 90 degrees
local c = ae.principal_angles({{1, 0}, {0, 1}, {0, 0}}, {{1, 1}, {1, -1}, {0, 0}})
check(math.abs(c[1] - 1) < 1e-9 and math.abs(c[2] - 1) < 1e-9, "same plane: cosines %g %g", c[1], c[2])
c = ae.principal_angles({{1}, {0}, {0}}, {{0}, {0}, {1}})
check(math.abs(c[1]) < 1e-9, "orthogonal lines: cosine %g", c[1])
-- PCA finds the axes of data stretched along known directions (variances 9, 4, 0.01)
nn.seed(5)
local z = nn.randn(2000, 3) * nn.tensor{3, 2, 0.1}
local rot = nn.tensor{{0.6, 0.8, 0}, {-0.8, 0.6, 0}, {0, 0, 1}}
local comp, var = ae.pca(z:matmul(rot), 2)
check(math.abs(var[1] - 9) < 0.8 and math.abs(var[2] - 4) < 0.4, "PCA variances %.3f %.3f, want 9 and 4", var[1], var[2])
c = ae.principal_angles(comp, rot:t():rows(1, 3):matmul(nn.tensor{{1, 0}, {0, 1}, {0, 0}}))
check(c[2] > 0.999, "PCA's plane against the true one: cosines %.5f %.5f", c[1], c[2])
print("ok   PCA and principal angles on known cases")

-- a linear autoencoder trained with squared error spans PCA's subspace
nn.seed(1)
local fm = data.fashion_mnist{limit = 2000, split = "train", shape = "flat"}:x()
local fc = fm - fm:mean(1)
local pcs = ae.pca(fc, 2)
local lin = ae.new{sizes = {784, 2}, code = "linear", out = "linear"}
lin:fit{fc, epochs = 10, lr = 3e-3}
local cos = ae.principal_angles(pcs, lin.decoder:children()[1]:param(1):t())
check(cos[1] > 0.99 and cos[2] > 0.99, "linear AE against PCA: cosines of the principal angles %.4f %.4f", cos[1], cos[2])
print(("ok   linear AE spans PCA's plane: cosines %.4f %.4f"):format(cos[1], cos[2]))

---------------------------------------------------------------------------- ROC
local roc = ae.roc({0.9, 0.8, 0.7, 0.6, 0.5, 0.4}, {1, 0, 1, 1, 0, 0})
-- pairs (pos, neg) ordered right: 0.9>all 3, 0.7>0.5,0.4, 0.6>0.5,0.4 -> 7 of 9
check(math.abs(roc.auc - 7 / 9) < 1e-12, "AUC %.6f, want 7/9", roc.auc)
roc = ae.roc({1, 1, 0}, {1, 0, 0})
check(math.abs(roc.auc - 0.75) < 1e-12, "a tie counts half: AUC %.4f, want 0.75", roc.auc)
check(not pcall(ae.roc, {1, 2}, {1, 1}), "ROC without normal rows is refused")
print("ok   ROC and AUC")

---------------------------------------------------------------------------- GANs
-- the losses at a logit of 0 (D = 1/2): D's is 2 log 2, G's minimax -log 2, non-saturating log 2
local gmm = gan.new{"ring", n = 64, loss = "minimax"}
local zero = nn.zeros(4, 1)
check(math.abs(gmm:g_loss_of(zero):item() + math.log(2)) < 1e-6, "minimax G loss at D = 1/2")
gmm.loss = "nonsaturating"
check(math.abs(gmm:g_loss_of(zero):item() - math.log(2)) < 1e-6, "non-saturating G loss at D = 1/2")
check(not pcall(gan.new, {"ring", loss = "hinge"}), "an unknown loss is refused")
check(not pcall(gan.new, {"ring", gp = 1}), "gp without the Wasserstein loss is refused")

-- a 2-D GAN covers all 8 modes of the ring (seed 1, 1500 steps; a mode: 1/4 of its
-- fair share of 1000 samples within 0.3 of its centre)
nn.seed(1)
local ring = gan.new{"ring", n = 1024, noise = 2, lr = 1e-3}
ring:train(1500)
local covered, counts = ring:coverage(1000, 0.3)
check(covered == 8, "the GAN covers %d of 8 modes after 1500 steps (%s)", covered, table.concat(counts, " "))
local dr, df = ring.history.d_real, ring.history.d_fake
check(math.abs(dr[#dr] - 0.5) < 0.1 and math.abs(df[#df] - 0.5) < 0.1, "D(x) %.3f and D(G(z)) %.3f near 1/2", dr[#dr], df[#df])
print(("ok   8 of 8 modes covered after 1500 steps (%s)"):format(table.concat(counts, " ")))
-- a collapsed generator (all at one centre) covers one mode
check(gan.modes_covered({{2, 0}, {2.1, 0}, {1.9, 0.1}}, ring.centres, 0.3) == 1, "one mode for points at one centre")

-- weight clipping holds after every critic step
nn.seed(2)
local wg = gan.new{"ring", n = 256, loss = "wasserstein", clip = 0.05, lr = 5e-3}
local at_bound = 0
for _ = 1, 20 do
  wg:step()
  for _, p in ipairs(wg.discriminator:parameters()) do
    for _, row in ipairs(p.ndim == 2 and p:totable() or {p:totable()}) do
      for _, v in ipairs(row) do
        check(math.abs(v) <= 0.05 + 1e-7, "a critic weight %g is outside [-0.05, 0.05]", v)
        if math.abs(v) > 0.05 - 1e-6 then at_bound = at_bound + 1 end
      end
    end
  end
end
check(at_bound > 0, "no weight ever reached the clip bound (the test would hold vacuously)")
print("ok   the Wasserstein critic's weights stay within the clip")

-- the critic's input gradient in closed form against finite differences of its forward
nn.seed(4)
local wgp = gan.new{"ring", n = 256, loss = "wasserstein", gp = 1}
local pts = nn.randn(5, 2)
local gx = wgp:critic_input_grad(pts):totable()
local pt = pts:totable()
for i = 1, 5 do for j = 1, 2 do
  local a, b = {table.unpack(pt[i])}, {table.unpack(pt[i])}
  a[j], b[j] = a[j] + 1e-2, b[j] - 1e-2
  local num = (wgp:d(nn.tensor{a}):item() - wgp:d(nn.tensor{b}):item()) / 2e-2
  check(math.abs(num - gx[i][j]) < 2e-3 * math.max(1, math.abs(num)), "df/dx[%d][%d] closed form %.6g, finite difference %.6g",
    i, j, gx[i][j], num)
end end
-- and the gradient penalty's gradient with respect to a critic weight
local w1 = wgp.discriminator:children()[1]:param(1)
local xr, xf = nn.randn(16, 2), nn.randn(16, 2)
local function gp_loss()
  local gr = wgp:critic_input_grad((xr + xf) * 0.5)
  local nrm = ((gr * gr):sum(2) + 1e-12):sqrt()
  return ((nrm - 1) * (nrm - 1)):mean()
end
fd_check("gradient penalty", w1, gp_loss, {{1, 1}, {2, 7}, {1, 30}}, 3e-2)
print("ok   the critic's input gradient and the gradient penalty's gradient")

-- stepping D alone leaves G unchanged, and G alone leaves D unchanged
local gw = ring.generator:children()[1]:param(1):totable()
local dw = ring.discriminator:children()[1]:param(1):totable()
ring:step_d()
check(ring.generator:children()[1]:param(1):totable()[1][1] == gw[1][1], "a D step changed G")
local dw2 = ring.discriminator:children()[1]:param(1):totable()
check(dw2[1][1] ~= dw[1][1], "a D step left D as it was")
ring:step_g()
check(ring.discriminator:children()[1]:param(1):totable()[1][1] == dw2[1][1], "a G step changed D")
local k3 = gan.new{"ring", n = 64, k = 3, batch = 16}
k3:step()
check(k3.steps.d == 3 and k3.steps.g == 1, "g:step() with k = 3 took %d D and %d G steps", k3.steps.d, k3.steps.g)
print("ok   D steps and G steps each move only their own net; k D steps per G step")

---------------------------------------------------------------------------- presets and views
for _, name in ipairs{"ring", "grid", "moons", "spiral"} do
  local p = gan.preset(name, {n = 100})
  check(p.shape[1] == 100 and p.shape[2] == 2, "preset %s is [100, 2]", name)
end
check(not pcall(gan.preset, "square"), "an unknown preset is refused")
local csv = os.tmpname()
local f = io.open(csv, "w"); f:write("x,y\n1,2\n3,4\n-1.5,2e-1\n"); f:close()
local pc = gan.load_csv(csv):totable()
os.remove(csv)
check(#pc == 3 and pc[3][1] == -1.5 and math.abs(pc[3][2] - 0.2) < 1e-7, "CSV points read")

do -- the code view: its points from the model's codes, one line at the prompt
  local small_ae = ae.new{sizes = {4, 2}}
  local cls = {}
  for i = 1, 30 do cls[i] = i % 3 end
  local cv = V.code_scatter(small_ae, nn.rand(30, 4), cls, {show = false})
  check(repl.repr(cv) == "code view: 30 points, 1 redraws", "the code view in one line: %s", repl.repr(cv))
end

local view = V.gan2d(ring, {show = false, res = 20})
check(view.covered and view.covered >= 1, "the GAN view counts modes")
local n_d, n_g0 = ring.steps.d, ring.steps.g
view:key("d")
check(ring.steps.d == n_d + 1 and ring.steps.g == n_g0, "the d key steps D once and G not at all")
local n_g = ring.steps.g
view:key("g")
check(ring.steps.g == n_g + 1 and ring.steps.d == n_d + 1, "the g key steps G once")
view:step_d(3)
view:step_g(2)
check(ring.steps.d == n_d + 4 and ring.steps.g == n_g + 3, "view:step_d(3) and view:step_g(2) step D alone, then G alone")
view:add_points(0, 0, 8)
check(ring.real.shape[1] == 8 and ring.centres == nil, "a click starts a drawn set")
-- a stroke from code: spots of 4 points every 1/60 of the box's width along it
local width = view.box.xmax - view.box.xmin
view:draw_to(0, 0)
view:draw_to(0.5 * width, 0)
check(#view.real_shown == 8 + 4 * 30 and ring.real.shape[1] == #view.real_shown,
  "a stroke half the box wide adds 30 spots of 4 points (%d points)", #view.real_shown)
view:end_stroke()
view:draw_to(0, 1)
check(#view.real_shown == 128, "after view:end_stroke() the next draw_to only starts a stroke")
view:key("c")
check(#view.real_shown == 0 and not pcall(view.run, view, 1), "c clears the real points; training waits for new ones")
local png = os.tmpname() .. ".png"
view:save(png)
local fh = io.open(png, "rb"); check(fh ~= nil, "the GAN view saves a PNG"); fh:close(); os.remove(png)
print("ok   presets, CSV and the GAN view")

---------------------------------------------------------------------------- errors
local function refuses(needle, f, ...)
  local ok, err = pcall(f, ...)
  check(not ok and tostring(err):find(needle, 1, true), "expected an error with %q, got %s", needle, tostring(err))
end
local small = ae.new{sizes = {4, 2}}
refuses("unknown option 'epoch'", small.fit, small, {nn.rand(8, 4), epoch = 3})
refuses("expected the inputs", small.fit, small, {"x"})
refuses("sizes must list", ae.new, {sizes = {4}})
refuses("act must be the name of an activation", ae.new, {sizes = {4, 3, 2}, act = "relux"})
refuses("contractive = needs", small.fit, small, {nn.rand(8, 4), contractive = 0.1, epochs = 1})
refuses("k (D steps per G step)", gan.new, {"ring", k = 0})
refuses("gan.preset: name must be one of \"ring\", \"grid\", \"moons\", \"spiral\", got the string \"circle\"", gan.preset, "circle")
refuses("gan.view: expected a GAN", gan.view, {})
print("ok   bad arguments are refused with clear messages")

---------------------------------------------------------------------------- convolutional nets
-- ae.conv: a conv encoder and a transposed-conv decoder; 28 x 28 in, 28 x 28 out exactly
nn.seed(1)
local cae = ae.conv{}
local fm300 = fm:rows(1, 300)
local y4 = cae:reconstruct(fm300:rows(1, 4))
check(y4.shape[1] == 4 and y4.shape[2] == 784, "conv AE output [%d, %d], want [4, 784]", y4.shape[1], y4.shape[2])
local kids = cae.decoder:children()
check(kids[#kids - 2]:info().kind == "conv_transpose2d", "the decoder ends in a transposed convolution (%s)", kids[#kids - 2]:info().kind)
local cz = cae:codes(fm300:rows(1, 4))
check(cz.shape[2] == 32, "conv AE code size %d, want 32", cz.shape[2])
-- it learns: 6 epochs on 300 images (seed 1) bring the MSE below 0.045, about half of
-- what the best constant image (the mean) gets (0.087)
local base = nn.no_grad(function() local d = fm300 - fm300:mean(1); return (d * d):mean():item() end)
local cl = cae:fit{fm300, epochs = 6, batch = 32, lr = 2e-3}
check(cl[6] < 0.045 and cl[6] < 0.6 * base and cl[6] < cl[1], "conv AE MSE %.4f -> %.4f (the mean image: %.4f)", cl[1], cl[6], base)
print(("ok   conv autoencoder: 28x28 round trip, MSE %.4f -> %.4f (mean image %.4f)"):format(cl[1], cl[6], base))
refuses("cannot be halved", ae.conv, {side = 30})

-- gan.dcgan: G's output is [n, 784] in [-1, 1] (tanh) and not constant; D's loss moves
nn.seed(1)
local cg, cd = gan.dcgan{noise = 32, side = 28, width = 8}
local dc = gan.new{fm300 * 2 - 1, noise = 32, generator = cg, discriminator = cd, batch = 16}
local s = dc:sample(8)
check(s.shape[1] == 8 and s.shape[2] == 784, "DCGAN sample [%d, %d], want [8, 784]", s.shape[1], s.shape[2])
local smax, smin = s:max(2):max(1):item(), -((-s):max(2):max(1):item())
-- tanh's range, and both signs at the start (a centred output, not a squashed sigmoid)
check(smax <= 1 and smin >= -1 and smin < -0.05 and smax > 0.05, "DCGAN samples in [%.3f, %.3f], want within [-1, 1], both signs", smin, smax)
local dl = {}
for i = 1, 4 do dl[i] = dc:step_d(); dc:step_g() end
check(math.abs(dl[4] - dl[1]) > 1e-3, "D's loss moved %.5f -> %.5f", dl[1], dl[4])
check(dc.discriminator:children()[2]:info().kind == "conv2d", "D starts with a convolution")
print(("ok   DCGAN: samples [8, 784] in [%.2f, %.2f], D loss %.4f -> %.4f"):format(smin, smax, dl[1], dl[4]))
