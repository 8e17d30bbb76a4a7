-- Found by the API fuzzer (build-asan, seed 124, call 1468): opt:state(2147483648)
-- overflows an int in bind_optim.c o_state ((int)lua_tointeger - 1: UBSan aborts),
-- and 2^32 + 1 wraps to the first state array. Expected: an error naming
-- opt:state and the valid range.
local opt = optim.adam(nn.linear(2, 2))
for _, i in ipairs{2147483648, 2 ^ 32 + 1, -2 ^ 63} do
  local ok, err = pcall(opt.state, opt, i)
  assert(not ok and tostring(err):find("state", 1, true),
    ("opt:state(%.17g) must raise naming opt:state, got %s"):format(i, tostring(err)))
end
print("ok")
