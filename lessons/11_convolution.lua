-- Lesson 11: the convolution playground. The course's worked grids reproduced exactly
-- (the vertical edge of the step image, the zero-padded 3x3, max and average
-- pooling), the output-size formula, the course notes' 6x6 edge image through Sobel
-- (rows of −1020, min-max scaled to 0 and 255), Sobel on a real Fashion-MNIST image,
-- and the transposed convolution that brings 2x2 back to 5x5.
lesson{"convolution", "Convolution, padding, stride and pooling"}

local lib11 = require "lessonlib_11" -- reference answers for the checks

say[[
# A kernel sliding over an image

A convolutional layer does not connect every input to every unit. It slides a small
grid of weights, the **kernel** (or filter), over the image; at each position it
multiplies the kernel with the patch under it, element by element, and adds the
products up. That sum is one pixel of the output, the **feature map**:

    out[i, j] = Σ_a Σ_b  x[i + a, j + b] · k[a, b]

The course computes its grids exactly this way, without turning the kernel round
(strictly that is *cross-correlation*; the textbook's convolution formula flips the
kernel first, and deep-learning libraries all compute the unflipped one).

`conv{...}` is the playground: it shows the input, the kernel and the output with
their numbers, the kernel's window, and the sum at that position written out. The
output comes from the engine's own `nn.conv2d` with your kernel as its weights. In
its window → (or space) slides the kernel one step, ← goes back, a fills in the
whole output; at the prompt `pg:step()` does the same.

Below, the course's first example: a 6×6 image, bright (10) on the left and dark
(0) on the right, and its vertical-edge kernel.
]]

show[[
lib11 = require("lessonlib_11")
pg = conv{image = "step", kernel = "vertical_edge"}
print(lib11.show(pg.image[1]))
print(pg:step())
print(pg:step(4))
pg:finish()
print(lib11.show(pg:result()))
]]

say[[
The output is 4×4, and its middle columns are 30: there the window straddles the
edge, 10s under the kernel's 1s and 0s under its −1s. Where the image is flat the
+1s and −1s cancel and the output is 0. A kernel is a detector: it answers strongly
where the patch looks like it.
]]

task{
  [[Write `correlate(image, kernel)`: the valid (no padding), stride-1 output of a
  kernel sliding over an image, both given as rows of numbers (`image[r][c]`), as
  rows of numbers. For an n×n image and an f×f kernel it has n − f + 1 rows.
  Check it against the playground: `correlate(pg.image[1], pg.kernel[1][1])` should
  equal `pg:result()`.]],
  check = function(env)
    if type(env.correlate) ~= "function" then return false, "there is no function `correlate` yet" end
    local cases = {
      {"the step image and the vertical-edge kernel", "step", "vertical_edge"},
      {"a 5x7 grid and a 2x3 kernel", lib11.random_grid(5, 7, 3), lib11.random_grid(2, 3, 4, -2, 2)},
      {"a 6x6 grid and Sobel x", lib11.random_grid(6, 6, 7), "sobel_x"},
    }
    local cv = require "convpg"
    for _, case in ipairs(cases) do
      local image = type(case[2]) == "string" and cv.images[case[2]] or case[2]
      local kernel = type(case[3]) == "string" and cv.kernels[case[3]] or case[3]
      local ok, got = pcall(env.correlate, image, kernel)
      if not ok then return false, ("correlate raised an error on %s: %s"):format(case[1], tostring(got)) end
      local want = lib11.output{image = image, kernel = kernel}
      local flipped = lib11.output{image = image, kernel = kernel, flip = true}
      if lib11.compare(got, flipped, "") == "" and lib11.compare(got, want, "") ~= "" then
        return false, ("on %s your output is the flipped kernel's: the course's grids slide the kernel as it is, k[a][b] with x[i + a][j + b]"):format(case[1])
      end
      local diff = lib11.compare(got, want, "the output")
      if diff ~= "" then return false, ("on %s: %s"):format(case[1], diff) end
    end
    return true
  end,
  hint = "out has #image - #kernel + 1 rows; out[i][j] = sum over a, b of image[i + a - 1][j + b - 1] * kernel[a][b]",
  solution = [[
function correlate(image, kernel)
  local out = {}
  for i = 1, #image - #kernel + 1 do
    out[i] = {}
    for j = 1, #image[1] - #kernel[1] + 1 do
      local s = 0
      for a = 1, #kernel do
        for b = 1, #kernel[1] do s = s + image[i + a - 1][j + b - 1] * kernel[a][b] end
      end
      out[i][j] = s
    end
  end
  return out
end]],
  wrong = {
    { "the kernel flipped (the textbook's convolution)", [[
function correlate(image, kernel)
  local out, fh, fw = {}, #kernel, #kernel[1]
  for i = 1, #image - fh + 1 do
    out[i] = {}
    for j = 1, #image[1] - fw + 1 do
      local s = 0
      for a = 1, fh do
        for b = 1, fw do s = s + image[i + a - 1][j + b - 1] * kernel[fh - a + 1][fw - b + 1] end
      end
      out[i][j] = s
    end
  end
  return out
end]] },
    { "n − f rows (one too few)", [[
function correlate(image, kernel)
  local out = {}
  for i = 1, #image - #kernel do
    out[i] = {}
    for j = 1, #image[1] - #kernel[1] do
      local s = 0
      for a = 1, #kernel do
        for b = 1, #kernel[1] do s = s + image[i + a - 1][j + b - 1] * kernel[a][b] end
      end
      out[i][j] = s
    end
  end
  return out
end]] },
    { "a square kernel assumed (#kernel for both sides)", [[
function correlate(image, kernel)
  local out = {}
  for i = 1, #image - #kernel + 1 do
    out[i] = {}
    for j = 1, #image[1] - #kernel + 1 do
      local s = 0
      for a = 1, #kernel do
        for b = 1, #kernel do s = s + image[i + a - 1][j + b - 1] * (kernel[a][b] or 0) end
      end
      out[i][j] = s
    end
  end
  return out
end]] },
  },
}

