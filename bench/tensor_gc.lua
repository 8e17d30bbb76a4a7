-- tensor_gc.lua: resident memory of a loop that makes small tensors and drops them
-- (`nnlab bench/tensor_gc.lua [N] [SIZE]`): the collector must see what tensors
-- hold in C, or the loop grows to a GB while Lua's own heap stays small. Prints
-- the resident set (from /proc/self/statm) every 10^5 tensors, then the peak.
local n = tonumber(arg and arg[1]) or 1000000
local size = tonumber(arg and arg[2]) or 4
local page_kb = 4

local function resident_mb()
  local f = io.open("/proc/self/statm")
  if not f then return 0 end
  local _, res = f:read("n", "n")
  f:close()
  return res * page_kb / 1024
end

local base = resident_mb()
local peak = base
print(("tensors  resident MB  (start %.1f MB, tensors of %d floats)"):format(base, size))
for i = 1, n do
  local t = nn.zeros{size}
  t = t + 1 -- an op's result too
  if i % 100000 == 0 then
    local r = resident_mb()
    peak = math.max(peak, r)
    print(("%7d  %10.1f"):format(i, r))
  end
end
print(("peak %.1f MB, %.1f MB above the start; Lua heap %.1f MB"):format(peak, peak - base,
  collectgarbage("count") / 1024))
