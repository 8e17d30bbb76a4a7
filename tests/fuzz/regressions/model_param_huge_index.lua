-- Found by the API fuzzer (build-asan, seed 103, call 613): m:param(2^31) overflows
-- an int in bind_model.c m_param ((int)luaL_checkinteger - 1: UBSan aborts), and
-- 2^32 + 2 wraps to 2 (the bias). Expected: an error naming m:param and the range.
local m = nn.linear(2, 3)
for _, i in ipairs{2 ^ 31, 2 ^ 32 + 2, -2 ^ 63} do
  local ok, err = pcall(m.param, m, i)
  assert(not ok and tostring(err):find("param", 1, true),
    ("m:param(%.17g) must raise naming m:param, got %s"):format(i, tostring(err)))
end
print("ok")
