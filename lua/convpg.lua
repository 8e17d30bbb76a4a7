-- convpg.lua: the convolution playground, conv{image =, kernel =, stride =, padding =,
-- dilation =, op =}. It computes the output through the engine's own layers
-- (nn.conv2d with the kernel copied into its weights, nn.maxpool2d, nn.avgpool2d; a
-- transposed convolution as the engine's convolution of the zero-stuffed input with
-- the flipped kernel), so that what it shows is what the layers do, and shows input,
-- kernel and output as grids with their numbers (plot.matrix), the output-size
-- formula filled in, and the kernel sliding one position a step with the dot product
-- of the position written out. Keys in its window: → or space a step, ← back, a all,
-- r the start. Named kernels (sobel_x, ...) and images (the course's grids) are in
-- M.kernels and M.images. Loaded by init.lua as the global conv.
local options = require "options"
local plot = require "plot"
local assign = require("nn.train").assign

local M = {}

local KEY_RIGHT, KEY_LEFT = "key1073741903", "key1073741904" -- SDL arrow keycodes
local KEY_HOME = "key1073741898"

--- The built-in kernels by name: the course's vertical-edge kernel (TV-01), Sobel x and
--- y (TV-10), the Laplacian, a box blur, sharpen and the identity.
M.kernels = {
  vertical_edge = {{1, 0, -1}, {1, 0, -1}, {1, 0, -1}},
  horizontal_edge = {{1, 1, 1}, {0, 0, 0}, {-1, -1, -1}},
  sobel_x = {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}},
  sobel_y = {{1, 2, 1}, {0, 0, 0}, {-1, -2, -1}},
  laplacian = {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}},
  box_blur = {{1 / 9, 1 / 9, 1 / 9}, {1 / 9, 1 / 9, 1 / 9}, {1 / 9, 1 / 9, 1 / 9}},
  sharpen = {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}},
  identity = {{0, 0, 0}, {0, 1, 0}, {0, 0, 0}},
}
M.kernels.box = M.kernels.box_blur

local function rows_of(h, w, f)
  local t = {}
  for r = 1, h do
    t[r] = {}
    for c = 1, w do t[r][c] = f(r, c) end
  end
  return t
end

--- The built-in images by name: the course's grids. step: TV-01's 6x6 (10s left, 0s
--- right); tv02: TV-02's 3x3; tv03, tv04: the pooling grids; edge6: the course notes'
--- 6x6 of three black rows (0) over three white (255).
M.images = {
  step = rows_of(6, 6, function(_, c) return c <= 3 and 10 or 0 end),
  tv02 = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}},
  tv03 = {{1, 2, 2, 3}, {4, 6, 6, 8}, {3, 1, 1, 0}, {1, 2, 2, 4}},
  tv04 = {{4, 3, 1, 5}, {1, 3, 4, 8}, {4, 5, 4, 3}, {6, 5, 9, 4}},
  edge6 = rows_of(6, 6, function(r) return r <= 3 and 0 or 255 end),
}

local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end
local function is_tensor(v) return mt_name(v) == "nnlab.tensor" end
local function depth(t)
  local d = 0
  while type(t) == "table" do d, t = d + 1, t[1] end
  return d
end

