-- views_gen.lua: the views of generative models (lessons 21 and 22). For
-- autoencoders: the 2-D code as a scatter coloured by class (live while it trains),
-- reconstruction grids (original / noisy / reconstructed rows), a walk over the 2-D
-- code space decoded into an image grid, a ROC curve. For GANs: the 2-D view (real
-- and generated points over D's surface, each generated point's gradient as an
-- arrow, D(x) and D(G(z)) against steps, the modes covered; keys step D alone or G
-- alone; clicks draw the real distribution), and image-GAN sample grids. The models
-- are in lua/ae.lua and lua/gan.lua.
local ae = require "ae"
local gan = require "gan"
local V = {}

local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

-- Rows of x [n, h*w] (or [n, 1, h, w]) as an [n, h, w] tensor for plot.images.
local function as_images(x, side)
  local n = x.shape[1]
  return x:reshape(n, side, side)
end

---------------------------------------------------------------------- autoencoder views

--- V.code_scatter(m, x, labels [, {title=, show=, names=}]) -> view: each row's 2-D
--- code (the first two code units) as a point coloured by its class (labels 0-based);
--- view:refresh() recomputes the codes.
function V.code_scatter(m, x, labels, o)
  o = o or {}
  local view = {model = m, x = x, classes = {}, refreshes = 0}
  for i, c in ipairs(labels) do view.classes[i] = c + 1 end
  view.plot = plot.scatter{title = o.title or "the 2-D code, coloured by class", xlabel = "z1", ylabel = "z2",
    show = o.show}
  function view.refresh()
    local z = m:codes(x):totable()
    local zx, zy = {}, {}
    for i, r in ipairs(z) do zx[i], zy[i] = r[1], r[2] or 0 end
    view.plot:clear()
    view.plot:points(zx, zy, view.classes)
    view.refreshes = view.refreshes + 1
    view.codes = z
    return view
  end
  view.refresh()
  return view
end

