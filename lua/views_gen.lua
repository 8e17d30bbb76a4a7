-- views_gen.lua: the views of generative models (lessons 21 and 22). For
-- autoencoders: the 2-D code as a scatter coloured by class (live while it trains),
-- reconstruction grids (original / noisy / reconstructed rows), a walk over the 2-D
-- code space decoded into an image grid, a ROC curve. For GANs: the 2-D view (real
-- and generated points over D's surface, each generated point's gradient as an
-- arrow, D(x) and D(G(z)) against steps, the modes covered; keys step D alone or G
-- alone; the mouse draws the real distribution: a press adds a blob of points, a
-- drag a stroke of them), and image-GAN sample grids. The models are in lua/ae.lua
-- and lua/gan.lua.
local ae = require "ae"
local gan = require "gan"
local check = require "argcheck"
local util = require "util"
local V = {}

local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

-- Rows of x [n, h*w] (or [n, 1, h, w]) as an [n, h, w] tensor for plot.images.
local function as_images(x, side, fname)
  local n = x.shape[1]
  if x:numel() ~= n * side * side then
    error(("%s: side %d does not fit images of %d values ({%s})"):format(fname, side, x:numel() // math.max(1, n),
      table.concat(x.shape, ", ")), 3)
  end
  return x:reshape(n, side, side)
end

local function check_ae(fname, m)
  if getmetatable(m) ~= ae.Autoencoder then check.fail(fname, "m", "an autoencoder (ae.new{...})", m, 4) end
end
local function check_gan(fname, g)
  if getmetatable(g) ~= gan.Gan then check.fail(fname, "g", "a GAN (gan.new{...})", g, 4) end
end

---------------------------------------------------------------------- autoencoder views