pause()

say[[
# Padding and stride

Two things are wrong with the valid convolution. The image shrinks, by f − 1 pixels
a layer, and the corner pixels are covered by one window only while the middle ones
are covered by f². **Padding** adds P rows and columns of zeros around the image;
**stride** S moves the kernel S pixels at a time. **Dilation** D spreads the kernel's
taps D pixels apart, so a 3×3 kernel with D = 2 sees a 5×5 field with 9 weights:
F = k + (k − 1)(D − 1). The output has

    ⌊(W − F + 2P) / S⌋ + 1

pixels across (the same for the height). The course's second grid: the 3×3 image
0…8 padded by P = 1, with the 2×2 kernel {{0, 1}, {2, 3}}.
]]

show[[
pg2 = conv{image = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, kernel = {{0, 1}, {2, 3}}, padding = 1}
print(pg2:text())
print(lib11.show(pg2:result()))
print(pg2:go(2, 2):dot())
]]

say[[
The course's grid is 0 3 8 4 / 9 19 25 10 / 21 37 43 16 / 6 7 8 0, and the formula
gives ⌊(3 − 2 + 2)/1⌋ + 1 = 4: with an even kernel, padding 1 makes the output
larger than the input. "Same" padding, which keeps the size at stride 1, needs
P = (F − 1)/2, an odd kernel. (The book prints the formula as (n + 2P − f + 1)/S + 1;
for 7×7, a 3×3 kernel and stride 2 that gives 3.5, not a size. The floor form gives 3.)
]]

task{
  [[Write `out_size(n, f, p, s, d)`: the output size along one side for an input of n
  pixels, a kernel of f taps, padding p on each side, stride s and dilation d (p, s
  and d may be left out: 0, 1 and 1).]],
  check = function(env)
    if type(env.out_size) ~= "function" then return false, "there is no function `out_size` yet" end
    local cases = { -- n, f, p, s, d, and the playground's answer
      {8, 3, 0, 1, 1}, {6, 3, 0, 1, 1}, {3, 2, 1, 1, 1}, {5, 3, 0, 2, 1}, {7, 3, 0, 2, 1},
      {7, 3, 0, 1, 2}, {28, 5, 2, 1, 1}, {28, 3, 1, 2, 1}, {9, 3, 1, 3, 2}, {10, 4, 0, 3, 1},
    }
    for _, c in ipairs(cases) do
      local n, f, p, s, d = table.unpack(c)
      local want = #lib11.output{image = lib11.random_grid(n, n, n), kernel = lib11.random_grid(f, f, f),
        padding = p, stride = s, dilation = d}
      local ok, got = pcall(env.out_size, n, f, p, s, d)
      if not ok then return false, ("out_size(%d, %d, %d, %d, %d) raised: %s"):format(n, f, p, s, d, tostring(got)) end
      if got ~= want then
        return false, ("out_size(n = %d, f = %d, p = %d, s = %d, d = %d) gave %s; the playground's output has %d"):format(
          n, f, p, s, d, tostring(got), want)
      end
    end
    local ok, got = pcall(env.out_size, 6, 3)
    if not ok or got ~= 4 then return false, "out_size(6, 3) should be 4: p, s and d default to 0, 1 and 1" end
    return true
  end,
  hint = "F = f + (f - 1) * (d - 1); then (n - F + 2 * p) // s + 1",
  solution = [[
function out_size(n, f, p, s, d)
  p, s, d = p or 0, s or 1, d or 1
  local F = f + (f - 1) * (d - 1)
  return (n - F + 2 * p) // s + 1
end]],
  wrong = {
    { "the book's printed formula", [[
function out_size(n, f, p, s, d)
  p, s = p or 0, s or 1
  return (n + 2 * p - f + 1) / s + 1
end]] },
    { "dilation left out", [[
function out_size(n, f, p, s, d)
  p, s = p or 0, s or 1
  return (n - f + 2 * p) // s + 1
end]] },
    { "no floor", [[
function out_size(n, f, p, s, d)
  p, s, d = p or 0, s or 1, d or 1
  local F = f + (f - 1) * (d - 1)
  return (n - F + 2 * p) / s + 1
end]] },
  },
}

