-- lessonlib_04_06.lua: the plumbing of lessons 04-06 that the student need not read:
-- the checks' helpers, the plots' series and axes, the reference runs a check compares
-- the student's answer with. The lessons print what teaches; this file does the rest.
-- It makes no globals and draws only when a lesson asks.
local lib = {}

-- a and b agree to a relative tolerance (absolute below 1)
function lib.near(a, b, tol)
  return type(a) == "number" and type(b) == "number"
    and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

-- Calls the student's function env[name](...): its value, or nil and what went wrong.
function lib.call(env, name, ...)
  local fn = env[name]
  if type(fn) ~= "function" then return nil, ("there is no function `%s` yet"):format(name) end
  local ok, v = pcall(fn, ...)
  if not ok then return nil, ("%s raised an error: %s"):format(name, tostring(v)) end
  if type(v) ~= "number" then
    return nil, ("%s returned %s, not a number: return the number itself"):format(name,
      v == nil and "nothing" or "a " .. type(v))
  end
  return v
end

-- "{1, 2, 3}" for a message
function lib.list(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = ("%g"):format(v) end
  return "{" .. table.concat(s, ", ") .. "}"
end

-- ---- lesson 04 ----------------------------------------------------------------

-- MSE(c) and MAE(c) for a constant prediction c, c over [lo, hi]: two panels in one
-- window, each with its minimum marked by a vertical line.
function lib.mse_mae_plot(points, mse, mae, lo, hi)
  local cs, ms, as = {}, {}, {}
  local best = {mse = {math.huge}, mae = {math.huge}}
  for i = 0, 240 do
    local c = lo + (hi - lo) * i / 240
    local pred = {}
    for k = 1, #points do pred[k] = c end
    cs[#cs + 1], ms[#ms + 1], as[#as + 1] = c, mse(pred, points), mae(pred, points)
    if ms[#ms] < best.mse[1] then best.mse = {ms[#ms], c} end
    if as[#as] < best.mae[1] then best.mae = {as[#as], c} end
  end
  local function panel(name, ys, b, what)
    local top = 0
    for _, v in ipairs(ys) do top = math.max(top, v) end
    return plot.lines{title = ("%s(c): least at c = %.1f, the %s"):format(name, b[2], what),
      xlabel = "c (one constant predicted for every point)", ylabel = name, show = false,
      ylim = {0, top * 1.05},
      series = {[name .. "(c)"] = {x = cs, y = ys},
        ["its minimum"] = {x = {b[2], b[2]}, y = {0, top * 1.05}}}}
  end
  local p1 = panel("MSE", ms, best.mse, "mean")
  local p2 = panel("MAE", as, best.mae, "median")
  local w = plot.window{p1, p2, cols = 2, title = "one constant c fitted to " .. lib.list(points)}
  return {mse = p1, mae = p2, window = w, c_mse = best.mse[2], c_mae = best.mae[2]}
end

-- The hinge loss max(0, 1 - m) and the log loss log2(1 + e^-m) against the margin
-- m = t*s (t = -1 or +1, s the raw score): in bits, both are 1 at m = 0.
function lib.hinge_log_plot()
  local ms, hinge, logl = {}, {}, {}
  for i = 0, 120 do
    local m = -3 + 6 * i / 120
    ms[#ms + 1], hinge[#hinge + 1] = m, math.max(0, 1 - m)
    logl[#logl + 1] = math.log(1 + math.exp(-m), 2)
  end
  return plot.lines{title = "hinge against log loss", xlabel = "margin t·s (> 0: right side)",
    ylabel = "loss", ylim = {0, 4.5},
    series = {["hinge max(0, 1 − t·s)"] = {x = ms, y = hinge},
      ["log loss log₂(1 + e^(−t·s))"] = {x = ms, y = logl}}}
end

-- ---- lesson 05 ----------------------------------------------------------------

-- The curve L over [lo, hi], the points gradient descent visits from w0, and each
-- step drawn as it is taken: along the tangent at w for a run of -eta*slope in w
-- (landing at L(w) - eta*slope^2, on the tangent), then straight down or up onto the
-- curve at the new w. The axes fit the path, so a diverging one shows it diverge.
-- o = {L, dL, eta, w0, steps, title, show}
function lib.gd_plot(o)
  local path = {o.w0}
  for k = 1, o.steps do path[k + 1] = path[k] - o.eta * o.dL(path[k]) end
  local lo, hi = -2, 6
  for _, w in ipairs(path) do lo, hi = math.min(lo, w - 0.5), math.max(hi, w + 0.5) end
  local cx, cy, top = {}, {}, 0
  for i = 0, 200 do
    cx[#cx + 1] = lo + (hi - lo) * i / 200
    cy[#cy + 1] = o.L(cx[#cx])
  end
  local bottom = 0 -- a tangent step can end below zero: show where
  for k, w in ipairs(path) do
    top = math.max(top, o.L(w))
    if path[k + 1] then bottom = math.min(bottom, o.L(w) - o.eta * o.dL(w) ^ 2) end
  end
  top = math.max(top * 1.1, 12)
  bottom = math.max(bottom * 1.1, -0.6 * top)
  local nan = 0 / 0
  local tx, ty, dx, dy, mx, my = {}, {}, {}, {}, {}, {}
  local rx, ry = (hi - lo) / 120, top / 60 -- a marker's half size, in data units
  for k, w in ipairs(path) do
    local f = o.L(w)
    for _, d in ipairs{ {-rx, -ry, rx, ry}, {-rx, ry, rx, -ry} } do -- an x at each point
      mx[#mx + 1], my[#my + 1] = w + d[1], f + d[2]
      mx[#mx + 1], my[#my + 1] = w + d[3], f + d[4]
      mx[#mx + 1], my[#my + 1] = nan, nan
    end
    local w_new = path[k + 1]
    if w_new then
      local s = o.dL(w)
      local on_tangent = f + s * (w_new - w)
      tx[#tx + 1], ty[#ty + 1] = w, f
      tx[#tx + 1], ty[#ty + 1] = w_new, on_tangent
      tx[#tx + 1], ty[#ty + 1] = nan, nan
      dx[#dx + 1], dy[#dy + 1] = w_new, on_tangent
      dx[#dx + 1], dy[#dy + 1] = w_new, o.L(w_new)
      dx[#dx + 1], dy[#dy + 1] = nan, nan
    end
  end
  return plot.lines{title = o.title or ("gradient descent, η = " .. o.eta), xlabel = "w",
    ylabel = "L(w)", xlim = {lo, hi}, ylim = {bottom, top}, show = o.show,
    series = {["L(w)"] = {x = cx, y = cy}, ["step along the tangent"] = {x = tx, y = ty},
      ["onto the curve"] = {x = dx, y = dy}, ["points visited"] = {x = mx, y = my}}}, path
end

-- One window of gradient descent at each rate, from w0, steps steps.
function lib.rates_window(L, dL, rates, w0, steps)
  local views = {}
  for i, eta in ipairs(rates) do
    views[i] = lib.gd_plot{L = L, dL = dL, eta = eta, w0 = w0, steps = steps,
      title = ("η = %g"):format(eta), show = false}
  end
  views.cols, views.title = #rates, "too small, right, too large, diverging"
  return plot.window(views)
end

-- A shuffle of 1..n by a small generator of its own (a check must not move the
-- student's math.random), seeded by seed.
local function shuffled(n, seed)
  local order, state = {}, seed
  for i = 1, n do order[i] = i end
  for i = n, 2, -1 do
    state = (state * 1103515245 + 12345) % 2147483648
    local j = state % i + 1
    order[i], order[j] = order[j], order[i]
  end
  return order
end

-- The full MSE of y = w*x + b over points {x =, y =}.
function lib.full_loss(points, w, b)
  local s = 0
  for _, p in ipairs(points) do s = s + (w * p.x + b - p.y)^2 end
  return s / #points
end

-- The loss after each of `epochs` epochs of mini-batch GD from (0, 0), as the lesson
-- runs it, with the check's own shuffles: what a student's curve is compared with.
function lib.reference_curve(points, batch, eta, epochs, seed)
  local w, b, curve = 0, 0, {}
  for e = 1, epochs do
    local order = shuffled(#points, seed * 1000 + e)
    for first = 1, #order, batch do
      local gw, gb, n = 0, 0, 0
      for k = first, math.min(first + batch - 1, #order) do
        local p = points[order[k]]
        local err = w * p.x + b - p.y
        gw, gb, n = gw + 2 * err * p.x, gb + 2 * err, n + 1
      end
      w, b = w - eta * gw / n, b - eta * gb / n
    end
    curve[e] = lib.full_loss(points, w, b)
  end
  return curve
end

-- Loss per epoch, loss per step and the paths in the (w, b) plane over the contours
-- of the full loss, for runs = {name = {curve =, path = {{w, b}, ...}}}.
function lib.batch_window(points, runs)
  local names = {}
  for name in pairs(runs) do names[#names + 1] = name end
  table.sort(names)
  local per_epoch, per_step = {}, {}
  for _, name in ipairs(names) do
    local run = runs[name]
    local ex, sx, sy = {}, {}, {}
    for e = 1, #run.curve do ex[e] = e end
    for k, wb in ipairs(run.path) do
      sx[k], sy[k] = k - 1, lib.full_loss(points, wb[1], wb[2])
    end
    per_epoch[name] = {x = ex, y = run.curve}
    per_step[name] = {x = sx, y = sy}
  end
  local p1 = plot.lines{title = "loss on all the data after each epoch", xlabel = "epoch",
    ylabel = "MSE", ylog = true, series = per_epoch, show = false}
  local p2 = plot.lines{title = "the same, after each step", xlabel = "step (log scale)",
    ylabel = "MSE", xlog = true, ylog = true, series = per_step, show = false}
  local p3 = plot.field{title = "paths in the (w, b) plane", xlabel = "w", ylabel = "b",
    f = function(w, b) return lib.full_loss(points, w, b) end, n = 60,
    xmin = -0.5, xmax = 3.5, ymin = -0.5, ymax = 1.5, show = false}
  for _, name in ipairs(names) do
    local xs, ys = {}, {}
    for k, wb in ipairs(runs[name].path) do xs[k], ys[k] = wb[1], wb[2] end
    p3:add(name, xs, ys)
  end
  local w = plot.window{p1, p2, p3, cols = 3, title = "batch, mini-batch and stochastic"}
  return {window = w, per_epoch = p1, per_step = p2, plane = p3}
end

return lib