--- V.code_scatter(m, x, labels [, {title=, show=, names=}]) -> view: each row's 2-D
--- code (the first two code units) as a point coloured by its class (labels 0-based);
--- view:refresh() recomputes the codes.
function V.code_scatter(m, x, labels, o)
  local f = "views.code_scatter"
  check_ae(f, m)
  x = check.rows(f, "x", x)
  if type(labels) ~= "table" then check.fail(f, "labels", "a list of classes (one per row of x)", labels) end
  if #labels ~= x.shape[1] then
    error(("%s: labels must list %d classes (one per row of x), got %d"):format(f, x.shape[1], #labels), 2)
  end
  for i = 1, #labels do check.whole(f, ("labels[%d]"):format(i), labels[i], 0, 255) end
  o = check.options(f, o)
  -- one line at the prompt, not its points
  local view = setmetatable({model = m, x = x, classes = {}, refreshes = 0}, {__name = "view",
    __tostring = function(v)
      return ("code view: %d points%s, %d redraws"):format(#v.classes, v.job and ", training" or "", v.refreshes)
    end})
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
  local f = "views.reconstructions"
  check_ae(f, m)
  x = check.rows(f, "x", x)
  o = check.options(f, o)
  local n = check.whole(f, "n", o.n, 1, math.min(x.shape[1], 64), math.min(8, x.shape[1]))
  local side = check.whole(f, "side", o.side, 1, 1024, 28)
  if o.noise ~= nil and o.noise ~= "gaussian" and o.noise ~= "masking" and o.noise ~= "salt_pepper" then
    check.fail(f, "noise", "\"gaussian\", \"masking\" or \"salt_pepper\"", o.noise)
  end
  if o.amount ~= nil then check.number(f, "amount", o.amount, 0, o.noise ~= "gaussian" and 1 or nil) end
  local orig = x:rows(1, n)
  if orig:numel() ~= n * side * side then
    error(("%s: side %d does not fit images of %d values"):format(f, side, orig:numel() // n), 2)
  end
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
  local f = "views.walk"
  check_ae(f, m)
  o = check.options(f, o)
  local k = check.whole(f, "steps", o.steps, 2, 50, 10)
  local box = check.box(f, {xmin = o.xmin or -3, xmax = o.xmax or 3, ymin = o.ymin or -3, ymax = o.ymax or 3})
  local xmin, xmax, ymin, ymax = box.xmin, box.xmax, box.ymin, box.ymax
  local side = check.whole(f, "side", o.side, 1, 1024, 28)
  local codes = {}
  for r = 1, k do
    local y = ymax - (r - 1) * (ymax - ymin) / (k - 1)
    for c = 1, k do codes[#codes + 1] = {xmin + (c - 1) * (xmax - xmin) / (k - 1), y} end
  end
  local imgs = nn.no_grad(function() return m:decode(nn.tensor(codes)) end)
  local p = plot.images{images = as_images(imgs, side, f), cols = k, show = o.show,
    title = o.title or ("decoded codes, z1 %.3g..%.3g across, z2 %.3g..%.3g down"):format(xmin, xmax, ymax, ymin)}
  return p, codes
end

--- V.roc(r [, {title=, show=}]) -> plot of a ROC (ae.roc's result) with the diagonal
function V.roc(r, o)
  local f = "views.roc"
  if type(r) ~= "table" or type(r.fpr) ~= "table" or type(r.tpr) ~= "table" or #r.fpr ~= #r.tpr
      or not check.is_finite(r.auc) then
    check.fail(f, "r", "a ROC (ae.roc's {fpr =, tpr =, auc =})", r)
  end
  for i = 1, #r.fpr do
    check.number(f, ("r.fpr[%d]"):format(i), r.fpr[i], 0, 1)
    check.number(f, ("r.tpr[%d]"):format(i), r.tpr[i], 0, 1)
  end
  o = check.options(f, o)
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
  local f = "views.ae_live"
  check_ae(f, m)
  if type(fit_opts) ~= "table" or getmetatable(fit_opts) ~= nil then
    check.fail(f, "fit_opts", "m:fit's options {x, epochs = ...}", fit_opts)
  end
  check.fn(f, "fit_opts.on_epoch", fit_opts.on_epoch, true)
  o = check.options(f, o)
  local every = check.whole(f, "every", o.every, 1, nil, 10)
  local view = V.code_scatter(m, x, labels, {show = false})
  view.loss = plot.lines{title = "reconstruction loss", xlabel = "epoch", ylabel = "MSE", show = false}
  view.window = plot.window{view.plot, view.loss, cols = 2, title = "autoencoder", show = o.show}
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
  if #real == 0 then
    lines[#lines + 1] = "no real points: draw them (press and drag on the plane) or press 1-4"
  elseif covered then
    lines[#lines + 1] = ("modes covered %d of %d (a mode: %d or more of %d samples within %.2g)"):format(
      covered, #g.centres, math.ceil(#fake / #g.centres / 4), #fake, self.radius)
  else
    lines[#lines + 1] = "modes: none known (drawn or loaded data)"
  end
  lines[#lines + 1] = "keys: d  one D step    g  one G step    space  run/pause    a  arrows"
  lines[#lines + 1] = "      1-4  ring, grid, moons, spiral    c  clear    mouse: press and drag to draw points"
  self.text:text(table.concat(lines, "\n"))
  return self
end

--- view:set_real(points [, centres]): new real data (a tensor [n, 2]); the GAN keeps its nets
function GanView:set_real(pts, centres)
  check.points("view:set_real", "points", pts, 2)
  if centres ~= nil then
    if type(centres) ~= "table" then check.fail("view:set_real", "centres", "a list of points {{x, y}, ...}", centres, 3) end
    for i = 1, #centres do check.point("view:set_real", ("centres[%d]"):format(i), centres[i]) end
  end
  self.gan.real, self.gan.centres = pts, centres
  self.real_shown = pts:totable()
  self.drawn, self.stroke = false, nil
  self.box = self.fixed_box or box_of(self.real_shown)
  return self:refresh()
end

-- Appends the points (a list of {x, y}) to the drawn set, the one the GAN trains on
-- (a set that was not drawn, a preset, is replaced), and redraws.
local function add_real(self, pts)
  local all = self.drawn and self.real_shown or {}
  for _, p in ipairs(pts) do all[#all + 1] = p end
  self.drawn = true
  self.gan.real, self.gan.centres = nn.tensor(all), nil
  self.real_shown = all
  return self:refresh()
end

--- view:add_points(x, y [, n = 16, std = 0.05]): n real points around (x, y) (a click)
function GanView:add_points(x, y, n, std)
  local f = "view:add_points"
  check.number(f, "x", x)
  check.number(f, "y", y)
  n = check.whole(f, "n", n, 1, 100000, 16)
  std = check.number(f, "std", std, 0, nil, 0.05)
  local e = nn.randn(n, 2):totable()
  local pts = {}
  for i = 1, n do pts[i] = {x + std * e[i][1], y + std * e[i][2]} end
  return add_real(self, pts)
end

-- A stroke drawn with the mouse: a spot of DRAW_SPOT points every DRAW_STEP of the
-- box's width along it, each jittered by DRAW_JITTER spacings (a standard deviation),
-- so that a drawn curve becomes a band of points the GAN can learn.
local DRAW_STEP, DRAW_SPOT, DRAW_JITTER = 1 / 60, 4, 0.5

--- view:draw_to(x, y): the stroke being drawn goes on to (x, y): points along the
--- line from where it was (the last press or move), a spot every 1/60 of the box's
--- width; the first call after view:end_stroke() only starts a new stroke there.
function GanView:draw_to(x, y)
  check.number("view:draw_to", "x", x)
  check.number("view:draw_to", "y", y)
  local st = self.stroke
  if not st then
    self.stroke = {x = x, y = y, since = 0}
    return self
  end
  local step = DRAW_STEP * (self.box.xmax - self.box.xmin)
  local dx, dy = x - st.x, y - st.y
  local len = math.sqrt(dx * dx + dy * dy)
  local spots = {}
  local t = step - st.since -- distance along this segment to the next spot
  while t <= len do
    spots[#spots + 1] = t / len
    t = t + step
  end
  st.since = len - (t - step) -- distance from the last spot to (x, y)
  st.x, st.y = x, y
  if #spots == 0 then return self end
  local e = nn.randn(#spots * DRAW_SPOT, 2):totable()
  local pts = {}
  for i, u in ipairs(spots) do
    for j = 1, DRAW_SPOT do
      local r = e[(i - 1) * DRAW_SPOT + j]
      pts[#pts + 1] = {st.x - (1 - u) * dx + DRAW_JITTER * step * r[1], st.y - (1 - u) * dy + DRAW_JITTER * step * r[2]}
    end
  end
  return add_real(self, pts)
end

--- view:end_stroke(): the next view:draw_to starts a new stroke (the button was let go)
function GanView:end_stroke()
  self.stroke = nil
  return self
end

--- view:clear(): no real points, ready for drawing (the c key); training waits for them
function GanView:clear()
  self.drawn, self.real_shown, self.stroke = false, {}, nil
  self.gan.centres = nil
  return self:refresh()
end

--- view:run(steps [, every = 10]): steps rounds of the GAN, redrawn every `every`
function GanView:run(steps, every)
  steps = check.whole("view:run", "steps", steps, 0)
  every = check.whole("view:run", "every", every, 1, nil, 10)
  if #self.real_shown == 0 then
    error("view:run: there are no real points; draw some (press and drag) or press 1-4 for a preset", 2)
  end
  for i = 1, steps do
    self.gan:step()
    if i % every == 0 or i == steps then self:refresh() end
  end
  return self
end

--- view:step_d([n = 1]) and view:step_g([n = 1]): n steps of D alone (or of G alone),
--- then a redraw: the d and g keys, as commands
function GanView:step_d(n)
  n = check.whole("view:step_d", "n", n, 1, nil, 1)
  if #self.real_shown == 0 then error("view:step_d: there are no real points; draw some or press 1-4", 2) end
  for _ = 1, n do self.gan:step_d() end
  return self:refresh()
end
function GanView:step_g(n)
  n = check.whole("view:step_g", "n", n, 1, nil, 1)
  for _ = 1, n do self.gan:step_g() end
  return self:refresh()
end

function GanView:key(key)
  if type(key) ~= "string" then check.fail("view:key", "key", "a key's name (\"d\", \"g\", \"space\", ...)", key, 3) end
  if key == "d" then if #self.real_shown > 0 then self:step_d() end
  elseif key == "g" then self:step_g()
  elseif key == "space" then self.paused = not self.paused
  elseif key == "a" then self.arrows = not self.arrows; self:refresh()
  elseif key == "c" then self:clear()
  elseif key:match("^[1-4]$") then
    self:set_real(gan.preset(({"ring", "grid", "moons", "spiral"})[tonumber(key)], {n = 512}))
  else
    return false
  end
  return true
end

function GanView:save(path)
  if type(path) ~= "string" then check.fail("view:save", "path", "a file name (.png)", path, 3) end
  return self.window:save(path)
end
function GanView:__tostring()
  return ("gan view: %d real points; %s"):format(#self.real_shown, tostring(self.gan))
end
util.guard_methods(GanView, "view")

--- V.gan2d(g [, {res = 60, arrows = true, n_arrows = 64, samples = 256, radius = 0.3,
--- box=, show=}]) -> view of a GAN on 2-D points: D's surface with the real points
--- (class 1) and a fixed batch of generated ones (class 2), each with its gradient
--- as an arrow; D(x) and D(G(z)) per D step; a readout with the modes covered. At
--- the prompt it trains in a job while the window is open (space pauses).
function V.gan2d(g, o)
  local f = "gan.view"
  check_gan(f, g)
  if g.real.shape[2] ~= 2 or g.noise < 1 then
    error(("%s: the view draws 2-D points; this GAN's real data are {%s}"):format(f, table.concat(g.real.shape, ", ")), 3)
  end
  o = check.options(f, o)
  if o.arrows ~= nil and type(o.arrows) ~= "boolean" then check.fail(f, "arrows", "true or false", o.arrows) end
  if o.box ~= nil then check.box(f, o.box) end
  local self = setmetatable({gan = g, res = check.whole(f, "res", o.res, 2, 400, 60), arrows = o.arrows ~= false,
    n_arrows = check.whole(f, "n_arrows", o.n_arrows, 0, 100000, 64),
    n_real = check.whole(f, "real_shown", o.real_shown, 1, nil, 256),
    radius = check.positive(f, "radius", o.radius, 0.3), curve_n = 0, fixed_box = o.box,
    z = g:noise_batch(check.whole(f, "samples", o.samples, 1, 100000, 256)), paused = false}, GanView)
  self.field = plot.field{title = "D over the plane: real (1) and generated (2) points", show = false}
  self.curves = plot.lines{title = g.loss == "wasserstein" and "critic on real and generated" or "D(x) and D(G(z)) -> 1/2",
    xlabel = "D step", show = false, smooth = 0.9}
  self.text = plot.text{text = "", show = false}
  self.modes = plot.bars{title = "generated points per mode", show = false}
  self.window = plot.window{self.field, self.curves, self.modes, self.text, cols = 2, width = 1200, height = 900,
    title = "GAN", show = o.show}
  self.window:keys{{"d", "one step of D alone"}, {"g", "one step of G alone"}, {"space", "train or pause"},
    {"1-4", "presets: ring, grid, moons, spiral"}, {"c", "clear the real points"}, {"a", "arrows on or off"},
    {"click", "add real points there"}, {"drag", "draw real points along the stroke"}}
  self.window:on_key(function(key) self:key(key) end)
  -- a press adds a blob and starts a stroke; moves with the left button held draw it on
  self.field:on_click(function(x, y, button)
    self.stroke = nil
    if x and button == 1 then self:add_points(x, y); self:draw_to(x, y) end
  end)
  self.field:on_hover(function(x, y, info)
    if x and info.button == 1 then self:draw_to(x, y) else self.stroke = nil end
  end)
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

-- z, codes [n, g.noise] for g's generator.
local function check_codes(fname, what, g, z)
  if not check.is_tensor(z) or z.ndim ~= 2 or z.shape[2] ~= g.noise then
    check.fail(fname, what, ("codes [n, %d] (a tensor)"):format(g.noise), z, 4)
  end
end

--- V.gan_samples(g, z [, {side = 28, cols = 8, title=, show=}]) -> plot, with p.refresh()
--- redrawing G(z) for the same fixed noise batch z
function V.gan_samples(g, z, o)
  local f = "views.gan_samples"
  check_gan(f, g)
  check_codes(f, "z", g, z)
  o = check.options(f, o)
  local side = check.whole(f, "side", o.side, 1, 1024, 28)
  local cols = check.whole(f, "cols", o.cols, 1, 1000, 8)
  local p = plot.images{images = as_images(pixels(g, z), side, f), cols = cols, show = o.show,
    title = o.title or "G(z) for a fixed batch of z"}
  local view = setmetatable({plot = p}, {__name = "view", __tostring = function()
    return ("GAN samples view: %d codes"):format(z.shape[1])
  end})
  function view.refresh(title)
    p:images(as_images(pixels(g, z), side, f), z.shape[1], side, side, 1, true, cols)
    if title then p:update{title = title} end
    return view
  end
  return view
end

--- V.gan_interpolation(g, z1, z2 [, {n = 10, side = 28, show=}]) -> plot, the codes:
--- G along the straight line from z1 to z2
function V.gan_interpolation(g, z1, z2, o)
  local f = "views.gan_interpolation"
  check_gan(f, g)
  o = check.options(f, o)
  local n = check.whole(f, "n", o.n, 2, 100, 10)
  local side = check.whole(f, "side", o.side, 1, 1024, 28)
  local z = gan.interpolate(z1, z2, n)
  check_codes(f, "z1 and z2", g, z)
  local p = plot.images{images = as_images(pixels(g, z), side, f), cols = n, show = o.show,
    title = o.title or "G along a line from z1 to z2"}
  return p, z
end

return V
