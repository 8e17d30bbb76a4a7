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
    return nil, ("%s returned %s, not a number"):format(name, tostring(v))
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

return lib
