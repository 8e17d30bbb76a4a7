-- test_tensor_gc.lua: the collector sees what tensors hold in C (bind_tensor.c
-- charges each new handle's bytes to it), so a loop that makes and drops 2*10^5
-- tensors of 2500 floats (2 GB in all) stays within a few tens of MB of where it
-- started; without the charge it grew by over 100 MB. bench/tensor_gc.lua
-- prints the curve.
local function resident_mb()
  local f = assert(io.open("/proc/self/statm"))
  local _, pages = f:read("n", "n")
  f:close()
  return pages * 4096 / 2^20
end
collectgarbage()
local base = resident_mb()
local peak = base
for i = 1, 200000 do
  local t = nn.zeros{2500}
  if i % 10000 == 0 then peak = math.max(peak, resident_mb()) end
end
local grew = peak - base
print(("tensor_gc: %.1f MB at the start, peak %.1f MB (+%.1f MB)"):format(base, peak, grew))
assert(grew < 40, ("2*10^5 dropped tensors of 10 KB grew the resident set by %.0f MB"):format(grew))
