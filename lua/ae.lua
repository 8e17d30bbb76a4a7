-- ae.lua: autoencoders (lesson 21). An autoencoder is an encoder and a decoder
-- (built-in sequentials) trained here, in Lua, through autograd: the losses of the
-- kinds of the course are tensor expressions, so each has its gradient for free and
-- the tests check them by finite differences. Kinds: under-complete, denoising
-- (Gaussian, masking, salt-and-pepper noise drawn per batch), sparse (L1 on the code
-- or KL to a target activation rho), contractive (the squared Frobenius norm of the
-- encoder's Jacobian, in closed form for a sigmoid encoder layer), convolutional
-- (ae.conv: strided convolutions down, transposed convolutions back up), linear
-- (against PCA), and a reconstruction loss with missing entries masked out.
-- Not here: the views (lua/views_gen.lua).
local check = require "argcheck"
local options = require "options"
local util = require "util"
local ae = {}

local is_tensor, is_dataset = check.is_tensor, check.is_dataset

local AE = {}
AE.__index = AE
AE.__name = "autoencoder"

---------------------------------------------------------------------- construction

-- Linear layers through sizes[1] -> ... -> sizes[#sizes], the activation named hidden
-- after each hidden one and last after the last (names checked by ae.new).
local function dense(sizes, hidden, last)
  local layers = {}
  for i = 1, #sizes - 1 do
    layers[#layers + 1] = nn.linear(sizes[i], sizes[i + 1])
    local a = i < #sizes - 1 and hidden or last
    if a ~= "linear" then layers[#layers + 1] = nn.activation(a) end
  end
  return nn.sequential(layers)
end

--- ae.new{sizes = {784, 300, 2}, act = "relu", code = "linear", out = "sigmoid"} -> model
--- The encoder goes through sizes, the decoder back (mirrored). act: hidden layers'
--- activation; code: the code layer's; out: the output's. encoder=/decoder= give
--- modules of your own instead (a conv encoder, say).
function ae.new(o)
  if type(o) ~= "table" or getmetatable(o) ~= nil then error("ae.new: expected {sizes = {784, 32}, ...}", 2) end
  local enc, dec = o.encoder, o.decoder
  if enc ~= nil then check.model("ae.new", "encoder", enc) end
  if dec ~= nil then check.model("ae.new", "decoder", dec) end
  for _, name in ipairs{"act", "code", "out"} do
    if o[name] ~= nil then check.activation("ae.new", name, o[name]) end
  end
  if not enc then
    local s = o.sizes
    if type(s) ~= "table" or #s < 2 then
      error("ae.new: sizes must list at least the input and the code size, like {784, 32}, got "
        .. check.describe(s), 2)
    end
    for i = 1, #s do check.whole("ae.new", ("sizes[%d]"):format(i), s[i], 1) end
    local rev = {}
    for i = #s, 1, -1 do rev[#rev + 1] = s[i] end
    enc = dense(s, o.act or "relu", o.code or "linear")
    dec = dec or dense(rev, o.act or "relu", o.out or "sigmoid")
  end
  if not dec then error("ae.new: an encoder of your own needs a decoder too", 2) end
  return setmetatable({encoder = enc, decoder = dec, code_act = o.code or "linear",
    history = {loss = {}, penalty = {}}}, AE)
end

--- ae.conv{side = 28, channels = {16, 32}, code = 32} -> a convolutional autoencoder
--- for flat images [n, side*side] in [0, 1]: the encoder reshapes to [n, 1, side,
--- side], then 3 x 3 convolutions of stride 2 (28 -> 14 -> 7) with ReLU and a linear
--- layer to the code; the decoder mirrors it: linear, reshape, 3 x 3 transposed
--- convolutions of stride 2 (7 -> 14 -> 28), a sigmoid, flattened back to [n, side*side].
function ae.conv(o)
  o = check.options("ae.conv", o)
  local side, chans = check.whole("ae.conv", "side", o.side, 2, 4096, 28), o.channels or {16, 32}
  local code = check.whole("ae.conv", "code", o.code, 1, nil, 32)
  if type(chans) ~= "table" or #chans < 1 then
    error("ae.conv: channels must list at least one channel count, like {16, 32}, got " .. check.describe(chans), 2)
  end
  local s = side
  for i = 1, #chans do
    check.whole("ae.conv", ("channels[%d]"):format(i), chans[i], 1)
    if s < 2 or s % 2 ~= 0 then
      error(("ae.conv: side %s cannot be halved %d times (each stride-2 layer halves it)"):format(tostring(side), #chans), 2)
    end
    s = s // 2
  end
  local last = chans[#chans]
  local enc = {nn.reshape{1, side, side}}
  local cin = 1
  for _, c in ipairs(chans) do
    enc[#enc + 1] = nn.conv2d(cin, c, 3, {stride = 2, padding = 1})
    enc[#enc + 1] = nn.relu()
    cin = c
  end
  enc[#enc + 1] = nn.flatten()
  enc[#enc + 1] = nn.linear(last * s * s, code)
  local dec = {nn.linear(code, last * s * s), nn.relu(), nn.reshape{last, s, s}}
  for i = #chans, 1, -1 do
    local cout = i > 1 and chans[i - 1] or 1
    -- stride 2, padding 1, output padding 1: exactly doubles the side (k = 3)
    dec[#dec + 1] = nn.conv_transpose2d(chans[i], cout, 3, {stride = 2, padding = 1, output_padding = 1})
    dec[#dec + 1] = i > 1 and nn.relu() or nn.sigmoid()
  end
  dec[#dec + 1] = nn.flatten()
  return ae.new{encoder = nn.sequential(enc), decoder = nn.sequential(dec)}
end

-- net:forward(x), its error (a shape that does not fit, say) said as fname's.
local function forward(fname, what, net, x)
  check.tensor(fname, what, x)
  local ok, y = pcall(net.forward, net, x)
  if not ok then error(("%s: %s: %s"):format(fname, what, util.strip_position(y)), 3) end
  return y
end

function AE:encode(x) return forward("m:encode", "x", self.encoder, x) end
function AE:decode(z) return forward("m:decode", "z", self.decoder, z) end
function AE:forward(x) return self:decode(forward("m:forward", "x", self.encoder, x)) end
AE.__call = AE.forward

function AE:parameters()
  local ps = {}
  for _, m in ipairs{self.encoder, self.decoder} do
    for _, p in ipairs(m:parameters()) do ps[#ps + 1] = p end
  end
  return ps
end

function AE:train(on)
  if on ~= nil and type(on) ~= "boolean" then check.fail("m:train", "on", "true, false or nil", on, 3) end
  self.encoder:train(on); self.decoder:train(on)
  return self
end

-- f() without a graph (evaluation).
local function quiet(f) return nn.no_grad(f) end

--- m:reconstruct(x) -> y, without a graph
function AE:reconstruct(x)
  check.tensor("m:reconstruct", "x", x)
  return quiet(function() return self:forward(x) end)
end
--- m:codes(x) -> z, without a graph
function AE:codes(x)
  check.tensor("m:codes", "x", x)
  return quiet(function() return self:encode(x) end)
end

---------------------------------------------------------------------- noise

-- 1 where u > threshold, else 0 (step(0) counts as 1: a set of measure zero).
local function above(u, threshold) return nn.step(u - threshold) end

--- ae.noise(x, kind, amount) -> a corrupted copy of x, drawn afresh on each call:
--- "gaussian" adds N(0, amount^2); "masking" sets each value to 0 with probability
--- amount; "salt_pepper" sets each to 0 or 1 (half each) with probability amount.
function ae.noise(x, kind, amount)
  check.tensor("ae.noise", "x", x)
  if kind ~= "gaussian" and kind ~= "masking" and kind ~= "salt_pepper" then
    check.fail("ae.noise", "kind", "\"gaussian\", \"masking\" or \"salt_pepper\"", kind, 3)
  end
  if kind == "gaussian" then check.number("ae.noise", "amount (a standard deviation)", amount, 0)
  else check.number("ae.noise", "amount (a probability)", amount, 0, 1) end
  local shape = x.shape
  if kind == "gaussian" then
    return x + nn.randn(shape) * amount
  elseif kind == "masking" then
    return x * above(nn.rand(shape), amount)
  elseif kind == "salt_pepper" then
    local u = nn.rand(shape)
    local salt, pepper = above(u, 1 - amount / 2), above(-u, -amount / 2) -- u >= 1-p/2, u <= p/2
    return x * (1 - salt - pepper) + salt
  end
end

---------------------------------------------------------------------- losses

-- Two tensors of one shape, or an error naming both.
local function same_shape(fname, an, a, bn, b)
  local sa, sb = table.concat(a.shape, ", "), table.concat(b.shape, ", ")
  if sa ~= sb then error(("%s: %s {%s} and %s {%s} must have the same shape"):format(fname, an, sa, bn, sb), 3) end
end

-- h, a batch of codes [batch, code] with at least one row.
local function code_tensor(fname, h)
  check.tensor(fname, "h (codes [batch, code])", h, 2)
  if h.shape[1] < 1 then error(fname .. ": h has no rows", 3) end
end

--- ae.mse(y, x [, mask]) -> mean squared error; with a mask (1 observed, 0 missing)
--- only the observed entries count, averaged over them.
function ae.mse(y, x, mask)
  same_shape("ae.mse", "y", check.tensor("ae.mse", "y", y), "x", check.tensor("ae.mse", "x", x))
  if mask ~= nil then same_shape("ae.mse", "x", x, "mask", check.tensor("ae.mse", "mask", mask)) end
  local d = y - x
  if mask then return (d * d * mask):sum() / math.max(1, mask:sum():item()) end
  return (d * d):mean()
end

--- ae.l1_code(h) -> the sparse AE's L1 penalty: sum of |h| over the code, mean over the batch
function ae.l1_code(h)
  code_tensor("ae.l1_code", h)
  return h:abs():sum() / h.shape[1]
end

--- ae.kl_sparsity(h, rho) -> sum over code units j of KL(rho || rho_hat_j), rho_hat_j
--- the unit's mean activation over the batch (h must lie in (0, 1): a sigmoid code)
function ae.kl_sparsity(h, rho)
  code_tensor("ae.kl_sparsity", h)
  if not check.is_finite(rho) or rho <= 0 or rho >= 1 then
    check.fail("ae.kl_sparsity", "rho", "a target activation between 0 and 1 (not either)", rho, 3)
  end
  local r = h:mean(1)
  return (((r * (1 / rho)):log() * -rho) + (((1 - r) * (1 / (1 - rho))):log() * -(1 - rho))):sum()
end

--- ae.contractive(h, w) -> the contractive penalty ||J||_F^2 = sum_ij (dh_j/dx_i)^2 for
--- the sigmoid encoder layer h = sigmoid(x w + b) (w [in, code]): dh_j/dx_i = h_j (1 -
--- h_j) w_ij, so ||J||^2 = sum_j (h_j (1 - h_j))^2 sum_i w_ij^2; mean over the batch.
function ae.contractive(h, w)
  code_tensor("ae.contractive", h)
  check.tensor("ae.contractive", "w", w, 2)
  if w.shape[2] ~= h.shape[2] then
    error(("ae.contractive: w [in, code] must have as many columns as h [batch, code] has, got w {%s} and h {%s}")
      :format(table.concat(w.shape, ", "), table.concat(h.shape, ", ")), 2)
  end
  local s = (w * w):sum(1)          -- [code]: sum_i w_ij^2
  local d = h * (1 - h)             -- [batch, code]: sigmoid'
  return (d * d * s):sum() / h.shape[1]
end

-- The first linear layer of a module and whether a sigmoid follows it.
local function first_linear(m)
  local kids = m:children()
  local lin, nxt = kids[1], kids[2]
  if not lin or lin:info().kind ~= "linear" then return nil end
  local info = nxt and nxt:info()
  -- slope 1: the closed form below is for the plain sigmoid
  return lin, info ~= nil and info.kind == "activation" and info.name == "sigmoid" and info.arg == 1
end

---------------------------------------------------------------------- training

local FIT = {epochs = 5, batch = 64, lr = 1e-3}
local FIT_KNOWN = {x = true, epochs = true, batch = true, lr = true, noise = true, amount = true, l1 = true,
  kl = true, rho = true, contractive = true, mask = true, shuffle = true, on_epoch = true, on_batch = true}

-- The options of m:fit{...} (defaults filled in) against the inputs x.
local function check_fit(o, x)
  local f = "m:fit"
  o.epochs = check.whole(f, "epochs", o.epochs, 0)
  o.batch = check.whole(f, "batch", o.batch, 1)
  check.positive(f, "lr", o.lr)
  if o.noise ~= nil and o.noise ~= "gaussian" and o.noise ~= "masking" and o.noise ~= "salt_pepper" then
    check.fail(f, "noise", "\"gaussian\", \"masking\" or \"salt_pepper\"", o.noise)
  end
  if o.amount ~= nil then check.number(f, "amount", o.amount, 0, o.noise ~= "gaussian" and 1 or nil) end
  for _, k in ipairs{"l1", "kl", "contractive"} do
    if o[k] ~= nil then check.number(f, k, o[k], 0) end
  end
  if o.rho ~= nil and (not check.is_finite(o.rho) or o.rho <= 0 or o.rho >= 1) then
    check.fail(f, "rho", "a target activation between 0 and 1 (not either)", o.rho)
  end
  if o.mask ~= nil then
    check.tensor(f, "mask", o.mask)
    if table.concat(o.mask.shape, ",") ~= table.concat(x.shape, ",") then
      error(("m:fit: mask {%s} must have the shape of the inputs {%s}"):format(table.concat(o.mask.shape, ", "),
        table.concat(x.shape, ", ")), 3)
    end
  end
  if o.shuffle ~= nil and type(o.shuffle) ~= "boolean" then check.fail(f, "shuffle", "true or false", o.shuffle) end
  check.fn(f, "on_epoch", o.on_epoch, true)
  check.fn(f, "on_batch", o.on_batch, true)
end

-- Rows of x in a fresh random order (nn's generator: the same seed, the same order).
local function shuffled(x)
  local n = x.shape[1]
  local u = nn.rand(n):totable()
  local idx = {}
  for i = 1, n do idx[i] = i end
  table.sort(idx, function(a, b) if u[a] ~= u[b] then return u[a] < u[b] end return a < b end)
  return x:gather(idx)
end

-- The loss of one batch and its penalty (both tensors in the graph).
function AE:batch_loss(x, o, target, mask)
  check.tensor("m:batch_loss", "x", x)
  o = check.options("m:batch_loss", o)
  local input = x
  if o.noise then input = ae.noise(x, o.noise, o.amount or 0.3) end
  local h = self:encode(input)
  local y = self:decode(h)
  local loss = ae.mse(y, target or x, mask)
  local pen
  if o.l1 then pen = ae.l1_code(h) * o.l1 end
  if o.kl then
    local p = ae.kl_sparsity(h, o.rho or 0.05) * o.kl
    pen = pen and pen + p or p
  end
  if o.contractive then
    local lin, sig = first_linear(self.encoder)
    if not (lin and sig and #self.encoder:children() == 2) then
      error("fit: contractive = needs an encoder of one linear layer and a sigmoid (ae.new{sizes = {784, 32}, code = \"sigmoid\"})", 3)
    end
    local p = ae.contractive(h, lin:param(1)) * o.contractive
    pen = pen and pen + p or p
  end
  return pen and loss + pen or loss, loss, pen
end

--- m:fit{x, epochs = 5, batch = 64, lr = 1e-3, noise = "gaussian" | "masking" |
--- "salt_pepper", amount = 0.3, l1 = , kl = , rho = 0.05, contractive = , mask = ,
--- on_epoch = function(m, epoch, loss)} -> the mean loss of each epoch.
--- x is a tensor [n, ...] or a data set (its x). mask (a tensor like x, 1 observed)
--- leaves the missing entries out of the loss.
function AE:fit(o)
  if type(o) ~= "table" or getmetatable(o) ~= nil then error("m:fit: expected {x, epochs = ..., ...}, got " .. check.describe(o), 2) end
  local x = o[1] or o.x
  if is_dataset(x) then x = x:x() end
  if not is_tensor(x) or x.ndim < 1 or x.shape[1] < 1 then
    error("m:fit: expected the inputs (a tensor [n, ...] or a data set) first, got " .. check.describe(x), 2)
  end
  for k in pairs(o) do
    if type(k) ~= "number" and not FIT_KNOWN[k] then
      options.refuse("m:fit", k, FIT_KNOWN, 2)
    end
  end
  for k, v in pairs(FIT) do if o[k] == nil then o[k] = v end end
  check_fit(o, x)
  local opt = self.optimizer or optim.adam(self, {lr = o.lr})
  self.optimizer = opt
  opt.lr = o.lr
  local n = x.shape[1]
  local losses = {}
  self:train(true)
  for e = 1, o.epochs do
    local xs, ms = x, o.mask
    if not o.mask and o.shuffle ~= false then xs = shuffled(x) end
    local sum, sump, nb = 0, 0, 0
    for s = 1, n, o.batch do
      local cnt = math.min(o.batch, n - s + 1)
      local xb = xs:rows(s, cnt)
      local mb = ms and ms:rows(s, cnt)
      opt:zero_grad()
      local total, rec, pen = self:batch_loss(xb, o, nil, mb)
      total:backward()
      opt:step()
      sum, nb = sum + rec:item(), nb + 1
      if pen then sump = sump + pen:item() end
      if o.on_batch then o.on_batch(self, e, s) end
    end
    losses[e] = sum / nb
    local h = self.history
    h.loss[#h.loss + 1] = losses[e]
    h.penalty[#h.penalty + 1] = sump / nb
    if o.on_epoch then o.on_epoch(self, e, losses[e]) end
  end
  self:train(false)
  return losses
end

--- m:errors(x) -> a list of each row's mean squared reconstruction error (an anomaly score)
function AE:errors(x)
  x = check.rows("m:errors", "x", x)
  local y = self:reconstruct(x)
  local d = (y - x)
  local n = x.shape[1]
  return quiet(function() return (d * d):reshape(n, -1):mean(2) end):totable()
end

function AE:__tostring()
  return ("autoencoder: %d parameters in encoder and decoder"):format(self.encoder:nparams() + self.decoder:nparams())
end

---------------------------------------------------------------------- PCA and principal angles

-- A list of k columns (Lua lists) of a [d, k] tensor or table of rows (checked by the
-- caller).
local function columns(m)
  local rows = is_tensor(m) and m:totable() or m
  local cols = {}
  for j = 1, #rows[1] do
    cols[j] = {}
    for i = 1, #rows do cols[j][i] = rows[i][j] end
  end
  return cols
end

local function dot(a, b) local s = 0; for i = 1, #a do s = s + a[i] * b[i] end; return s end

-- Gram-Schmidt (twice, for accuracy): an orthonormal basis of the columns' span; nil
-- and the column's number when a column lies in the span of those before it.
local function orthonormal(cols)
  local q = {}
  for j, c in ipairs(cols) do
    local v = {table.unpack(c)}
    for _ = 1, 2 do
      for _, u in ipairs(q) do
        local d = dot(u, v)
        for i = 1, #v do v[i] = v[i] - d * u[i] end
      end
    end
    local nrm = math.sqrt(dot(v, v))
    if not (nrm >= 1e-12) then return nil, j end
    for i = 1, #v do v[i] = v[i] / nrm end
    q[j] = v
  end
  return q
end

-- Eigenvalues and vectors of a small symmetric matrix a (rows), by cyclic Jacobi
-- rotations; values descending, vectors as columns of the returned list of rows.
local function jacobi(a)
  local n = #a
  local v = {}
  for i = 1, n do v[i] = {}; for j = 1, n do v[i][j] = i == j and 1 or 0 end end
  a = (function() local c = {}; for i = 1, n do c[i] = {table.unpack(a[i])} end; return c end)()
  for _ = 1, 100 do
    local off = 0
    for i = 1, n do for j = i + 1, n do off = off + a[i][j] ^ 2 end end
    if off < 1e-24 then break end
    for p = 1, n - 1 do
      for q = p + 1, n do
        if math.abs(a[p][q]) > 1e-300 then
          local theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
          local t = (theta >= 0 and 1 or -1) / (math.abs(theta) + math.sqrt(theta * theta + 1))
          local c = 1 / math.sqrt(t * t + 1)
          local s = t * c
          for k = 1, n do -- columns p, q of a
            local akp, akq = a[k][p], a[k][q]
            a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
          end
          for k = 1, n do -- rows p, q
            local apk, aqk = a[p][k], a[q][k]
            a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
          end
          for k = 1, n do
            local vkp, vkq = v[k][p], v[k][q]
            v[k][p], v[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
          end
        end
      end
    end
  end
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(i, j) return a[i][i] > a[j][j] end)
  local vals, vecs = {}, {}
  for r, i in ipairs(order) do vals[r] = a[i][i] end
  for k = 1, n do vecs[k] = {}; for r, i in ipairs(order) do vecs[k][r] = v[k][i] end end
  return vals, vecs
end
ae._jacobi = jacobi

--- ae.principal_angles(a, b) -> the cosines of the principal angles between the
--- column spaces of a and b ([d, k] tensors or tables of rows), largest first: all 1
--- when the subspaces are the same.
-- The rows of a basis for ae.principal_angles: a [d, k] tensor or a table of d rows
-- of k finite numbers each; d rows expected when given.
local function basis_rows(what, m, d)
  local f = "ae.principal_angles"
  local rows = m
  if is_tensor(m) then
    if m.ndim ~= 2 then check.fail(f, what, "a tensor [d, k] or a table of rows", m, 4) end
    rows = m:totable()
  elseif type(rows) ~= "table" or type(rows[1]) ~= "table" or #rows[1] < 1 then
    check.fail(f, what, "a tensor [d, k] or a table of rows {{...}, ...}", m, 4)
  end
  if d and #rows ~= d then error(("%s: a has %d rows and b %d; they must be vectors of one space"):format(f, d, #rows), 3) end
  local k = #rows[1]
  for i, r in ipairs(rows) do
    if type(r) ~= "table" or #r ~= k then
      check.fail(f, ("%s[%d]"):format(what, i), ("a row of %d numbers, as %s[1]"):format(k, what), r, 4)
    end
    for j = 1, k do
      if not check.is_finite(r[j]) then check.fail(f, ("%s[%d][%d]"):format(what, i, j), "a finite number", r[j], 4) end
    end
  end
  return rows
end

function ae.principal_angles(a, b)
  a = basis_rows("a", a)
  b = basis_rows("b", b, #a)
  local qa, ja = orthonormal(columns(a))
  local qb, jb = orthonormal(columns(b))
  if not (qa and qb) then
    error(("ae.principal_angles: column %d of %s lies in the span of the columns before it"):format(ja or jb,
      qa and "b" or "a"), 2)
  end
  local k = math.min(#qa, #qb)
  -- the singular values of M = Qa^T Qb are the square roots of the eigenvalues of M^T M
  local m = {}
  for i = 1, #qa do m[i] = {}; for j = 1, #qb do m[i][j] = dot(qa[i], qb[j]) end end
  local mtm = {}
  for i = 1, #qb do
    mtm[i] = {}
    for j = 1, #qb do
      local s = 0
      for r = 1, #qa do s = s + m[r][i] * m[r][j] end
      mtm[i][j] = s
    end
  end
  local vals = jacobi(mtm)
  local cos = {}
  for i = 1, k do cos[i] = math.min(1, math.sqrt(math.max(0, vals[i]))) end
  return cos
end

--- ae.pca(x, k [, {iters = 100}]) -> components [d, k] (a tensor, unit columns, by
--- falling variance), the variances, the mean [d]. Orthogonal iteration on the
--- covariance, then Jacobi on the k x k projection for the order.
function ae.pca(x, k, o)
  if is_dataset(x) then x = x:x() end
  if not is_tensor(x) or x.ndim ~= 2 or x.shape[1] < 2 then
    check.fail("ae.pca", "x", "a tensor [n, d] of n >= 2 rows (or a data set)", x, 3)
  end
  check.points("ae.pca", "x", x)
  local n, d = x.shape[1], x.shape[2]
  k = check.whole("ae.pca", "k", k, 1, d)
  o = check.options("ae.pca", o)
  local iters = check.whole("ae.pca", "iters", o.iters, 1, 100000, 100)
  return quiet(function()
    local mean = x:mean(1)
    local xc = x - mean
    local c = xc:matmul(xc, true) / (n - 1) -- [d, d]
    local q = nn.randn(d, k)
    for _ = 1, iters do
      local cols = orthonormal(columns(c:matmul(q)))
      if not cols then error(("ae.pca: x varies in fewer than k = %d directions"):format(k), 3) end
      q = nn.tensor(cols):t():copy() -- [d, k]
    end
    -- Rayleigh-Ritz: the k x k matrix Q^T C Q, diagonalised, orders and mixes q
    local small = q:matmul(c:matmul(q), true):totable()
    local vals, vecs = jacobi(small)
    local comp = q:matmul(nn.tensor(vecs))
    return comp, vals, mean
  end)
end

---------------------------------------------------------------------- ROC

--- ae.roc(scores, labels) -> {fpr =, tpr =, auc =}: labels 1 (anomaly, positive) or 0;
--- a higher score says "anomaly". AUC by the trapezoid rule (ties count half).
function ae.roc(scores, labels)
  if type(scores) ~= "table" then check.fail("ae.roc", "scores", "a list of numbers", scores, 3) end
  if type(labels) ~= "table" then check.fail("ae.roc", "labels", "a list of 1 (anomaly) and 0 (normal)", labels, 3) end
  if #scores ~= #labels or #scores == 0 then
    error(("ae.roc: %d scores and %d labels; it needs as many of each, at least one"):format(#scores, #labels), 2)
  end
  for i = 1, #scores do
    if not check.is_finite(scores[i]) then check.fail("ae.roc", ("scores[%d]"):format(i), "a finite number", scores[i], 3) end
    if labels[i] ~= 0 and labels[i] ~= 1 then
      check.fail("ae.roc", ("labels[%d]"):format(i), "1 (anomaly) or 0 (normal)", labels[i], 3)
    end
  end
  local idx = {}
  for i = 1, #scores do idx[i] = i end
  table.sort(idx, function(a, b) if scores[a] ~= scores[b] then return scores[a] > scores[b] end return a < b end)
  local P, N = 0, 0
  for _, l in ipairs(labels) do if l == 1 then P = P + 1 else N = N + 1 end end
  if P == 0 or N == 0 then error("ae.roc: needs both anomalies (1) and normal rows (0)", 2) end
  local fpr, tpr = {0}, {0}
  local tp, fp, auc = 0, 0, 0
  local i = 1
  while i <= #idx do
    local j = i
    while j <= #idx and scores[idx[j]] == scores[idx[i]] do -- one threshold for a tie
      if labels[idx[j]] == 1 then tp = tp + 1 else fp = fp + 1 end
      j = j + 1
    end
    fpr[#fpr + 1], tpr[#tpr + 1] = fp / N, tp / P
    auc = auc + (fpr[#fpr] - fpr[#fpr - 1]) * (tpr[#tpr] + tpr[#tpr - 1]) / 2
    i = j
  end
  return {fpr = fpr, tpr = tpr, auc = auc}
end

---------------------------------------------------------------------- the movie-ratings toy

--- ae.movie_ratings() -> ratings [5, 6] (missing as 0), mask [5, 6] (1 observed): the
--- textbook's Table 3.1.1, five users and six movies, liked 1 or not 0.
function ae.movie_ratings()
  local M = -1
  local rows = {
    {1, 0, M, 1, 1, 1},
    {0, 1, 0, 0, 1, 0},
    {M, 1, 1, 0, 0, M},
    {1, 0, 1, 1, 0, 1},
    {0, M, 1, 1, M, 1},
  }
  local r, m = {}, {}
  for i, row in ipairs(rows) do
    r[i], m[i] = {}, {}
    for j, v in ipairs(row) do r[i][j], m[i][j] = v == M and 0 or v, v == M and 0 or 1 end
  end
  return nn.tensor(r), nn.tensor(m)
end

util.guard_methods(AE, "m")
ae.Autoencoder = AE
return ae