-- Checks that g is a rectangle of numbers; returns its height and width.
local function check_grid(g, what)
  if type(g) ~= "table" or type(g[1]) ~= "table" or #g[1] == 0 then
    error(("conv: %s must be rows of numbers like {{1, 2}, {3, 4}}"):format(what), 4)
  end
  local w = #g[1]
  for r, row in ipairs(g) do
    if type(row) ~= "table" or #row ~= w then
      error(("conv: %s row %d has %s numbers, row 1 has %d"):format(what, r,
        type(row) == "table" and #row or type(row), w), 4)
    end
    for c, v in ipairs(row) do
      if type(v) ~= "number" then
        error(("conv: %s at row %d, column %d is %s, not a number"):format(what, r, c, tostring(v)), 4)
      end
    end
  end
  return #g, w
end

-- A tensor's numbers as nested tables, sizes of the last two dimensions as rows.
local function tensor_grids(t, lead)
  local s = t.shape
  local h, w = s[#s - 1], s[#s]
  local flat = t:reshape{-1}:totable()
  local out, k = {}, 0
  for i = 1, lead do
    out[i] = {}
    for r = 1, h do
      out[i][r] = {}
      for c = 1, w do k = k + 1; out[i][r][c] = flat[k] end
    end
  end
  return out
end

-- The input as a list of channels, each rows of numbers.
local function input_channels(image, index)
  if type(image) == "string" then
    local g = M.images[image]
    if not g then
      local names = {}
      for k in pairs(M.images) do names[#names + 1] = k end
      table.sort(names)
      error(("conv: no built-in image %q (there are %s)"):format(image, table.concat(names, ", ")), 3)
    end
    return {g}
  end
  if mt_name(image) == "nnlab.dataset" then
    local n = image:info().n
    index = index or 1
    if math.type(index) ~= "integer" or index < 1 or index > n then
      error(("conv: index must be a whole number from 1 to %d (the set's size), got %s"):format(n, tostring(index)), 3)
    end
    image = image:x():rows(index, 1)
    local s = image.shape
    if #s == 2 then -- flat pixels: a square image
      local side = math.floor(math.sqrt(s[2]) + 0.5)
      if side * side ~= s[2] then error(("conv: %d pixels are not a square image"):format(s[2]), 3) end
      image = image:reshape{1, 1, side, side}
    end
  end
  if is_tensor(image) then
    local s = image.shape
    if #s == 2 then return tensor_grids(image, 1) end
    if #s == 3 then return tensor_grids(image, s[1]) end
    if #s == 4 and s[1] == 1 then return tensor_grids(image, s[2]) end
    error(("conv: an image tensor is [H, W], [C, H, W] or [1, C, H, W], got [%s]"):format(table.concat(s, ", ")), 3)
  end
  local d = depth(image)
  if d == 2 then check_grid(image, "image"); return {image} end
  if d == 3 then
    local h, w = check_grid(image[1], "image channel 1")
    for i, ch in ipairs(image) do
      local hi, wi = check_grid(ch, "image channel " .. i)
      if hi ~= h or wi ~= w then
        error(("conv: image channel %d is %dx%d, channel 1 is %dx%d"):format(i, hi, wi, h, w), 3)
      end
    end
    return image
  end
  error("conv: image must be rows of numbers, a list of channels, a tensor, a built-in name (\"step\", ...) or a data set with index =, got "
    .. (mt_name(image) or type(image)), 3)
end

-- The kernels as out[o][c] = rows, for C input channels (a 2-D kernel serves every
-- input channel, as in an RGB edge detector: the channels' sums add up).
local function kernel_set(kernel, C)
  if type(kernel) == "string" then
    local g = M.kernels[kernel]
    if not g then
      local names = {}
      for k in pairs(M.kernels) do names[#names + 1] = k end
      table.sort(names)
      local near = options.nearest(kernel, names)
      error(("conv: no built-in kernel %q%s (there are %s)"):format(kernel,
        near and ("; did you mean %q?"):format(near) or "", table.concat(names, ", ")), 3)
    end
    kernel = g
  end
  local k4
  if is_tensor(kernel) then
    local s = kernel.shape
    if #s == 2 then k4 = {tensor_grids(kernel, 1)[1]}
    elseif #s == 3 then k4 = {tensor_grids(kernel, s[1])}
    elseif #s == 4 then
      local all, n = tensor_grids(kernel, s[1] * s[2]), 0
      k4 = {}
      for o = 1, s[1] do
        k4[o] = {}
        for c = 1, s[2] do n = n + 1; k4[o][c] = all[n] end
      end
    else
      error(("conv: a kernel tensor is [kh, kw], [C, kh, kw] or [out, C, kh, kw], got [%s]"):format(table.concat(s, ", ")), 3)
    end
  else
    local d = depth(kernel)
    if d == 2 then k4 = {{kernel}}
    elseif d == 3 then k4 = {kernel}
    elseif d == 4 then k4 = kernel
    else
      error("conv: kernel must be rows of numbers, a list of them per input channel (or per output channel), a tensor or a built-in name (\"sobel_x\", ...), got "
        .. (mt_name(kernel) or type(kernel)), 3)
    end
  end
  local kh, kw = check_grid(k4[1][1], "kernel")
  for o, per in ipairs(k4) do
    if #per == 1 and C > 1 then
      local same = {}
      for c = 1, C do same[c] = per[1] end
      k4[o], per = same, same
    end
    if #per ~= C then
      error(("conv: kernel %d has %d channels, the image has %d"):format(o, #per, C), 3)
    end
    for c = 1, C do
      local h, w = check_grid(per[c], "kernel")
      if h ~= kh or w ~= kw then
        error(("conv: kernels must all be %dx%d; kernel %d, channel %d is %dx%d"):format(kh, kw, o, c, h, w), 3)
      end
    end
  end
  return k4, kh, kw
end

local function whole(v, what, min)
  if math.type(v) ~= "integer" or v < min then
    error(("conv: %s must be a whole number >= %d, got %s"):format(what, min, tostring(v)), 4)
  end
  return v
end

-- Padding as top, bottom, left, right: a number, {ph, pw}, {t, b, l, r}, "valid" or
-- "same" (the output as large as the input divided by the stride, the odd pixel of
-- padding at the bottom and right, as Keras puts it).
local function paddings(p, H, W, fh, fw, s, op)
  if p == nil or p == "valid" then return 0, 0, 0, 0 end
  if p == "same" then
    if op == "transposed" then error("conv: padding = \"same\" is for convolution and pooling; give a number", 4) end
    local function split(n, f)
      local out = (n + s - 1) // s
      local total = math.max(0, (out - 1) * s + f - n)
      return total // 2, total - total // 2
    end
    local t, b = split(H, fh)
    local l, r = split(W, fw)
    return t, b, l, r
  end
  if math.type(p) == "integer" then
    whole(p, "padding", 0)
    return p, p, p, p
  end
  if type(p) == "table" and (#p == 2 or #p == 4) then
    for i = 1, #p do whole(p[i], "padding " .. i, 0) end
    if #p == 2 then return p[1], p[1], p[2], p[2] end
    return p[1], p[2], p[3], p[4]
  end
  error(("conv: padding must be a number, {ph, pw}, {top, bottom, left, right}, \"valid\" or \"same\", got %s"):format(tostring(p)), 4)
end

local function fmt(v)
  if v ~= v then return "nan" end
  if v == math.floor(v) and math.abs(v) < 1e15 then return ("%d"):format(v) end
  return ("%.4g"):format(v)
end
-- a factor in a product: negative numbers in parentheses, "2·(−1)"
local function factor(v)
  local s = fmt(v)
  return v < 0 and "(" .. s .. ")" or s
end

-- The size formula of one axis, filled in: "⌊(6 − 3 + 2·0)/1⌋ + 1 = 4".
local function size_line(axis, n, f, p0, p1, s, out, op)
  if op == "transposed" then
    return ("%s: (%s − 1)·S − (P + P) + F = (%d − 1)·%d − %d + %d = %d"):format(axis, axis, n, s, p0 + p1, f, out)
  end
  local ppart = p0 == p1 and ("2·%d"):format(p0) or ("%d + %d"):format(p0, p1)
  return ("%s: ⌊(%s − F + 2P)/S⌋ + 1 = ⌊(%d − %d + %s)/%d⌋ + 1 = %d"):format(axis,
    axis == "height" and "H" or "W", n, f, ppart, s, out)
end

local Conv = {}
Conv.__index = Conv
Conv.__name = "nnlab.conv"

-- The engine's layer for the playground's op, with its numbers.
local function compute(pg)
  local C, H, W = pg.channels, pg.in_h, pg.in_w
  local x = {}
  for c = 1, C do
    for r = 1, H do for col = 1, W do x[#x + 1] = pg.image[c][r][col] end end
  end
  local xt = nn.tensor(x):reshape{1, C, H, W}
  local layer
  local pad = {pg.pad[1], pg.pad[2], pg.pad[3], pg.pad[4]}
  local opts = {stride = {pg.stride, pg.stride}, dilation = {pg.dilation, pg.dilation}, padding = pad}
  if pg.op == "maxpool" then layer = nn.maxpool2d({pg.kh, pg.kw}, opts)
  elseif pg.op == "avgpool" then layer = nn.avgpool2d({pg.kh, pg.kw}, opts)
  else
    opts.bias = false
    layer = nn.conv2d(C, pg.outputs, {pg.kh, pg.kw}, opts)
    local w = {}
    for o = 1, pg.outputs do
      for c = 1, C do
        for r = 1, pg.kh do for col = 1, pg.kw do w[#w + 1] = pg.weights[o][c][r][col] end end
      end
    end
    assign(layer:param(1), nn.tensor(w))
  end
  local y = layer:forward(xt)
  pg.layer = layer
  return tensor_grids(y, y.shape[2])
end

-- The grid the kernel slides over: the input with its padding (and, for a transposed
-- convolution, the zeros stuffed between its pixels), each cell {value, is_padding}.
local function slide_grid(pg, ch)
  local g, pads = {}, {}
  local pt, pl = pg.pad[1], pg.pad[3]
  for r = 1, pg.in_h + pg.pad[1] + pg.pad[2] do
    g[r], pads[r] = {}, {}
    for c = 1, pg.in_w + pg.pad[3] + pg.pad[4] do
      local ir, ic = r - pt, c - pl
      local real = ir >= 1 and ir <= pg.in_h and ic >= 1 and ic <= pg.in_w
      g[r][c] = real and pg.image[ch][ir][ic] or 0
      pads[r][c] = not real or (pg.stuffed and pg.stuffed[ir][ic])
    end
  end
  return g, pads
end

-- Output channel, row and column of step k (1-based, row by row, channel by channel).
local function position(pg, k)
  local per = pg.out_h * pg.out_w
  local o = (k - 1) // per + 1
  local i = (k - 1) % per
  return o, i // pg.out_w + 1, i % pg.out_w + 1
end

--- pg:dot([k]) -> the sum at step k (the current one) written out: "10·1 + 10·0 + ...
--- = 30" (a max or a mean for pooling).
function Conv:dot(k)
  local o, r, c = position(self, k or self.k)
  local terms = {}
  -- pooling keeps the channels apart: output channel o reads input channel o only
  local first, last = 1, self.channels
  if self.op:match("pool") then first, last = o, o end
  for ch = first, last do
    local g, pads = self.grid[ch], self.pads[ch]
    for i = 1, self.kh do
      for j = 1, self.kw do
        local gr, gc = (r - 1) * self.stride + (i - 1) * self.dilation + 1,
          (c - 1) * self.stride + (j - 1) * self.dilation + 1
        local v = g[gr][gc]
        if self.op == "maxpool" then
          if not pads[gr][gc] then terms[#terms + 1] = fmt(v) end
        elseif self.op == "avgpool" then
          terms[#terms + 1] = fmt(v)
        else
          terms[#terms + 1] = factor(v) .. "·" .. factor(self.kernel[o][ch][i][j])
        end
      end
    end
  end
  local out = fmt(self.output[o][r][c])
  if self.op == "maxpool" then return ("max(%s) = %s"):format(table.concat(terms, ", "), out) end
  if self.op == "avgpool" then
    return ("(%s)/%d = %s"):format(table.concat(terms, " + "), #terms, out)
  end
  return ("%s = %s"):format(table.concat(terms, " + "), out)
end

-- The dot product in lines of at most per terms, for the text panel.
local function wrapped(s, per)
  local parts, lines = {}, {}
  for term in s:gmatch("[^+]+") do parts[#parts + 1] = term:gsub("^%s+", ""):gsub("%s+$", "") end
  local line = {}
  for i, t in ipairs(parts) do
    line[#line + 1] = t
    if #line == per and i < #parts then
      lines[#lines + 1] = table.concat(line, " + ") .. " +"
      line = {}
    end
  end
  lines[#lines + 1] = table.concat(line, " + ")
  return table.concat(lines, "\n  ")
end

local NAMES = {conv = "convolution", maxpool = "max pooling", avgpool = "average pooling",
  transposed = "transposed convolution"}

-- The readout: the sizes, the formula filled in, the current position and its sum.
local function readout(pg)
  local o, r, c = position(pg, pg.k)
  local lines = {
    ("%s of %d channel%s of %dx%d"):format(NAMES[pg.op], pg.channels, pg.channels > 1 and "s" or "",
      pg.src_h, pg.src_w),
    ("%s F %dx%d, stride S %d, padding P %s, dilation %d"):format(pg.op:match("pool") and "window" or "kernel",
      pg.kh, pg.kw, pg.stride_shown, pg.pad_text, pg.dilation),
  }
  if pg.dilation > 1 then
    lines[#lines + 1] = ("dilated, F = k + (k − 1)(D − 1) = %d + %d·%d = %d"):format(pg.kw, pg.kw - 1,
      pg.dilation - 1, pg.kw + (pg.kw - 1) * (pg.dilation - 1))
  end
  lines[#lines + 1] = pg.formula[1]
  lines[#lines + 1] = pg.formula[2]
  if pg.op == "transposed" then
    lines[#lines + 1] = "as a convolution: S − 1 zeros between the pixels,"
    lines[#lines + 1] = "F − 1 − P zeros around, the kernel turned 180°"
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = ("step %d of %d: output%s row %d, column %d"):format(pg.k, pg.total,
    pg.outputs > 1 and (" channel %d,"):format(o) or "", r, c)
  lines[#lines + 1] = "  " .. wrapped(pg:dot(), pg.channels > 1 and 6 or math.min(6, math.max(3, pg.kw)))
  return table.concat(lines, "\n")
end

-- The marks of the panels at the current step.
local function marks(pg)
  local o, r, c = position(pg, pg.k)
  local win = {}
  for i = 1, pg.kh do
    for j = 1, pg.kw do
      win[#win + 1] = {(r - 1) * pg.stride + (i - 1) * pg.dilation + 1, (c - 1) * pg.stride + (j - 1) * pg.dilation + 1}
    end
  end
  local ins = {}
  for ch = 1, pg.channels do
    local m = {}
    for rr, row in ipairs(pg.pads[ch]) do
      for cc, p in ipairs(row) do if p then m[#m + 1] = {rr, cc, "pad"} end end
    end
    for _, w in ipairs(win) do m[#m + 1] = {w[1], w[2], "window"} end
    if pg.op == "maxpool" then -- the largest value the window chose
      local best, at = -math.huge, nil
      for _, w in ipairs(win) do
        local v = pg.grid[ch][w[1]][w[2]]
        if not pg.pads[ch][w[1]][w[2]] and v > best then best, at = v, w end
      end
      if at then m[#m + 1] = {at[1], at[2], "pick"} end
    end
    ins[ch] = m
  end
  local out = {{r, c, "window"}}
  if not pg.all then
    for k = pg.k + 1, pg.total do
      local ko, kr, kc = position(pg, k)
      if ko == o then out[#out + 1] = {kr, kc, "blank"} end
    end
  end
  return ins, out, o
end

local function redraw(pg)
  local ins, out, o = marks(pg)
  for ch = 1, pg.channels do pg.panels.input[ch]:update{marks = ins[ch]} end
  if pg.panels.kernel[1] then
    for ch = 1, pg.channels do pg.panels.kernel[ch]:update{values = pg.kernel[o][ch]} end
  end
  pg.panels.output:update{values = pg.output[o], marks = out,
    title = pg.outputs > 1 and ("output channel %d of %d (%dx%d)"):format(o, pg.outputs, pg.out_h, pg.out_w)
      or ("output (%dx%d)"):format(pg.out_h, pg.out_w)}
  pg.panels.text:update{text = readout(pg)}
end

local function make_panels(pg, opts)
  local P = {input = {}, kernel = {}}
  local list = {}
  for ch = 1, pg.channels do
    local title = pg.op == "transposed" and "input, zeros between its pixels, padded"
      or (pg.pad[1] + pg.pad[2] + pg.pad[3] + pg.pad[4] > 0 and "input, padded" or "input")
    if pg.channels > 1 then title = ("%s (channel %d)"):format(title, ch) end
    P.input[ch] = plot.matrix{values = pg.grid[ch], title = title, show = false}
    list[#list + 1] = P.input[ch]
  end
  if not pg.op:match("pool") then
    for ch = 1, pg.channels do
      local title = pg.flip and "kernel, turned 180° (convolution)" or
        (pg.op == "transposed" and "kernel turned 180°" or "kernel")
      if pg.channels > 1 then title = ("%s (channel %d)"):format(title, ch) end
      P.kernel[ch] = plot.matrix{values = pg.kernel[1][ch], title = title, show = false}
      list[#list + 1] = P.kernel[ch]
    end
  end
  P.output = plot.matrix{values = pg.output[1], show = false}
  P.text = plot.text{title = "the output size, and the sum at this step", show = false}
  list[#list + 1] = P.output
  list[#list + 1] = P.text
  pg.panels = P
  local cols = math.max(2, math.min(4, pg.channels + (pg.op:match("pool") and 1 or 0)))
  if #list == 3 then cols = 3 end
  list.cols, list.show = cols, opts.show
  list.title = opts.title or ("the convolution playground: " .. NAMES[pg.op])
  pg.window = plot.window(list)
  pg.window:keys{{"→ / space", "slide the kernel one step"}, {"←", "one step back"},
    {"a", "fill in the whole output"}, {"r", "back to the first position"}}
  pg.window:on_key(function(key)
    if key == KEY_RIGHT or key == "space" or key == "n" then pg:step()
    elseif key == KEY_LEFT or key == "b" then pg:back()
    elseif key == "a" then pg:finish()
    elseif key == "r" or key == KEY_HOME then pg:reset() end
  end)
end

local KNOWN = {image = true, kernel = true, stride = true, padding = true, dilation = true, op = true,
  size = true, index = true, flip = true, show = true, title = true}

--- conv{image =, kernel =, stride = 1, padding = 0, dilation = 1, op = "conv", size =,
--- index =, flip = false, show = true, title =} -> the playground
local function new(o)
  if type(o) ~= "table" then
    error("conv: expected a table of options, as conv{image = \"step\", kernel = \"vertical_edge\"}, got " .. type(o), 2)
  end
  for k in pairs(o) do
    if not KNOWN[k] then
      options.refuse("conv", k, KNOWN, 2)
    end
  end
  local op = o.op or "conv"
  if not NAMES[op] then
    error(("conv: op must be \"conv\", \"maxpool\", \"avgpool\" or \"transposed\", got %s"):format(tostring(op)), 2)
  end
  if o.image == nil then error("conv: give the image, as conv{image = \"step\", kernel = \"vertical_edge\"}", 2) end
  local pg = setmetatable({op = op, flip = o.flip == true}, Conv)
  local src = input_channels(o.image, o.index)
  pg.channels, pg.src_h, pg.src_w = #src, #src[1], #src[1][1]
  local pool = op:match("pool")
  if pool then
    if o.kernel ~= nil then error("conv: pooling has no kernel; give the window's size, as size = 2", 2) end
    local size = o.size or 2
    if math.type(size) == "integer" then size = {size, size} end
    if type(size) ~= "table" or math.type(size[1]) ~= "integer" or math.type(size[2]) ~= "integer"
        or size[1] < 1 or size[2] < 1 then
      error(("conv: size must be a whole number >= 1 or {height, width}, got %s"):format(tostring(o.size)), 2)
    end
    pg.kh, pg.kw, pg.outputs = size[1], size[2], pg.channels
  else
    if o.size ~= nil then error("conv: size is the pooling window's; a convolution takes kernel =", 2) end
    if o.kernel == nil then error("conv: give the kernel, as kernel = \"sobel_x\" or rows of numbers", 2) end
    pg.kernel, pg.kh, pg.kw = kernel_set(o.kernel, pg.channels)
    pg.outputs = #pg.kernel
  end
  pg.stride = whole(o.stride or (pool and pg.kh or 1), "stride", 1)
  pg.dilation = whole(o.dilation or 1, "dilation", 1)
  local fh, fw = pg.kh + (pg.kh - 1) * (pg.dilation - 1), pg.kw + (pg.kw - 1) * (pg.dilation - 1)
  local pt, pb, pl, pr = paddings(o.padding, pg.src_h, pg.src_w, fh, fw, pg.stride, op)
  pg.pad_text = (pt == pb and pl == pr and pt == pl) and tostring(pt)
    or ("%d, %d, %d, %d (top, bottom, left, right)"):format(pt, pb, pl, pr)
  if pool and (pt >= fh or pb >= fh or pl >= fw or pr >= fw) then
    error(("conv: padding %s is as large as the %dx%d window: a window could hold only padding"):format(pg.pad_text, fh, fw), 2)
  end
  pg.stride_shown = pg.stride
  local flipped = function(k)
    return rows_of(#k, #k[1], function(r, c) return k[#k - r + 1][#k[1] - c + 1] end)
  end
  if op == "transposed" then
    -- the transposed convolution as a convolution: S − 1 zeros between the pixels,
    -- d(F − 1) − P of zeros around, the kernel turned 180°, stride 1
    local s = pg.stride
    local sh, sw = (pg.src_h - 1) * s + 1, (pg.src_w - 1) * s + 1
    local image, stuffed = {}, rows_of(sh, sw, function(r, c) return (r - 1) % s ~= 0 or (c - 1) % s ~= 0 end)
    for ch = 1, pg.channels do
      image[ch] = rows_of(sh, sw, function(r, c)
        return stuffed[r][c] and 0 or src[ch][(r - 1) // s + 1][(c - 1) // s + 1]
      end)
    end
    local eh, ew = fh - 1 - pt, fw - 1 - pl
    local eb, er = fh - 1 - pb, fw - 1 - pr
    if eh < 0 or ew < 0 or eb < 0 or er < 0 then
      error(("conv: a transposed convolution's padding must be at most F − 1 = %d, got %s"):format(fh - 1, pg.pad_text), 2)
    end
    pg.formula = {
      size_line("height", pg.src_h, fh, pt, pb, s, (pg.src_h - 1) * s - pt - pb + fh, op),
      size_line("width", pg.src_w, fw, pl, pr, s, (pg.src_w - 1) * s - pl - pr + fw, op),
    }
    pg.image, pg.stuffed, pg.in_h, pg.in_w = image, stuffed, sh, sw
    pg.pad, pg.stride = {eh, eb, ew, er}, 1
    pg.weights = {}
    for oc, per in ipairs(pg.kernel) do
      pg.weights[oc] = {}
      for ch = 1, pg.channels do pg.weights[oc][ch] = flipped(per[ch]) end
    end
    pg.kernel = pg.weights
  else
    pg.image, pg.in_h, pg.in_w, pg.pad = src, pg.src_h, pg.src_w, {pt, pb, pl, pr}
    if not pool then
      if pg.flip then
        for oc, per in ipairs(pg.kernel) do
          for ch = 1, pg.channels do per[ch] = flipped(per[ch]) end
          pg.kernel[oc] = per
        end
      end
      pg.weights = pg.kernel
    end
  end
  local H, W = pg.in_h + pg.pad[1] + pg.pad[2], pg.in_w + pg.pad[3] + pg.pad[4]
  if fh > H or fw > W then
    error(("conv: the %dx%d %s does not fit the %dx%d input%s"):format(fh, fw,
      pool and "window" or "kernel", H, W, (H ~= pg.in_h or W ~= pg.in_w) and " with its padding" or ""), 2)
  end
  pg.output = compute(pg)
  pg.out_h, pg.out_w = #pg.output[1], #pg.output[1][1]
  if op ~= "transposed" then
    pg.formula = {
      size_line("height", pg.src_h, fh, pt, pb, pg.stride, pg.out_h, op),
      size_line("width", pg.src_w, fw, pl, pr, pg.stride, pg.out_w, op),
    }
  end
  pg.grid, pg.pads = {}, {}
  for ch = 1, pg.channels do pg.grid[ch], pg.pads[ch] = slide_grid(pg, ch) end
  pg.total, pg.k, pg.all = pg.outputs * pg.out_h * pg.out_w, 1, false
  if pool then -- pooling works per channel: output channel c comes from input channel c
    pg.kernel = nil
  end
  make_panels(pg, o)
  redraw(pg)
  return pg
end

--- pg:step([n]) -> pg: slides the kernel n (1) positions on.
function Conv:step(n)
  n = n or 1
  if math.type(n) ~= "integer" then error("pg:step: n must be a whole number of positions, got " .. tostring(n), 2) end
  self.k = math.max(1, math.min(self.total, self.k + n))
  redraw(self)
  return self
end

--- pg:back([n]) -> pg: slides the kernel n (1) positions back.
function Conv:back(n)
  if n ~= nil and math.type(n) ~= "integer" then error("pg:back: n must be a whole number, got " .. tostring(n), 2) end
  return self:step(-(n or 1))
end

--- pg:go(row, col [, channel]) -> pg: the kernel at output row, col (of channel).
function Conv:go(r, c, o)
  o = o or 1
  if math.type(r) ~= "integer" or math.type(c) ~= "integer" or math.type(o) ~= "integer"
      or r < 1 or r > self.out_h or c < 1 or c > self.out_w or o < 1 or o > self.outputs then
    error(("pg:go: the output is %d channel(s) of %dx%d, got row %s, column %s, channel %s"):format(
      self.outputs, self.out_h, self.out_w, tostring(r), tostring(c), tostring(o)), 2)
  end
  self.k = (o - 1) * self.out_h * self.out_w + (r - 1) * self.out_w + c
  redraw(self)
  return self
end

--- pg:finish() -> pg: fills in the whole output (the kernel stays where it is).
function Conv:finish()
  self.all = true
  redraw(self)
  return self
end

--- pg:reset() -> pg: the kernel back at the first position, the output blank again.
function Conv:reset()
  self.k, self.all = 1, false
  redraw(self)
  return self
end

--- pg:result([channel]) -> the output's rows of numbers (of output channel 1).
function Conv:result(o) return self.output[o or 1] end

--- pg:save(path) -> pg: the playground's window as a PNG.
function Conv:save(path)
  if type(path) ~= "string" then error("pg:save: expected a file name, got " .. type(path), 2) end
  self.window:save(path)
  return self
end

--- pg:text() -> the readout: the sizes, the formula filled in, the sum at this step.
function Conv:text() return readout(self) end

function Conv:__tostring()
  local o, r, c = position(self, self.k)
  local dot = self:dot()
  if #dot > 90 then dot = "… = " .. fmt(self.output[o][r][c]) end
  return ("conv (%s): %dx%d → %dx%d%s, step %d of %d: %s"):format(NAMES[self.op], self.src_h, self.src_w,
    self.out_h, self.out_w, self.outputs > 1 and (" x %d"):format(self.outputs) or "", self.k, self.total, dot)
end

M.Conv = Conv
M.new = new
return M
