-- test_convpg.lua: the convolution playground (lua/convpg.lua). The course's worked
-- grids come out exactly (TV-01 to TV-05 of shared/notes/seeds-002.md, the Sobel
-- example of seeds-001.md), the dot product it writes out sums to the engine's output
-- at every position, a transposed convolution matches a scatter-add written here,
-- several input channels add up, stepping stays in range, and bad input is refused
-- with a message naming the problem.
local cv = require "convpg"

local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
end
local function flat(rows)
  local t = {}
  for _, r in ipairs(rows) do for _, v in ipairs(r) do t[#t + 1] = ("%g"):format(v) end end
  return table.concat(t, " ")
end
local function P(o) o.show = false; return conv(o) end

-- TV-01: the vertical edge of the 6x6 step image, as cross-correlation
local pg = P{image = "step", kernel = "vertical_edge"}
assert(flat(pg:result()) == "0 30 30 0 0 30 30 0 0 30 30 0 0 30 30 0", flat(pg:result()))
assert(pg.out_h == 4 and pg.out_w == 4 and pg.total == 16)
pg:step()
assert(pg:dot() == "10·1 + 10·0 + 0·(-1) + 10·1 + 10·0 + 0·(-1) + 10·1 + 10·0 + 0·(-1) = 30", pg:dot())
assert(not tostring(pg):find("\n"), "a playground prints on one line")
assert(tostring(pg):find("step 2 of 16", 1, true), tostring(pg))
assert(pg:text():find("⌊(6 − 3 + 2·0)/1⌋ + 1 = 4", 1, true), pg:text())
-- the true (flipped) convolution gives -30
assert(flat(P{image = "step", kernel = "vertical_edge", flip = true}:result()) == "0 -30 -30 0 0 -30 -30 0 0 -30 -30 0 0 -30 -30 0")

-- TV-02: the 3x3 input padded by 1, the 2x2 kernel
local k2 = {{0, 1}, {2, 3}}
pg = P{image = "tv02", kernel = k2, padding = 1}
assert(flat(pg:result()) == "0 3 8 4 9 19 25 10 21 37 43 16 6 7 8 0", flat(pg:result()))
assert(pg:text():find("⌊(3 − 2 + 2·1)/1⌋ + 1 = 4", 1, true), pg:text())
pg:go(2, 2)
assert(pg:dot() == "0·0 + 1·1 + 3·2 + 4·3 = 19", pg:dot())
assert(flat(P{image = "tv02", kernel = k2, padding = 1, flip = true}:result()) ==
  "0 0 1 2 0 5 11 11 6 23 29 23 12 32 37 24")

-- TV-03 and TV-04: pooling, 2x2, stride 2
pg = P{image = "tv03", op = "maxpool"}
assert(flat(pg:result()) == "6 8 3 4")
assert(pg:dot() == "max(1, 2, 4, 6) = 6", pg:dot())
pg = P{image = "tv04", op = "avgpool"}
assert(flat(pg:result()) == "2.75 4.5 5 5")
assert(pg:dot() == "(4 + 3 + 1 + 3)/4 = 2.75", pg:dot())
assert(flat(P{image = "tv04", op = "maxpool", size = 2}:result()) == "4 8 6 9")

-- TV-05: output sizes
local function size(o) local p = P(o); return p.out_h .. "x" .. p.out_w end
local function grid(n) local g = {}; for r = 1, n do g[r] = {}; for c = 1, n do g[r][c] = r + c end end; return g end
assert(size{image = grid(8), kernel = "sobel_x"} == "6x6")
assert(size{image = grid(5), kernel = "box_blur", stride = 2} == "2x2")
assert(size{image = grid(7), kernel = "box_blur", stride = 2} == "3x3")
assert(size{image = grid(7), kernel = "laplacian", padding = "same"} == "7x7")
assert(size{image = grid(7), kernel = {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}}, padding = 2} == "7x7")
pg = P{image = grid(7), kernel = "laplacian", dilation = 2}
assert(pg.out_h == 3, pg.out_h)
assert(pg:text():find("= 3 + 2·1 = 5", 1, true), pg:text())
-- 5x5 → 2x2 with stride 2, and the transposed convolution brings 2x2 back to 5x5
assert(size{image = {{1, 2}, {3, 4}}, kernel = "box_blur", op = "transposed", stride = 2} == "5x5")

-- the course notes' Sobel example: the 6x6 of black over white rows gives rows of
-- -1020, min-max scaled to 255 and 0
pg = P{image = "edge6", kernel = "sobel_y"}
assert(flat(pg:result()) == "0 0 0 0 -1020 -1020 -1020 -1020 -1020 -1020 -1020 -1020 0 0 0 0", flat(pg:result()))

