-- gan.lua: generative adversarial nets (lesson 22), trained here in Lua through
-- autograd. A generator G (noise z -> a sample) and a discriminator D (a sample ->
-- a logit, or for the Wasserstein loss a critic value) take turns: k steps of D, then
-- one of G, each step updating only its own net. Losses (D's logit l, D(x) = sigmoid(l)):
--   D:                 -log D(x) - log(1 - D(G(z)))  = softplus(-l_real) + softplus(l_fake)
--   G, "minimax":      log(1 - D(G(z)))               = -softplus(l_fake)
--   G, "nonsaturating": -log D(G(z))                  = softplus(-l_fake)
--   "wasserstein":     critic f minimises f(G(z)) - f(x), G minimises -f(G(z));
--                      the critic's weights clipped to [-clip, clip] after each step,
--                      or (gp = lambda) the gradient penalty lambda (||grad_x f(x^)|| - 1)^2
--                      on points x^ between real and generated ones.
-- The 2-D presets (ring and grid of Gaussians, two moons, spiral) and the
-- mode-coverage count live here too; the live view is in lua/views_gen.lua.
local check = require "argcheck"
local util = require "util"
local gan = {}

local is_tensor, is_dataset = check.is_tensor, check.is_dataset

-- The most points (or codes) a call makes as Lua lists: more would only exhaust memory.
local MAX_POINTS = 1000000

local G = {}
G.__index = G
G.__name = "gan"

local LOSSES = {minimax = true, nonsaturating = true, wasserstein = true}

-- x, points [n, d] of the real data's d dimensions (what D takes).
local function check_points(self, fname, what, x)
  local d = self.real.shape[2]
  if not is_tensor(x) or x.ndim ~= 2 or x.shape[2] ~= d then
    check.fail(fname, what, ("points [n, %d] (a tensor)"):format(d), x)
  end
end

---------------------------------------------------------------------- 2-D presets

-- n standard normals as a Lua list, from nn's generator (the same seed, the same set).
local function normals(n) return nn.randn(n):totable() end
local function uniforms(n) return nn.rand(n):totable() end

--- gan.preset(name [, {n = 512, std =}]) -> points [n, 2] (a tensor), the modes' centres
--- (a list of {x, y}, for "ring" and "grid"; nil otherwise). name: "ring" (8 Gaussians
--- on a circle of radius 2), "grid" (5 x 5 Gaussians), "moons", "spiral".
function gan.preset(name, o)
  if name ~= "ring" and name ~= "grid" and name ~= "moons" and name ~= "spiral" then
    check.fail("gan.preset", "name", "one of \"ring\", \"grid\", \"moons\", \"spiral\"", name, 3)
  end
  o = check.options("gan.preset", o)
  local n = check.whole("gan.preset", "n", o.n, 1, MAX_POINTS, 512)
  if o.std ~= nil then check.number("gan.preset", "std", o.std, 0) end
  local pts, centres = {}, nil
  local e = normals(2 * n)
  local u = uniforms(n)
  if name == "ring" or name == "grid" then
    centres = {}
    if name == "ring" then
      for k = 0, 7 do centres[#centres + 1] = {2 * math.cos(k * math.pi / 4), 2 * math.sin(k * math.pi / 4)} end
    else
      for i = -2, 2 do for j = -2, 2 do centres[#centres + 1] = {i, j} end end
    end
    local std = o.std or (name == "ring" and 0.05 or 0.05)
    for i = 1, n do
      local c = centres[math.min(#centres, 1 + math.floor(u[i] * #centres))]
      pts[i] = {c[1] + std * e[2 * i - 1], c[2] + std * e[2 * i]}
    end
  elseif name == "moons" then
    local std = o.std or 0.05
    for i = 1, n do
      local t = math.pi * ((i * 0.6180339887) % 1)
      if i % 2 == 0 then pts[i] = {math.cos(t) - 0.5, math.sin(t) - 0.25}
      else pts[i] = {0.5 - math.cos(t), 0.25 - math.sin(t)} end
      pts[i][1], pts[i][2] = 1.5 * pts[i][1] + std * e[2 * i - 1], 1.5 * pts[i][2] + std * e[2 * i]
    end
  elseif name == "spiral" then
    local std = o.std or 0.04
    for i = 1, n do
      local t = 0.5 + 3.5 * u[i]
      local r = 0.55 * t
      pts[i] = {r * math.cos(2 * t) + std * e[2 * i - 1], r * math.sin(2 * t) + std * e[2 * i]}
    end
  end
  return nn.tensor(pts), centres
end

--- gan.load_csv(path) -> points [n, 2] from the first two numeric columns of a CSV
function gan.load_csv(path)
  if type(path) ~= "string" then check.fail("gan.load_csv", "path", "a file name", path, 3) end
  local f, err = io.open(path)
  if not f then error("gan.load_csv: " .. tostring(err), 2) end
  local pts = {}
  for line in f:lines() do
    local a, b = line:match("^%s*([-+%d.eE]+)%s*[,;%s]%s*([-+%d.eE]+)")
    a, b = tonumber(a), tonumber(b)
    if check.is_finite(a) and check.is_finite(b) then pts[#pts + 1] = {a, b} end
  end
  f:close()
  if #pts < 2 then error(("gan.load_csv: %s has %d rows of two numbers; it needs at least 2"):format(path, #pts), 2) end
  return nn.tensor(pts)
end

--- gan.modes_covered(samples, centres, radius [, min_share]) -> the number of modes
--- covered, and per mode the count of samples within radius of its centre. A mode is
--- covered when it holds at least min_share (default 1/4) of its fair share of the
--- samples (n / #centres).
function gan.modes_covered(samples, centres, radius, min_share)
  local f = "gan.modes_covered"
  local s = samples
  if is_tensor(samples) then
    if samples.ndim ~= 2 or samples.shape[2] < 2 then
      check.fail(f, "samples", "points [n, 2] (a tensor or a list of {x, y})", samples, 3)
    end
    s = samples:totable()
  elseif type(samples) ~= "table" then
    check.fail(f, "samples", "points [n, 2] (a tensor or a list of {x, y})", samples, 3)
  end
  for i = 1, #s do check.point(f, ("samples[%d]"):format(i), s[i]) end
  if type(centres) ~= "table" or #centres < 1 then
    check.fail(f, "centres", "a list of the modes' centres {{x, y}, ...}", centres, 3)
  end
  for k = 1, #centres do check.point(f, ("centres[%d]"):format(k), centres[k]) end
  check.positive(f, "radius", radius)
  if min_share ~= nil then check.number(f, "min_share", min_share, 0) end
  local counts = {}
  for k = 1, #centres do counts[k] = 0 end
  local r2 = radius * radius
  for _, p in ipairs(s) do
    for k, c in ipairs(centres) do
      if (p[1] - c[1]) ^ 2 + (p[2] - c[2]) ^ 2 <= r2 then counts[k] = counts[k] + 1; break end
    end
  end
  local need = math.max(1, (min_share or 0.25) * #s / #centres)
  local covered = 0
  for k = 1, #centres do if counts[k] >= need then covered = covered + 1 end end
  return covered, counts
end

---------------------------------------------------------------------- the nets

-- Linear layers through sizes, the activation named hidden between them and last (if
-- any) at the end (names checked by gan.new).
local function mlp(sizes, hidden, last)
  local layers = {}
  for i = 1, #sizes - 1 do
    layers[#layers + 1] = nn.linear(sizes[i], sizes[i + 1])
    local a = i < #sizes - 1 and hidden or last
    if a and a ~= "linear" then layers[#layers + 1] = nn.activation(a) end
  end
  return nn.sequential(layers)
end

--- gan.new{real, noise = 2, hidden = {64, 64}, loss = "nonsaturating", k = 1,
--- lr = 1e-3, lr_d =, lr_g =, batch = 128, clip = 0.01, gp =, act = "tanh", out =,
--- generator =, discriminator =} -> a GAN. real: points [n, d] (a tensor, a data set
--- or a preset's name). The discriminator is an MLP of tanh layers (its input
--- gradient, for gp, is computed in closed form through them).
function gan.new(o)
  if type(o) ~= "table" or getmetatable(o) ~= nil then error("gan.new: expected {real, noise = 2, ...}, got " .. check.describe(o), 2) end
  local real = o[1] or o.real
  local centres = o.centres
  if type(real) == "string" then
    if real ~= "ring" and real ~= "grid" and real ~= "moons" and real ~= "spiral" then
      check.fail("gan.new", "real", "points [n, d] or a preset's name (\"ring\", \"grid\", \"moons\", \"spiral\")", real, 3)
    end
    real, centres = gan.preset(real, {n = check.whole("gan.new", "n", o.n, 1, MAX_POINTS, 512)})
  end
  if is_dataset(real) then real = real:x() end
  if not is_tensor(real) or real.ndim ~= 2 or real.shape[1] < 1 then
    check.fail("gan.new", "real", "points [n, d] (a tensor, a data set or a preset's name)", real, 3)
  end
  if centres ~= nil then
    if type(centres) ~= "table" then check.fail("gan.new", "centres", "a list of points {{x, y}, ...}", centres, 3) end
    for i = 1, #centres do check.point("gan.new", ("centres[%d]"):format(i), centres[i]) end
  end
  local loss = o.loss or "nonsaturating"
  if not LOSSES[loss] then
    error(("gan.new: loss must be \"minimax\", \"nonsaturating\" or \"wasserstein\", got %s"):format(tostring(loss)), 2)
  end
  if o.gp and loss ~= "wasserstein" then error("gan.new: gp (a gradient penalty) goes with loss = \"wasserstein\"", 2) end
  local f = "gan.new"
  local k = check.whole(f, "k (D steps per G step)", o.k, 1, 1000, loss == "wasserstein" and 5 or 1)
  local dim, nz = real.shape[2], check.whole(f, "noise", o.noise, 1, nil, 2)
  local hidden = o.hidden or {64, 64}
  if type(hidden) ~= "table" then check.fail(f, "hidden", "a list of layer sizes, like {64, 64}", hidden, 3) end
  for i = 1, #hidden do check.whole(f, ("hidden[%d]"):format(i), hidden[i], 1) end
  local batch = check.whole(f, "batch", o.batch, 1, MAX_POINTS, 128)
  for _, name in ipairs{"lr", "lr_d", "lr_g", "clip", "gp"} do
    if o[name] ~= nil then check.positive(f, name, o[name]) end
  end
  if o.generator ~= nil then check.model(f, "generator", o.generator) end
  if o.discriminator ~= nil then check.model(f, "discriminator", o.discriminator) end
  for _, name in ipairs{"act", "g_act", "out"} do
    if o[name] ~= nil then check.activation(f, name, o[name]) end
  end
  local gs, ds = {nz}, {dim}
  for _, h in ipairs(hidden) do gs[#gs + 1] = h end
  for i = #hidden, 1, -1 do ds[#ds + 1] = hidden[i] end
  gs[#gs + 1], ds[#ds + 1] = dim, 1
  local self = setmetatable({
    real = real, centres = centres, noise = nz, loss = loss, k = k, batch = batch,
    clip = loss == "wasserstein" and not o.gp and (o.clip or 0.01) or nil, gp = o.gp,
    generator = o.generator or mlp(gs, o.g_act or "relu", o.out),
    discriminator = o.discriminator or mlp(ds, o.act or "tanh"),
    steps = {d = 0, g = 0},
    history = {d_real = {}, d_fake = {}, d_loss = {}, g_loss = {}},
  }, G)
  self.own_critic = o.discriminator == nil and (o.act or "tanh") == "tanh"
  local lr = o.lr or 1e-3
  local betas = loss == "wasserstein" and o.gp == nil and {} or {beta1 = 0.5}
  if self.clip then -- weight clipping: RMSProp, as Arjovsky et al. (momentum fights the clip)
    self.opt_d = optim.rmsprop(self.discriminator, {lr = o.lr_d or lr})
  else
    self.opt_d = optim.adam(self.discriminator, {lr = o.lr_d or lr, beta1 = betas.beta1})
  end
  self.opt_g = optim.adam(self.generator, {lr = o.lr_g or lr, beta1 = betas.beta1})
  if self.clip then self:clip_weights() end
  return self
end

--- g:noise_batch(n) -> z [n, noise], standard normal
function G:noise_batch(n) return nn.randn(check.whole("g:noise_batch", "n", n, 1, MAX_POINTS), self.noise) end

--- g:sample(n | z) -> G(z) [n, d], without a graph
function G:sample(z)
  if type(z) == "number" then
    z = nn.randn(check.whole("g:sample", "n", z, 1, MAX_POINTS), self.noise)
  elseif not is_tensor(z) or z.ndim ~= 2 then
    check.fail("g:sample", "the argument", ("a number of samples or codes z [n, %d] (a tensor)"):format(self.noise), z, 3)
  elseif z.shape[2] ~= self.noise then
    check.fail("g:sample", "z", ("codes [n, %d]"):format(self.noise), z, 3)
  end
  return nn.no_grad(function() return self.generator:forward(z) end)
end

-- A random batch of the real points.
function G:real_batch(n)
  n = check.whole("g:real_batch", "n", n, 1, MAX_POINTS)
  local total = self.real.shape[1]
  local u = nn.rand(n):totable()
  local idx = {}
  for i = 1, n do idx[i] = math.min(total, 1 + math.floor(u[i] * total)) end
  return self.real:gather(idx)
end

--- g:d(x) -> D's outputs for x [n, d], without a graph: probabilities (sigmoid of the
--- logit), or critic values for the Wasserstein loss
function G:d(x)
  check_points(self, "g:d", "x", x)
  return nn.no_grad(function()
    local l = self.discriminator:forward(x)
    if self.loss ~= "wasserstein" then l = nn.sigmoid(l) end
    return l
  end)
end

-- The weights and biases of the own tanh critic, layer by layer.
local function critic_layers(m)
  local ls = {}
  for _, c in ipairs(m:children()) do
    if c:info().kind == "linear" then ls[#ls + 1] = {w = c:param(1), b = c:param(2)} end
  end
  return ls
end

--- g:critic_input_grad(x) -> d f / d x [n, d] as a graph (so a penalty on it has a
--- gradient with respect to the weights): for f = W_L tanh(... tanh(x W_1 + b_1) ...),
--- back through the layers: g <- W_L^T; g <- (g * (1 - h_l^2)) W_l^T.
function G:critic_input_grad(x)
  if not self.own_critic then
    error("g:critic_input_grad: needs the GAN's own tanh discriminator (no discriminator = of yours)", 2)
  end
  check_points(self, "g:critic_input_grad", "x", x)
  local ls = critic_layers(self.discriminator)
  local hs, h = {}, x
  for l = 1, #ls - 1 do
    h = nn.tanh(h:matmul(ls[l].w) + ls[l].b)
    hs[l] = h
  end
  local n = x.shape[1]
  local g = nn.ones(n, 1):matmul(ls[#ls].w, false, true) -- [n, H]: each row W_L^T
  for l = #ls - 1, 1, -1 do
    g = (g * (1 - hs[l] * hs[l])):matmul(ls[l].w, false, true)
  end
  return g
end

-- D's loss on a real and a generated batch (a tensor in D's graph; fake detached).
function G:d_loss(xr, xf)
  check_points(self, "g:d_loss", "xr", xr)
  check_points(self, "g:d_loss", "xf", xf)
  local out_r, out_f = self.discriminator:forward(xr), self.discriminator:forward(xf)
  if self.loss == "wasserstein" then
    local l = out_f:mean() - out_r:mean()
    if self.gp then
      local n = xr.shape[1]
      local eps = nn.rand(n, 1)
      local xh = xr * eps + xf * (1 - eps)
      local gr = self:critic_input_grad(xh)
      local norm = ((gr * gr):sum(2) + 1e-12):sqrt()
      l = l + ((norm - 1) * (norm - 1)):mean() * self.gp
    end
    return l, out_r, out_f
  end
  return nn.softplus(-out_r):mean() + nn.softplus(out_f):mean(), out_r, out_f
end

-- G's loss from D's outputs on generated points.
function G:g_loss_of(lf)
  check.tensor("g:g_loss_of", "lf", lf)
  if self.loss == "wasserstein" then return -lf:mean() end
  if self.loss == "minimax" then return -nn.softplus(lf):mean() end
  return nn.softplus(-lf):mean()
end

--- g:clip_weights(): every critic parameter into [-clip, clip] (Wasserstein with clip)
function G:clip_weights()
  local c = self.clip
  if not c then error("g:clip_weights: this GAN clips no weights (it needs loss = \"wasserstein\" without gp)", 2) end
  local assign = require("nn.train").assign
  nn.no_grad(function()
    for _, p in ipairs(self.discriminator:parameters()) do
      assign(p, nn.relu(p + c) - nn.relu(p - c) - c) -- clamp(p, -c, c)
    end
  end)
end

local function push(h, v) h[#h + 1] = v end


--- g:step_d() -> D's loss: one step of the discriminator alone (G frozen)
function G:step_d()
  local n = self.batch
  local xr, xf = self:real_batch(n), self:sample(n)
  self.opt_d:zero_grad()
  local l, out_r, out_f = self:d_loss(xr, xf)
  l:backward()
  self.opt_d:step()
  if self.clip then self:clip_weights() end
  self.steps.d = self.steps.d + 1
  local v = l:item()
  local h = self.history
  -- D(x) and D(G(z)) of this batch (before the step), or the critic's means
  local dr, df = nn.no_grad(function()
    if self.loss == "wasserstein" then return out_r:mean():item(), out_f:mean():item() end
    return nn.sigmoid(out_r):mean():item(), nn.sigmoid(out_f):mean():item()
  end)
  push(h.d_loss, v); push(h.d_real, dr); push(h.d_fake, df)
  return v
end

--- g:step_g() -> G's loss: one step of the generator alone (D frozen: its gradients
--- are computed on the way but only G's optimizer steps)
function G:step_g()
  local z = self:noise_batch(self.batch)
  self.opt_g:zero_grad()
  local l = self:g_loss_of(self.discriminator:forward(self.generator:forward(z)))
  l:backward()
  self.opt_g:step()
  self.opt_d:zero_grad()
  self.steps.g = self.steps.g + 1
  local v = l:item()
  push(self.history.g_loss, v)
  return v
end

--- g:step() -> k steps of D, then one of G
function G:step()
  for _ = 1, self.k do self:step_d() end
  return self:step_g()
end

--- g:train(steps [, on_step]) -> g: steps rounds of g:step(); on_step(g, i) after each
--- (return false to stop)
function G:train(steps, on_step)
  steps = check.whole("g:train", "steps", steps, 0)
  check.fn("g:train", "on_step", on_step, true)
  for i = 1, steps do
    self:step()
    if on_step and on_step(self, i) == false then break end
  end
  return self
end

--- g:point_gradients(x) -> the gradient of G's loss with respect to each generated
--- point x [n, d] (a tensor [n, d]): -gradient is where G's step moves the point.
function G:point_gradients(x)
  check_points(self, "g:point_gradients", "x", x)
  local p = x:copy():requires_grad()
  local l = self:g_loss_of(self.discriminator:forward(p)) * x.shape[1] -- per point, not per mean
  l:backward()
  local g = p.grad:copy()
  self.opt_d:zero_grad()
  return g
end

--- g:surface(box, n) -> rows (n x n, row 1 at ymin) of D over the box {xmin=, xmax=, ymin=, ymax=}
function G:surface(box, n)
  box = check.box("g:surface", box)
  n = check.whole("g:surface", "n", n, 2, 1000)
  local pts = {}
  for j = 0, n - 1 do
    local y = box.ymin + j * (box.ymax - box.ymin) / (n - 1)
    for i = 0, n - 1 do pts[#pts + 1] = {box.xmin + i * (box.xmax - box.xmin) / (n - 1), y} end
  end
  local v = self:d(nn.tensor(pts)):totable()
  local rows = {}
  for j = 1, n do
    rows[j] = {}
    for i = 1, n do rows[j][i] = v[(j - 1) * n + i][1] end
  end
  return rows
end

--- g:coverage([n = 1000, radius = 0.25]) -> modes covered, counts (needs centres: a
--- ring or grid preset)
function G:coverage(n, radius)
  n = check.whole("g:coverage", "n", n, 1, MAX_POINTS, 1000)
  radius = check.positive("g:coverage", "radius", radius, 0.25)
  if not self.centres then return nil end
  return gan.modes_covered(self:sample(n), self.centres, radius)
end

function G:__tostring()
  return ("gan (%s, k = %d): %d D steps, %d G steps"):format(self.loss, self.k, self.steps.d, self.steps.g)
end

---------------------------------------------------------------------- images

--- gan.dcgan{noise = 32, side = 28, width = 32} -> generator, discriminator: a small
--- DCGAN-like pair for flat images [n, side*side] in [-1, 1]. G: z -> linear ->
--- [2*width, side/4, side/4] -> batch norm, ReLU -> transposed conv 4x4 stride 2 ->
--- [width, side/2, side/2] -> batch norm, ReLU -> transposed conv 4x4 stride 2 ->
--- [1, side, side] -> tanh, flattened. D: conv 4x4 stride 2 (width) -> leaky ReLU ->
--- conv 4x4 stride 2 (2*width) -> leaky ReLU -> linear -> a logit.
function gan.dcgan(o)
  o = check.options("gan.dcgan", o)
  local nz = check.whole("gan.dcgan", "noise", o.noise, 1, nil, 32)
  local w = check.whole("gan.dcgan", "width", o.width, 1, 4096, 32)
  local side = o.side or 28
  if math.type(side) ~= "integer" or side < 4 or side > 4096 or side % 4 ~= 0 then
    error("gan.dcgan: side must be a whole multiple of 4 (two stride-2 layers), got " .. tostring(side), 2)
  end
  local q = side // 4
  -- kernel 4, stride 2, padding 1: each transposed conv doubles the side exactly
  local up = {stride = 2, padding = 1}
  local g = nn.sequential{
    nn.linear(nz, 2 * w * q * q), nn.reshape{2 * w, q, q}, nn.batchnorm2d(2 * w), nn.relu(),
    nn.conv_transpose2d(2 * w, w, 4, up), nn.batchnorm2d(w), nn.relu(),
    nn.conv_transpose2d(w, 1, 4, up), nn.tanh(), nn.flatten(),
  }
  local d = nn.sequential{
    nn.reshape{1, side, side},
    nn.conv2d(1, w, 4, up), nn.leaky_relu(0.2),
    nn.conv2d(w, 2 * w, 4, up), nn.leaky_relu(0.2),
    nn.flatten(), nn.linear(2 * w * q * q, 1),
  }
  -- the last layer's weights scaled down (DCGAN draws all from N(0, 0.02)): otherwise
  -- G starts with tanh saturated at +-1 on most pixels, where its gradient vanishes
  local last = g:children()[8]:param(1)
  nn.no_grad(function() require("nn.train").assign(last, last * 0.1) end)
  return g, d
end

--- gan.interpolate(z1, z2, n) -> z [n, noise]: n codes on the straight line from z1 to z2 (rows [1, noise])
function gan.interpolate(z1, z2, n)
  local f = "gan.interpolate"
  for _, z in ipairs{{"z1", z1}, {"z2", z2}} do
    if not is_tensor(z[2]) or not (z[2].ndim == 1 or (z[2].ndim == 2 and z[2].shape[1] == 1)) then
      check.fail(f, z[1], "a code [1, noise] or [noise] (a tensor)", z[2], 3)
    end
  end
  local a, b = z1:totable(), z2:totable()
  a, b = type(a[1]) == "table" and a[1] or a, type(b[1]) == "table" and b[1] or b
  if #a ~= #b then error(("gan.interpolate: z1 has %d values and z2 %d; they must be codes of one size"):format(#a, #b), 2) end
  n = check.whole(f, "n", n, 1, MAX_POINTS // math.max(1, #a))
  local rows = {}
  for i = 1, n do
    local t = (i - 1) / math.max(1, n - 1)
    rows[i] = {}
    for j = 1, #a do rows[i][j] = (1 - t) * a[j] + t * b[j] end
  end
  return nn.tensor(rows)
end

--- gan.view(g [, opts]) -> the live 2-D view of lua/views_gen.lua (V.gan2d)
function gan.view(g, opts)
  if getmetatable(g) ~= G then error("gan.view: expected a GAN (gan.new{...}), got " .. type(g), 2) end
  return require("views_gen").gan2d(g, opts)
end

util.guard_methods(G, "g")
gan.Gan = G
return gan