pause()

say[[
# The course notes' edge image, through Sobel

The notes' 6×6 image has three black rows (0) over three white ones (255): a
horizontal edge. The Sobel kernel for horizontal edges is {{1, 2, 1}, {0, 0, 0},
{−1, −2, −1}} (its transpose finds vertical ones). Its output rows are 0, −1020,
−1020, 0: −1020 = −(1 + 2 + 1)·255 where the window holds the edge. To *see* an
output as an image it is min-max scaled to 0…255: (v − min)/(max − min) · 255.
]]

show[[
edge = conv{image = "edge6", kernel = "sobel_y"}
print(lib11.show(edge:result()))
]]

task{
  [[Write `minmax255(rows)`: the grid scaled so that its smallest value becomes 0 and
  its largest 255 (a flat grid, max = min, becomes all 0). Then set `edge_scaled =
  minmax255(edge:result())`: the notes' rows of 255, 0, 0, 255.]],
  check = function(env)
    if type(env.minmax255) ~= "function" then return false, "there is no function `minmax255` yet" end
    local want = {{255, 255, 255, 255}, {0, 0, 0, 0}, {0, 0, 0, 0}, {255, 255, 255, 255}}
    local diff = lib11.compare(env.edge_scaled, want, "edge_scaled")
    if env.edge_scaled == nil then return false, "set `edge_scaled = minmax255(edge:result())`" end
    if diff ~= "" then return false, diff end
    local g = lib11.random_grid(4, 5, 11, -20, 40)
    local lo, hi = math.huge, -math.huge
    for _, row in ipairs(g) do for _, v in ipairs(row) do lo, hi = math.min(lo, v), math.max(hi, v) end end
    local w = {}
    for r, row in ipairs(g) do w[r] = {}; for c, v in ipairs(row) do w[r][c] = (v - lo) / (hi - lo) * 255 end end
    local ok, got = pcall(env.minmax255, g)
    if not ok then return false, "minmax255 raised an error on a 4x5 grid: " .. tostring(got) end
    diff = lib11.compare(got, w, "minmax255 of a 4x5 grid from -20 to 40")
    if diff ~= "" then return false, diff end
    local okf, flat = pcall(env.minmax255, {{3, 3}, {3, 3}})
    if not okf or lib11.compare(flat, {{0, 0}, {0, 0}}, "") ~= "" then
      return false, "a flat grid {{3, 3}, {3, 3}} should scale to all 0 (max = min: no division by zero)"
    end
    return true
  end,
  hint = "find lo and hi over every cell; each v becomes (v - lo) / (hi - lo) * 255, or 0 when hi == lo",
  solution = [[
function minmax255(rows)
  local lo, hi = math.huge, -math.huge
  for _, row in ipairs(rows) do for _, v in ipairs(row) do lo, hi = math.min(lo, v), math.max(hi, v) end end
  local out = {}
  for r, row in ipairs(rows) do
    out[r] = {}
    for c, v in ipairs(row) do out[r][c] = hi > lo and (v - lo) / (hi - lo) * 255 or 0 end
  end
  return out
end
edge_scaled = minmax255(edge:result())]],
  wrong = {
    { "scaled to 0…1", [[
function minmax255(rows)
  local lo, hi = math.huge, -math.huge
  for _, row in ipairs(rows) do for _, v in ipairs(row) do lo, hi = math.min(lo, v), math.max(hi, v) end end
  local out = {}
  for r, row in ipairs(rows) do
    out[r] = {}
    for c, v in ipairs(row) do out[r][c] = hi > lo and (v - lo) / (hi - lo) or 0 end
  end
  return out
end
edge_scaled = minmax255(edge:result())]] },
    { "divided by the largest value only", [[
function minmax255(rows)
  local hi = -math.huge
  for _, row in ipairs(rows) do for _, v in ipairs(row) do hi = math.max(hi, math.abs(v)) end end
  local out = {}
  for r, row in ipairs(rows) do
    out[r] = {}
    for c, v in ipairs(row) do out[r][c] = hi > 0 and v / hi * 255 or 0 end
  end
  return out
end
edge_scaled = minmax255(edge:result())]] },
  },
}

pause()

say[[
# Sobel on a real image

The same kernels on a Fashion-MNIST image (28×28, pixels from 0 to 1). Sobel x
answers at left and right edges (positive where it gets brighter to the right,
negative where darker), Sobel y at top and bottom edges. Their combination
√(gx² + gy²), the **gradient magnitude**, outlines the garment whatever the edge's
direction. With `padding = 1` the output keeps the 28×28 size.
]]

show[[
fm = data.fashion_mnist{limit = 10, split = "test"}
gx = conv{image = fm, index = 1, kernel = "sobel_x", padding = 1}
gy = conv{image = fm, index = 1, kernel = "sobel_y", padding = 1, show = false}
print(gx:go(14, 10))
]]

task{
  [[Set `magnitude` to the gradient magnitude of that image: rows of √(gx² + gy²),
  from `gx:result()` and `gy:result()` (both 28×28).]],
  check = function(env)
    local m = env.magnitude
    if m == nil then return false, "there is no `magnitude` yet" end
    local fmt = lib11.output{image = env.fm, index = 1, kernel = "sobel_x", padding = 1}
    local fy = lib11.output{image = env.fm, index = 1, kernel = "sobel_y", padding = 1}
    local want = {}
    for r = 1, 28 do
      want[r] = {}
      for c = 1, 28 do want[r][c] = math.sqrt(fmt[r][c] ^ 2 + fy[r][c] ^ 2) end
    end
    local diff = lib11.compare(m, want, "magnitude", 1e-3)
    if diff == "" then return true end
    if type(m) == "table" and type(m[1]) == "table" and #m == 28 then
      local sum_abs, plain = true, true
      for r = 1, 28 do
        for c = 1, 28 do
          local v = type(m[r]) == "table" and m[r][c]
          if type(v) ~= "number" or math.abs(v - (math.abs(fmt[r][c]) + math.abs(fy[r][c]))) > 1e-3 then sum_abs = false end
          if type(v) ~= "number" or math.abs(v - (fmt[r][c] + fy[r][c])) > 1e-3 then plain = false end
        end
      end
      if sum_abs then return false, "that is |gx| + |gy|, a cheaper estimate; the magnitude is √(gx² + gy²)" end
      if plain then return false, "that is gx + gy: opposite edges cancel; the magnitude is √(gx² + gy²)" end
    end
    return false, diff
  end,
  hint = "local x, y = gx:result(), gy:result(); magnitude[r][c] = math.sqrt(x[r][c]^2 + y[r][c]^2)",
  solution = [[
local x, y = gx:result(), gy:result()
magnitude = {}
for r = 1, #x do
  magnitude[r] = {}
  for c = 1, #x[1] do magnitude[r][c] = math.sqrt(x[r][c] ^ 2 + y[r][c] ^ 2) end
end
plot.matrix{values = magnitude, title = "√(gx² + gy²)"}]],
  wrong = {
    { "gx + gy", [[
local x, y = gx:result(), gy:result()
magnitude = {}
for r = 1, #x do
  magnitude[r] = {}
  for c = 1, #x[1] do magnitude[r][c] = x[r][c] + y[r][c] end
end]] },
    { "|gx| + |gy|", [[
local x, y = gx:result(), gy:result()
magnitude = {}
for r = 1, #x do
  magnitude[r] = {}
  for c = 1, #x[1] do magnitude[r][c] = math.abs(x[r][c]) + math.abs(y[r][c]) end
end]] },
  },
}

pause()

say[[
# Pooling

A pooling layer has no weights: it slides a window (2×2, stride 2 as a rule) and
keeps the largest value (**max pooling**) or the mean (**average pooling**) of each,
channel by channel. It halves the width and height, and a small shift of the image
barely changes its output. The course's grids: max pooling keeps 6, 8, 3 and 4;
average pooling of [4, 3, 1, 3] is 2.75.
]]

show[[
mp = conv{image = {{1, 2, 2, 3}, {4, 6, 6, 8}, {3, 1, 1, 0}, {1, 2, 2, 4}}, op = "maxpool", size = 2}
print(mp)
print(lib11.show(mp:result()))
ap = conv{image = {{4, 3, 1, 5}, {1, 3, 4, 8}, {4, 5, 4, 3}, {6, 5, 9, 4}}, op = "avgpool", size = 2, show = false}
print(ap)
print(lib11.show(ap:result()))
]]

task{
  [[Write `maxpool2(rows)`: 2×2 max pooling with stride 2 of a grid with an even
  number of rows and columns (the output has half as many of each).]],
  check = function(env)
    if type(env.maxpool2) ~= "function" then return false, "there is no function `maxpool2` yet" end
    for _, g in ipairs{{{1, 2, 2, 3}, {4, 6, 6, 8}, {3, 1, 1, 0}, {1, 2, 2, 4}}, lib11.random_grid(6, 8, 5, -9, 9)} do
      local ok, got = pcall(env.maxpool2, g)
      if not ok then return false, ("maxpool2 raised on a %dx%d grid: %s"):format(#g, #g[1], tostring(got)) end
      local want = lib11.output{image = g, op = "maxpool", size = 2}
      local diff = lib11.compare(got, want, ("maxpool2 of a %dx%d grid"):format(#g, #g[1]))
      if diff ~= "" then
        if lib11.compare(got, lib11.output{image = g, op = "avgpool", size = 2}, "") == "" then
          return false, "that is average pooling: keep the largest of the four"
        end
        if lib11.compare(got, lib11.output{image = g, op = "maxpool", size = 2, stride = 1}, "") == "" then
          return false, "the windows overlap (stride 1): move the window by 2"
        end
        return false, diff
      end
    end
    return true
  end,
  hint = "out[i][j] = math.max(g[2i-1][2j-1], g[2i-1][2j], g[2i][2j-1], g[2i][2j])",
  solution = [[
function maxpool2(g)
  local out = {}
  for i = 1, #g // 2 do
    out[i] = {}
    for j = 1, #g[1] // 2 do
      out[i][j] = math.max(g[2 * i - 1][2 * j - 1], g[2 * i - 1][2 * j], g[2 * i][2 * j - 1], g[2 * i][2 * j])
    end
  end
  return out
end]],
  wrong = {
    { "the mean of the four", [[
function maxpool2(g)
  local out = {}
  for i = 1, #g // 2 do
    out[i] = {}
    for j = 1, #g[1] // 2 do
      out[i][j] = (g[2 * i - 1][2 * j - 1] + g[2 * i - 1][2 * j] + g[2 * i][2 * j - 1] + g[2 * i][2 * j]) / 4
    end
  end
  return out
end]] },
    { "stride 1", [[
function maxpool2(g)
  local out = {}
  for i = 1, #g - 1 do
    out[i] = {}
    for j = 1, #g[1] - 1 do
      out[i][j] = math.max(g[i][j], g[i][j + 1], g[i + 1][j], g[i + 1][j + 1])
    end
  end
  return out
end]] },
  },
}

say[[
# Going back up: the transposed convolution

A 5×5 input, a 3×3 kernel and stride 2 give 2×2. A **transposed convolution** goes
the other way, 2×2 to 5×5: each input pixel stamps the kernel, scaled by its value,
onto the output, S pixels apart, and overlapping stamps add up. It is the same as
an ordinary convolution of the input with S − 1 zeros put between its pixels and
F − 1 − P around them, with the kernel turned 180°; the playground shows it that
way. Its size is (W − 1)·S − 2P + F. Decoders and segmentation nets use it to
upsample; it is not the inverse of the convolution, only of its shape.
]]

show[[
up = conv{image = {{1, 2}, {3, 4}}, kernel = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, op = "transposed", stride = 2}
print(up:text())
print(lib11.show(up:result()))
]]

quiz{
  [[A 3×3 kernel with dilation 2 and stride 1, no padding, slides over a 9×9 image.
  How large is the output?]],
  choices = { "7×7", "5×5", "4×4", "3×3" },
  answer = 2,
  why = [[Dilation 2 spreads the 3 taps over F = 3 + 2·1 = 5 pixels, so the output is
  ⌊(9 − 5 + 0)/1⌋ + 1 = 5 pixels a side, from 9 weights.]],
}

say[[
# Next

A convolutional layer is this playground with many kernels at once, each learned
by backpropagation instead of chosen by hand, and a bias and an activation after
each sum. Lesson 12 trains LeNet-5 on Fashion-MNIST and shows the kernels it learns
and the feature maps they make.
]]
