-- test_checkint.lua: integers from Lua reach the engine only through the checked
-- reader (bind_checkint in src/repl/bind.c): non-integers, NaN, infinities and
-- values out of range are refused with the argument's name and range, instead of
-- being cast to int (2^32 + 2 became 2, 2^32 + 1 row 1; nn.linear(2^32 + 2, 3) a 2 -> 3
-- layer, m:param(2^31) an overflow).
local function refused(want, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "accepted: " .. want)
  assert(tostring(err):find(want, 1, true), ("expected %q in %q"):format(want, tostring(err)))
end

local big = 2^32 + 2
refused("count must be a whole number from 1 to 2147483647, got 4294967298", nn.linspace, 0, 1, big)
refused("count must be a whole number from 1 to 2147483647, got 1.5", nn.linspace, 0, 1, 1.5)
local t = nn.tensor{{1, 2}, {3, 4}, {5, 6}}
refused("row must be a whole number from 1 to 3, got 4294967297", t.rows, t, 2^32 + 1)
refused("count must be a whole number from 1 to 2147483647, got -1", t.rows, t, 1, -1)
refused("row 4294967297 (position 1) is out of range 1..3", t.gather, t, {2^32 + 1})
refused("row 0 (position 2) is out of range 1..3", t.gather, t, {1, 0})

local D = require "nn.data"
refused("n must be a whole number from 1 to 2147483647, got 4294967298", D.synth, "moons", big)
refused("n must be a whole number from 1 to 2147483647, got nan", D.synth, "moons", 0/0)
refused("n must be a whole number from 1 to 2147483647, got inf", D.synth, "moons", math.huge)
refused("n must be a whole number from 1 to 2147483647, got -1000000000000", D.synth, "moons", -1e12)
refused("classes must be a whole number from 0 to 2147483647, got a string", D.synth, "moons", 10, "x")
local d = D.synth("moons", 10)
refused("first row must be a whole number from 1 to 10, got 0", d.slice, d, 0, 1)
refused("count must be a whole number from 1 to 10, got 4294967298", d.slice, d, 1, big)
refused("limit must be a whole number from 0 to 2147483647, got -1", D.idx, "a", "b", -1)
refused("label column must be a whole number from 1 to 2147483647, got 0", D.csv, "a.csv", 0)

local R = require "nn.race"
local s = R.surface("saddle")
refused("nx (points across) must be a whole number from 2 to 4096, got 4294967298", s.grid, s, big, 10)
refused("ny (points down) must be a whole number from 2 to 4096, got 1", s.grid, s, 10, 1)
refused("n (draws) must be a whole number from 0 to 67108864, got -1", R.normals, -1)
-- model, optimizer, run and plot bindings (bind_model.c, bind_optim.c, bind_run.c,
-- bind_plot.c, bind_window.c): the same reader, each with the range it takes
refused("inputs must be a whole number from 1 to 2147483647, got 4294967298", nn.linear, big, 3)
refused("features must be a whole number from 1 to 2147483647, got -1000000000000", nn.batchnorm, -1e12)
local lm = nn.linear(2, 2)
refused("m:param: the index (1 weight, 2 bias) must be a whole number from 1 to 2, got 4294967297",
  lm.param, lm, 2^32 + 1)
local lo = optim.adam(lm)
refused("opt:state: the index must be a whole number from 1 to 2, got 4294967297", lo.state, lo, 2^32 + 1)
refused("steps must be a whole number from 2 to 100000, got 4294967298", nn.lr_range_test,
  {lm, D.synth("moons", 10), steps = big})
refused("batch must be a whole number from 1 to 2147483647, got 4294967298", nn.lr_range_test,
  {lm, D.synth("moons", 10), batch = big})
local ip = plot.images{show = false}
refused("image must be a whole number from 1 to 2147483647, got 4294967297", ip.caption, ip, 2^32 + 1, "x")
assert(#R.normals(3, 1) == 3 and #s:grid(2, 2) == 4, "in range still works")
print("checkint: all refused")

-- a data set's sample shape: sizes are whole numbers that fit an int (-1: the rest)
do
  local dr = require("data").xor{n = 8}
  local ok, err = pcall(dr.reshape, dr, {2 ^ 32 + 2})
  assert(not ok and err:find("size 1 must be a whole number from -1 to 2147483647, got 4.29497e+09", 1, true)
    or err:find("got 4294967298", 1, true), tostring(err))
  ok, err = pcall(dr.reshape, dr, {2, 0.5})
  assert(not ok and err:find("size 2 must be a whole number", 1, true), tostring(err))
  assert(tostring(dr:reshape{2, 1}):find("[2, 1]", 1, true))
end
