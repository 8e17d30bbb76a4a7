-- test_fuzz_regressions.lua: the calls with which the Lua-API fuzzer
-- (tests/fuzz/api_fuzz.lua) crashed nnlab or got Lua's own "attempt to ..." from
-- inside lua/, each now a clear error naming the function and the argument.
-- Crashes whose fix belongs to code being rewritten wait in tests/fuzz/regressions/.

local function raises(text, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error saying '" .. text .. "', the call succeeded")
  assert(tostring(err):find(text, 1, true), "expected an error saying '" .. text .. "', got: " .. tostring(err))
  assert(not tostring(err):find("attempt to"), "Lua's own error instead of a message: " .. tostring(err))
end

-- build-asan seed 143, call 1758: d:slice(2^31, ...) overflowed an int in
-- bind_data.c (UBSan abort); 2^32 + 2 wrapped to row 2
do
  local d = data.xor{n = 16}
  raises("d:slice: first row 2147483648 is outside 1..16", d.slice, d, 2 ^ 31, -2147483649)
  raises("d:slice: first row 4294967298 is outside 1..16", d.slice, d, 2 ^ 32 + 2, 1)
  raises("d:slice: count 2147483648 is outside 1..16", d.slice, d, 1, 2 ^ 31)
  raises("d:slice: first row 0 is outside 1..16", d.slice, d, 0, 1)
  raises("d:slice: count 2 is outside 1..1", d.slice, d, 16, 2)
  assert(d:slice(11, 6):info().n == 6, "a valid slice still works")
end

-- race.find_minima(nil) and find_minima(f, 1) indexed nil and a number (race.lua:75)
do
  local f = function(x, y) return x * x + y * y end
  raises("race.find_minima: f must be a function", race.find_minima, nil, {-1, 1, -1, 1})
  raises("race.find_minima: box must be", race.find_minima, f, 1)
  raises("race.find_minima: box[3] must be a finite number, got nil", race.find_minima, f, {-1, 1})
  raises("race.find_minima: box[2] must be a finite number, got", race.find_minima, f, {-1, 0 / 0, -1, 1})
  raises("race.find_minima: box {1, -1, -1, 1} is empty", race.find_minima, f, {1, -1, -1, 1})
  local minima, values, nglobal = race.find_minima(f, {-1, 1, -1, 1})
  assert(#minima == 1 and math.abs(minima[1][1]) < 1e-9 and values[1] < 1e-12 and nglobal == 1,
    "x^2 + y^2 has its one minimum at (0, 0)")
end

print("fuzz regressions: ok")