-- a transposed convolution equals the scatter-add of the kernel times each input pixel
local x, k = {{1, -2, 0.5}, {3, 4, -1}}, {{1, 2, 0}, {-1, 0.5, 3}}
for _, case in ipairs{{s = 1, p = 0}, {s = 2, p = 0}, {s = 2, p = 1}, {s = 3, p = 1}} do
  local s, p = case.s, case.p
  local H, W = (#x - 1) * s - 2 * p + #k, (#x[1] - 1) * s - 2 * p + #k[1]
  local want = {}
  for r = 1, H do want[r] = {}; for c = 1, W do want[r][c] = 0 end end
  for i = 1, #x do
    for j = 1, #x[1] do
      for a = 1, #k do
        for b = 1, #k[1] do
          local r, c = (i - 1) * s + a - p, (j - 1) * s + b - p
          if r >= 1 and r <= H and c >= 1 and c <= W then want[r][c] = want[r][c] + x[i][j] * k[a][b] end
        end
      end
    end
  end
  local got = P{image = x, kernel = k, op = "transposed", stride = s, padding = p}:result()
  assert(#got == H and #got[1] == W, ("stride %d padding %d: %dx%d, want %dx%d"):format(s, p, #got, #got[1], H, W))
  for r = 1, H do
    for c = 1, W do
      assert(math.abs(got[r][c] - want[r][c]) < 1e-5,
        ("transposed stride %d padding %d at %d,%d: %g, want %g"):format(s, p, r, c, got[r][c], want[r][c]))
    end
  end
end

-- several input channels: the output is the sum of each channel's convolution
local c1, c2 = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
local ka, kb = {{1, 0}, {0, 1}}, {{1, 1}, {1, 1}}
local both = P{image = {c1, c2}, kernel = {ka, kb}, padding = 1}:result()
local one, two = P{image = c1, kernel = ka, padding = 1}:result(), P{image = c2, kernel = kb, padding = 1}:result()
for r = 1, 4 do for c = 1, 4 do assert(both[r][c] == one[r][c] + two[r][c]) end end
-- two output channels, each its own kernels
pg = P{image = {c1, c2}, kernel = {{ka, kb}, {kb, ka}}}
assert(pg.outputs == 2 and pg.total == 8)
pg:go(1, 1, 2)
assert(pg:dot() == "1·1 + 2·1 + 4·1 + 5·1 + 1·1 + 0·0 + 0·0 + 1·1 = 14", pg:dot())
-- pooling keeps the channels apart
pg = P{image = {c1, c2}, op = "maxpool", size = 2, stride = 1}
assert(flat(pg:result(2)) == "1 1 1 1", flat(pg:result(2)))
pg:go(1, 2, 2)
assert(pg:dot() == "max(0, 0, 1, 0) = 1", pg:dot())

-- a real image: the dot product written out sums to the engine's output at every
-- position of Sobel on a Fashion-MNIST image
local d = data.fashion_mnist{limit = 3, split = "train"}
pg = P{image = d, index = 2, kernel = "sobel_x", stride = 2, padding = 1}
assert(pg.out_h == 14 and pg.src_h == 28)
local worst = 0
for step = 1, pg.total do
  local s = pg:dot(step)
  local sum = 0
  for a, b in s:gmatch("%(?([%-%d%.e]+)%)?·%(?([%-%d%.e]+)%)?") do sum = sum + tonumber(a) * tonumber(b) end
  local o, r, c = 1, (step - 1) // pg.out_w + 1, (step - 1) % pg.out_w + 1
  worst = math.max(worst, math.abs(sum - pg:result(o)[r][c]))
end
assert(worst < 1e-3, "the written-out sums differ from the output by " .. worst)
-- and the same numbers as nn.conv2d on the data set's tensor
local layer = nn.conv2d(1, 1, 3, {stride = 2, padding = 1, bias = false})
local w = {}
for _, row in ipairs(cv.kernels.sobel_x) do for _, v in ipairs(row) do w[#w + 1] = v end end
require("nn.train").assign(layer:param(1), nn.tensor(w))
local ref = layer:forward(d:x():rows(2, 1):reshape{1, 1, 28, 28}):reshape{-1}:totable()
local got = {}
for _, row in ipairs(pg:result()) do for _, v in ipairs(row) do got[#got + 1] = v end end
for i = 1, #ref do assert(math.abs(ref[i] - got[i]) < 1e-6) end

-- stepping stays in range; reset and finish
pg = P{image = "step", kernel = "sobel_x"}
pg:step(100); assert(pg.k == 16)
pg:back(3); assert(pg.k == 13)
pg:back(100); assert(pg.k == 1)
pg:go(4, 3); assert(pg.k == 15)
pg:finish(); assert(pg.all)
pg:reset(); assert(pg.k == 1 and not pg.all)
local tmp = os.tmpname() .. ".png"
pg:step(5):save(tmp)
assert(io.open(tmp)):close()
os.remove(tmp)

-- refusals name the problem
fails("no built-in kernel \"sobelx\"", P, {image = "step", kernel = "sobelx"})
fails("no built-in image", P, {image = "stpe", kernel = "sobel_x"})
fails("the 3x3 kernel does not fit the 2x2 input", P, {image = {{1, 2}, {3, 4}}, kernel = "sobel_x"})
fails("the 1x5 kernel does not fit the 4x2 input with its padding", P, {image = {{1, 2}, {3, 4}}, kernel = {{1, 1, 1, 1, 1}}, padding = {1, 1, 0, 0}})
fails("row 2 has 1 numbers, row 1 has 2", P, {image = {{1, 2}, {3}}, kernel = {{1}}})
fails("kernel 1 has 3 channels, the image has 2", P, {image = {c1, c2}, kernel = {ka, ka, ka}})
fails("pooling has no kernel", P, {image = "tv03", op = "maxpool", kernel = "sobel_x"})
fails("stride must be a whole number >= 1, got 0", P, {image = "step", kernel = "sobel_x", stride = 0})
fails("padding must be a number", P, {image = "step", kernel = "sobel_x", padding = "full"})
fails("at most F − 1 = 2", P, {image = "tv02", kernel = "sobel_x", op = "transposed", padding = 3})
fails("unknown option 'strides'", P, {image = "step", kernel = "sobel_x", strides = 2})
fails("op must be", P, {image = "step", kernel = "sobel_x", op = "conv3d"})
fails("index must be a whole number from 1 to 3", P, {image = d, index = 4, kernel = "sobel_x"})
fails("pg:go: the output is 1 channel(s) of 4x4", function() P{image = "step", kernel = "sobel_x"}:go(5, 1) end)
print("test_convpg: ok")
