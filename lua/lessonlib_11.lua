-- lessonlib_11.lua: the plumbing of lesson 11 (the convolution playground), kept out
-- of the code the lesson prints: reference answers the checks compare with, computed
-- through the playground (that is, through the engine's nn.conv2d and pooling layers),
-- and a seeded random grid so that a check cannot be passed by copying numbers. The
-- tests (tests/lua/test_convpg.lua) hold the playground to the course's grids.
local cv = require "convpg"

local lib = {}

-- A seeded h x w grid of small whole numbers from lo to hi (the same grid for a seed
-- whatever ran before).
function lib.random_grid(h, w, seed, lo, hi)
  lo, hi = lo or -3, hi or 9
  local state = seed or 1
  local g = {}
  for r = 1, h do
    g[r] = {}
    for c = 1, w do
      state = (state * 1103515245 + 12345) % 2147483648 -- a fixed LCG: no global state
      g[r][c] = lo + state % (hi - lo + 1)
    end
  end
  return g
end

-- The playground's output (rows) for the options o, with no window.
function lib.output(o)
  local opts = {}
  for k, v in pairs(o) do opts[k] = v end
  opts.show = false
  return cv.new(opts):result()
end

-- "" when rows a and b are the same size and within tol, else what differs.
function lib.compare(got, want, what, tol)
  tol = tol or 1e-4
  if type(got) ~= "table" or type(got[1]) ~= "table" then
    return ("%s must be rows of numbers, got %s"):format(what, type(got))
  end
  if #got ~= #want or #got[1] ~= #want[1] then
    return ("%s is %dx%d; it should be %dx%d"):format(what, #got, #got[1], #want, #want[1])
  end
  for r = 1, #want do
    if type(got[r]) ~= "table" or #got[r] ~= #want[1] then
      return ("%s row %d has %s numbers, not %d"):format(what, r, type(got[r]) == "table" and #got[r] or "no", #want[1])
    end
    for c = 1, #want[1] do
      local g = got[r][c]
      if type(g) ~= "number" or math.abs(g - want[r][c]) > tol * math.max(1, math.abs(want[r][c])) then
        return ("%s at row %d, column %d is %s; it should be %g"):format(what, r, c, tostring(g), want[r][c])
      end
    end
  end
  return ""
end

-- The rows of a grid, one line each, numbers right-aligned.
function lib.show(rows)
  local lines = {}
  for _, row in ipairs(rows) do
    local t = {}
    for c, v in ipairs(row) do t[c] = ("%6s"):format(v == math.floor(v) and ("%d"):format(v) or ("%.3g"):format(v)) end
    lines[#lines + 1] = table.concat(t, " ")
  end
  return table.concat(lines, "\n")
end

return lib