--- V.reconstructions(m, x [, {n = 8, noise=, amount=, side = 28, show=, title=}]) ->
--- plot, the three image tensors: the first n rows of x (top row), their corrupted
--- copies (middle row, when noise is given) and m's reconstructions (bottom row)
function V.reconstructions(m, x, o)
  o = o or {}
  local n, side = o.n or 8, o.side or 28
  local orig = x:rows(1, n)
  local noisy = o.noise and nn.no_grad(function() return ae.noise(orig, o.noise, o.amount or 0.3) end) or nil
  local rec = m:reconstruct(noisy or orig)
  local flat = {}
  local rows = {orig, noisy, rec}
  local captions, nr = {}, 0
  for r = 1, 3 do
    local t = rows[r]
    if t then
      nr = nr + 1
      for _, row in ipairs(t:reshape(n, -1):totable()) do
        for _, v in ipairs(row) do flat[#flat + 1] = math.max(0, math.min(1, v)) end
      end
      captions[(nr - 1) * n + 1] = ({"original", "noisy", "output"})[r]
    end
  end
  local p = plot.images{images = flat, n = nr * n, h = side, w = side, cols = n, show = o.show,
    title = o.title or (noisy and "original / noisy / reconstructed" or "original / reconstructed")}
  for i, c in pairs(captions) do p:caption(i, c) end
  return p, orig, noisy, rec
end

--- V.walk(m [, {xmin=, xmax=, ymin=, ymax=, steps = 10, side = 28, show=}]) -> plot, codes:
--- a steps x steps grid of 2-D codes over the box, each decoded into an image (rows
--- from ymax at the top to ymin, columns from xmin to xmax)
function V.walk(m, o)
  o = o or {}
  local k = o.steps or 10
  local xmin, xmax, ymin, ymax = o.xmin or -3, o.xmax or 3, o.ymin or -3, o.ymax or 3
  local codes = {}
  for r = 1, k do
    local y = ymax - (r - 1) * (ymax - ymin) / (k - 1)
    for c = 1, k do codes[#codes + 1] = {xmin + (c - 1) * (xmax - xmin) / (k - 1), y} end
  end
  local imgs = nn.no_grad(function() return m:decode(nn.tensor(codes)) end)
  local p = plot.images{images = as_images(imgs, o.side or 28), cols = k, show = o.show,
    title = o.title or ("decoded codes, z1 %.3g..%.3g across, z2 %.3g..%.3g down"):format(xmin, xmax, ymax, ymin)}
  return p, codes
end

--- V.roc(r [, {title=, show=}]) -> plot of a ROC (ae.roc's result) with the diagonal
function V.roc(r, o)
  o = o or {}
  local p = plot.lines{title = o.title or ("ROC, AUC %.3f"):format(r.auc), xlabel = "false positive rate",
    ylabel = "true positive rate", show = o.show}
  p:add("reconstruction error", r.fpr, r.tpr)
  p:add("chance", {0, 1}, {0, 1})
  return p
end

--- V.ae_live(m, x, labels, fit_opts [, {show=}]) -> view: a window with the 2-D code
--- scatter and the loss per epoch, trained by m:fit(fit_opts) with the scatter
--- redrawn every `every` batches (default 10); at the prompt the training is a job
--- (view.job), in a script it runs to the end before returning.
function V.ae_live(m, x, labels, fit_opts, o)
  o = o or {}
  local view = V.code_scatter(m, x, labels, {show = false})
  view.loss = plot.lines{title = "reconstruction loss", xlabel = "epoch", ylabel = "MSE", show = false}
  view.window = plot.window{view.plot, view.loss, cols = 2, title = "autoencoder", show = o.show}
  local every = o.every or 10
  local batches = 0
  local fo = {}
  for k, v in pairs(fit_opts) do fo[k] = v end
  fo.on_batch = function()
    batches = batches + 1
    if batches % every == 0 then
      view.refresh()
      if coroutine.isyieldable() then coroutine.yield() else plot.pump() end
    end
  end
  fo.on_epoch = function(_, e, l)
    view.loss:push("train", l)
    view.refresh()
    if fit_opts.on_epoch then fit_opts.on_epoch(m, e, l) end
  end
  if interactive() and o.wait ~= true then
    view.job = spawn(function() view.losses = m:fit(fo) end, "autoencoder fit")
  else
    view.losses = m:fit(fo)
  end
  return view
end

---------------------------------------------------------------------- the 2-D GAN view

local GanView = {}
GanView.__index = GanView
GanView.__name = "gan view"

-- The box that holds the real points, with a margin.
local function box_of(pts)
  local xmin, xmax, ymin, ymax = math.huge, -math.huge, math.huge, -math.huge
  for _, p in ipairs(pts) do
    xmin, xmax = math.min(xmin, p[1]), math.max(xmax, p[1])
    ymin, ymax = math.min(ymin, p[2]), math.max(ymax, p[2])
  end
  local mx, my = 0.25 * (xmax - xmin) + 0.3, 0.25 * (ymax - ymin) + 0.3
  return {xmin = xmin - mx, xmax = xmax + mx, ymin = ymin - my, ymax = ymax + my}
end

--- view:refresh(): redraws D's surface, the points, the arrows, the curves and the readout
function GanView:refresh()
  local g = self.gan
  local real = self.real_shown
  local fake = g:sample(self.z):totable()
  local p = self.field
  p:clear()
  p:grid(g:surface(self.box, self.res), self.box.xmin, self.box.xmax, self.box.ymin, self.box.ymax)
  local rx, ry, fx, fy = {}, {}, {}, {}
  local stride = math.max(1, #real // self.n_real)
  for i = 1, #real, stride do rx[#rx + 1], ry[#ry + 1] = real[i][1], real[i][2] end
  for i, f in ipairs(fake) do fx[i], fy[i] = f[1], f[2] end
  local ones, twos = {}, {}
  for i = 1, #rx do ones[i] = 1 end
  for i = 1, #fx do twos[i] = 2 end
  p:points(fx, fy, twos)
  p:points(rx, ry, ones) -- real points on top: they are fewer than they look (tight modes)
  if self.arrows then
    -- -grad: where G's next step moves each point, scaled so that the longest arrow
    -- spans a tenth of the box; a NaN between arrows breaks the line
    local gr = g:point_gradients(nn.tensor(fake)):totable()
    local longest = 1e-12
    for _, v in ipairs(gr) do longest = math.max(longest, math.sqrt(v[1] ^ 2 + v[2] ^ 2)) end
    local s = 0.1 * (self.box.xmax - self.box.xmin) / longest
    local ax, ay = {}, {}
    local nan = 0 / 0
    for i = 1, math.min(#fake, self.n_arrows) do
      local x0, y0 = fake[i][1], fake[i][2]
      local dx, dy = -s * gr[i][1], -s * gr[i][2]
      local x1, y1 = x0 + dx, y0 + dy
      -- two barbs of a head, a quarter of the arrow long, 25 degrees off its line
      local c, sn = math.cos(0.44), math.sin(0.44)
      local bx, by = -0.3 * dx, -0.3 * dy
      for _, xy in ipairs{{x0, y0}, {x1, y1}, {x1 + c * bx - sn * by, y1 + sn * bx + c * by}, {nan, nan},
          {x1, y1}, {x1 + c * bx + sn * by, y1 - sn * bx + c * by}, {nan, nan}} do
        ax[#ax + 1], ay[#ay + 1] = xy[1], xy[2]
      end
    end
    ax[#ax], ay[#ay] = nil, nil -- the series ends on a finite point (its head)
    p:add("G's step", ax, ay)
  end
  local h = g.history
  local n0 = self.curve_n
  local xs, dr, df = {}, {}, {}
  for i = n0 + 1, #h.d_real do xs[#xs + 1], dr[#dr + 1], df[#df + 1] = i, h.d_real[i], h.d_fake[i] end
  if #xs > 0 then
    local w = g.loss == "wasserstein"
    self.curves:add(w and "f(x)" or "D(x)", xs, dr)
    self.curves:add(w and "f(G(z))" or "D(G(z))", xs, df)
    if g.loss ~= "wasserstein" then self.curves:add("1/2", {xs[1], xs[#xs]}, {0.5, 0.5}) end
    self.curve_n = #h.d_real
  end
  local covered, counts = nil, nil
  if g.centres then covered, counts = gan.modes_covered(fake, g.centres, self.radius) end
  self.covered = covered
  if counts then
    local names = {}
    for k = 1, #counts do names[k] = tostring(k) end
    self.modes:bars(counts, names)
    self.modes:update{title = ("generated points per mode: %d of %d modes covered"):format(covered, #counts)}
  else
    self.modes:bars({0}, {"-"})
    self.modes:update{title = "no modes known (drawn or loaded points)"}
  end
  local lines = {
    ("%s loss, k = %d"):format(g.loss, g.k),
    ("D steps %d, G steps %d"):format(g.steps.d, g.steps.g),
    (g.loss == "wasserstein" and "f(x) %.3f   f(G(z)) %.3f" or "D(x) %.3f   D(G(z)) %.3f"):format(
      h.d_real[#h.d_real] or 0 / 0, h.d_fake[#h.d_fake] or 0 / 0),
  }
  if covered then
    lines[#lines + 1] = ("modes covered %d of %d (a mode: %d or more of %d samples within %.2g)"):format(
      covered, #g.centres, math.ceil(#fake / #g.centres / 4), #fake, self.radius)
  else
    lines[#lines + 1] = "modes: none known (drawn or loaded data)"
  end
  lines[#lines + 1] = "keys: d  one D step    g  one G step    space  run/pause"
  lines[#lines + 1] = "      1-4  ring, grid, moons, spiral    c  clear, then click to draw    a  arrows"
  self.text:text(table.concat(lines, "\n"))
  return self
end

--- view:set_real(points [, centres]): new real data (a tensor [n, 2]); the GAN keeps its nets
function GanView:set_real(pts, centres)
  self.gan.real, self.gan.centres = pts, centres
  self.real_shown = pts:totable()
  self.box = self.fixed_box or box_of(self.real_shown)
  return self:refresh()
end

--- view:add_points(x, y [, n = 16, std = 0.05]): n real points around (x, y) (a click)
function GanView:add_points(x, y, n, std)
  n, std = n or 16, std or 0.05
  local e = nn.randn(n, 2):totable()
  local pts = self.drawn and self.real_shown or {}
  for i = 1, n do pts[#pts + 1] = {x + std * e[i][1], y + std * e[i][2]} end
  self.drawn = true
  self.gan.real, self.gan.centres = nn.tensor(pts), nil
  self.real_shown = pts
  return self:refresh()
end

--- view:run(steps [, every = 10]): steps rounds of the GAN, redrawn every `every`
function GanView:run(steps, every)
  every = every or 10
  for i = 1, steps do
    self.gan:step()
    if i % every == 0 or i == steps then self:refresh() end
  end
  return self
end

function GanView:key(key)
  local g = self.gan
  if key == "d" then g:step_d(); self:refresh()
  elseif key == "g" then g:step_g(); self:refresh()
  elseif key == "space" then self.paused = not self.paused
  elseif key == "a" then self.arrows = not self.arrows; self:refresh()
  elseif key == "c" then
    self.drawn, self.real_shown = false, {}
    self.paused = true
    self.text:text("cleared: click to draw the real points, space to train")
  elseif key:match("^[1-4]$") then
    self.drawn = false
    self:set_real(gan.preset(({"ring", "grid", "moons", "spiral"})[tonumber(key)], {n = 512}))
  else
    return false
  end
  return true
end

function GanView:save(path) return self.window:save(path) end
function GanView:__tostring()
  return ("gan view: %d real points; %s"):format(#self.real_shown, tostring(self.gan))
end

--- V.gan2d(g [, {res = 60, arrows = true, n_arrows = 64, samples = 256, radius = 0.3,
--- box=, show=}]) -> view of a GAN on 2-D points: D's surface with the real points
--- (class 1) and a fixed batch of generated ones (class 2), each with its gradient
--- as an arrow; D(x) and D(G(z)) per D step; a readout with the modes covered. At
--- the prompt it trains in a job while the window is open (space pauses).
function V.gan2d(g, o)
  o = o or {}
  local self = setmetatable({gan = g, res = o.res or 60, arrows = o.arrows ~= false,
    n_arrows = o.n_arrows or 64, n_real = o.real_shown or 256, radius = o.radius or 0.3, curve_n = 0, fixed_box = o.box,
    z = g:noise_batch(o.samples or 256), paused = false}, GanView)
  self.field = plot.field{title = "D over the plane: real (1) and generated (2) points", show = false}
  self.curves = plot.lines{title = g.loss == "wasserstein" and "critic on real and generated" or "D(x) and D(G(z)) -> 1/2",
    xlabel = "D step", show = false, smooth = 0.9}
  self.text = plot.text{text = "", show = false}
  self.modes = plot.bars{title = "generated points per mode", show = false}
  self.window = plot.window{self.field, self.curves, self.modes, self.text, cols = 2, width = 1200, height = 900,
    title = "GAN", show = o.show}
  self.window:keys{{"d", "one step of D alone"}, {"g", "one step of G alone"}, {"space", "train or pause"},
    {"1-4", "presets: ring, grid, moons, spiral"}, {"c", "clear, then click to draw"}, {"a", "arrows on or off"},
    {"click", "add real points there"}}
  self.window:on_key(function(key) self:key(key) end)
  self.field:on_click(function(x, y) if x then self:add_points(x, y) end end)
  self.real_shown = g.real:totable()
  self.box = o.box or box_of(self.real_shown)
  self:refresh()
  if interactive() then
    self.job = spawn(function()
      while self.window:is_open() do
        if not self.paused and #self.real_shown >= 2 then self:run(5, 5) end
        coroutine.yield()
      end
    end, "gan view")
  end
  return self
end

---------------------------------------------------------------------- image GANs

-- G(z) as pixels in [0, 1]: a tanh generator (g.tanh_images, trained on images scaled
-- to [-1, 1]) is mapped back, so that the grid shows grey levels, not signs.
local function pixels(g, z)
  local s = g:sample(z)
  if g.tanh_images then s = nn.no_grad(function() return (s + 1) * 0.5 end) end
  return s
end

--- V.gan_samples(g, z [, {side = 28, cols = 8, title=, show=}]) -> plot, with p.refresh()
--- redrawing G(z) for the same fixed noise batch z
function V.gan_samples(g, z, o)
  o = o or {}
  local side = o.side or 28
  local p = plot.images{images = as_images(pixels(g, z), side), cols = o.cols or 8, show = o.show,
    title = o.title or "G(z) for a fixed batch of z"}
  local view = {plot = p}
  function view.refresh(title)
    p:images(as_images(pixels(g, z), side), z.shape[1], side, side, 1, true, o.cols or 8)
    if title then p:update{title = title} end
    return view
  end
  return view
end

--- V.gan_interpolation(g, z1, z2 [, {n = 10, side = 28, show=}]) -> plot, the codes:
--- G along the straight line from z1 to z2
function V.gan_interpolation(g, z1, z2, o)
  o = o or {}
  local z = gan.interpolate(z1, z2, o.n or 10)
  local p = plot.images{images = as_images(pixels(g, z), o.side or 28), cols = o.n or 10, show = o.show,
    title = o.title or "G along a line from z1 to z2"}
  return p, z
end

return V
