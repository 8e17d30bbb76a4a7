-- doc/convpg.lua: help entries of the convolution playground (lua/convpg.lua), its
-- methods, and the matrix plot it draws its grids with.
local common = [[
The window's keys: → or space slides the kernel one step, ← one step back, a fills in
the whole output, r goes back to the start.]]

return {
  conv = {
    sig = "pg = conv{image =, kernel =, stride = 1, padding = 0, dilation = 1, op = \"conv\", size =, index =, flip = false, show =}",
    summary = "the convolution playground: input, kernel and output grids, the kernel sliding step by step",
    text = [[
Shows the input, the kernel and the output as grids with their numbers, the output
size formula filled in (⌊(W − F + 2P)/S⌋ + 1) and the kernel's window at one position,
with its sum written out ("10·1 + 10·0 + 0·(-1) + ... = 30"). The output is computed
by the engine's own layers (nn.conv2d with your kernel as its weights, nn.maxpool2d,
nn.avgpool2d), as cross-correlation, as the course computes it; flip = true turns
the kernel 180° first (the convolution of the textbook's formula).
image: rows of numbers, a list of channels (they add up), a tensor [H, W] or
[C, H, W], a data set with index = k (data.fashion_mnist{...}), or a built-in name:
"step" (TV-01), "tv02", "tv03", "tv04", "edge6" (three black rows over three white).
kernel: rows, a list of them per input channel, a list of those per output channel,
a tensor, or a name: "vertical_edge" (the course's), "horizontal_edge", "sobel_x",
"sobel_y", "laplacian", "box_blur", "sharpen", "identity". A single kernel serves
every input channel. padding: a number, {ph, pw}, {top, bottom, left, right},
"valid" or "same". op = "maxpool" or "avgpool" with size = the window (stride = size
unless given); op = "transposed" for the transposed convolution, shown as the
convolution of the input with S − 1 zeros between its pixels.
]] .. common,
    example = [[
pg = conv{image = "step", kernel = "vertical_edge", show = false}
print(pg:step())                --> ... step 2 of 16: 10·1 + 10·0 + 0·(-1) + ... = 30
print(pg:result()[1][2])        --> 30.0
up = conv{image = {{1, 2}, {3, 4}}, kernel = "box_blur", op = "transposed", stride = 2, show = false}
print(#up:result())             --> 5]],
  },
  ["conv:step"] = {
    sig = "pg:step([n]) -> pg",
    summary = "slides the kernel n positions on (1), row by row, then output channel by channel",
    text = "The output cells past the position stay blank until pg:finish(). " .. common,
    example = [[
pg = conv{image = "tv03", op = "maxpool", show = false}
print(pg:step())   --> conv (max pooling): 4x4 → 2x2, step 2 of 4: max(2, 3, 6, 8) = 8]],
  },
  ["conv:back"] = {
    sig = "pg:back([n]) -> pg",
    summary = "slides the kernel n positions back (1)",
    text = "Stops at the first position. " .. common,
    example = [[
pg = conv{image = "step", kernel = "sobel_x", show = false}
print(pg:step(5):back(2).k)   --> 4]],
  },
  ["conv:go"] = {
    sig = "pg:go(row, col [, channel]) -> pg",
    summary = "puts the kernel where it makes output row, col (of output channel channel)",
    text = "Rows and columns count from 1, as the grids' numbers do.",
    example = [[
pg = conv{image = "tv02", kernel = {{0, 1}, {2, 3}}, padding = 1, show = false}
print(pg:go(2, 2):dot())   --> 0·0 + 1·1 + 3·2 + 4·3 = 19]],
  },
  ["conv:finish"] = {
    sig = "pg:finish() -> pg",
    summary = "fills in the whole output grid (the kernel stays where it is)",
    text = "The a key in the window does the same.",
    example = [[
pg = conv{image = "edge6", kernel = "sobel_y", show = false}
pg:finish()]],
  },
  ["conv:reset"] = {
    sig = "pg:reset() -> pg",
    summary = "back to the first position, with the output blank again",
    text = "The r key in the window does the same.",
    example = [[
pg = conv{image = "step", kernel = "sobel_x", show = false}
print(pg:step(3):reset().k)   --> 1]],
  },
  ["conv:result"] = {
    sig = "pg:result([channel]) -> rows",
    summary = "the output grid (of output channel channel, 1) as rows of numbers",
    text = "The numbers nn.conv2d (or the pooling layer) computed for the playground.",
    example = [[
pg = conv{image = "tv04", op = "avgpool", show = false}
print(pg:result()[1][1])   --> 2.75]],
  },
  ["conv:dot"] = {
    sig = "pg:dot([step]) -> text",
    summary = "the sum at a step (the current one) written out, as the window shows it",
    text = [[
A convolution's dot product of the window and the kernel ("1·0 + 2·1 + ... = 7"),
over every input channel; max(...) for max pooling; (a + b + ...)/n for average
pooling.]],
    example = [[
pg = conv{image = "tv04", op = "avgpool", show = false}
print(pg:dot())   --> (4 + 3 + 1 + 3)/4 = 2.75]],
  },
  ["conv:text"] = {
    sig = "pg:text() -> text",
    summary = "the readout: sizes, the output size formula filled in, the sum at this step",
    text = "What the playground's text panel shows.",
    example = [[
pg = conv{image = "step", kernel = "sobel_x", stride = 2, show = false}
print(pg:text())]],
  },
  ["conv:save"] = {
    sig = "pg:save(path) -> pg",
    summary = "writes the playground's window as a PNG",
    text = "Works without a display too.",
    example = [[
pg = conv{image = "step", kernel = "vertical_edge", show = false}
pg:step(5):save("conv.png")]],
  },
  ["plot.matrix"] = {
    sig = "p = plot.matrix{values = rows | tensor [rows, cols], marks = {{row, col, style}, ...}, title =}",
    summary = "a small matrix with each number written in its cell; marked cells outlined",
    text = [[
Cells are coloured by value (signed values on the diverging map, others in gray) and
each number is written in its cell, when the cells are large enough for it. marks
(1-based) style each cell: "window" (outlined in orange, as one shape), "pad" (greyed:
padding), "blank" (left empty: not computed yet), "pick" (outlined in green). Hovering
names the cell and its value. The convolution playground (conv) draws its grids so.]],
    example = [[
p = plot.matrix{values = {{0, 30, 30, 0}, {0, 30, 30, 0}}, marks = {{1, 2}, {1, 3}}, title = "output", show = false}
p:save("matrix.png")]],
  },
}
