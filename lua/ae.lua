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
local ae = {}

local function is_tensor(v)
  return type(v) == "userdata" and getmetatable(v) == debug.getregistry()["nnlab.tensor"]
end
local function is_dataset(v)
  return type(v) == "userdata" and getmetatable(v) == debug.getregistry()["nnlab.dataset"]
end

local AE = {}
AE.__index = AE
AE.__name = "autoencoder"

---------------------------------------------------------------------- construction

-- The activation module of a name ("relu", "sigmoid", "leaky_relu", "linear", ...).
local function act(name)
  if name == "linear" or name == nil then return nil end
  local f = nn[name]
  if type(f) ~= "function" then error(("ae.new: no activation called %q"):format(tostring(name)), 4) end
  return f()
end

-- Linear layers through sizes[1] -> ... -> sizes[#sizes], act after each hidden one
-- and last after the last.
local function dense(sizes, hidden, last)
  local layers = {}
  for i = 1, #sizes - 1 do
    layers[#layers + 1] = nn.linear(sizes[i], sizes[i + 1])
    local a = act(i < #sizes - 1 and hidden or last)
    if a then layers[#layers + 1] = a end
  end
  return nn.sequential(layers)
end

--- ae.new{sizes = {784, 300, 2}, act = "relu", code = "linear", out = "sigmoid"} -> model
--- The encoder goes through sizes, the decoder back (mirrored). act: hidden layers'
--- activation; code: the code layer's; out: the output's. encoder=/decoder= give
--- modules of your own instead (a conv encoder, say).
function ae.new(o)
  if type(o) ~= "table" then error("ae.new: expected {sizes = {784, 32}, ...}", 2) end
  local enc, dec = o.encoder, o.decoder
  if not enc then
    local s = o.sizes
    if type(s) ~= "table" or #s < 2 then
      error("ae.new: sizes must list at least the input and the code size, like {784, 32}", 2)
    end
    for i, v in ipairs(s) do
      if math.type(v) ~= "integer" or v < 1 then
        error(("ae.new: size %d must be a whole number > 0, got %s"):format(i, tostring(v)), 2)
      end
    end
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
  o = o or {}
  if type(o) ~= "table" then error("ae.conv: expected {side = 28, channels = {16, 32}, code = 32}", 2) end
  local side, chans, code = o.side or 28, o.channels or {16, 32}, o.code or 32
  if math.type(code) ~= "integer" or code < 1 then error("ae.conv: code must be a whole number > 0, got " .. tostring(code), 2) end
  if type(chans) ~= "table" or #chans < 1 then error("ae.conv: channels must list at least one channel count, like {16, 32}", 2) end
  local s = side
  for i, c in ipairs(chans) do
    if math.type(c) ~= "integer" or c < 1 then
      error(("ae.conv: channels[%d] must be a whole number > 0, got %s"):format(i, tostring(c)), 2)
    end
    if math.type(s) ~= "integer" or s < 2 or s % 2 ~= 0 then
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

function AE:encode(x) return self.encoder:forward(x) end
function AE:decode(z) return self.decoder:forward(z) end
function AE:forward(x) return self:decode(self:encode(x)) end
AE.__call = AE.forward

function AE:parameters()
  local ps = {}
  for _, m in ipairs{self.encoder, self.decoder} do
    for _, p in ipairs(m:parameters()) do ps[#ps + 1] = p end
  end
  return ps
end

function AE:train(on)
  self.encoder:train(on); self.decoder:train(on)
  return self
end

-- f() without a graph (evaluation).
local function quiet(f) return nn.no_grad(f) end

--- m:reconstruct(x) -> y, without a graph
function AE:reconstruct(x) return quiet(function() return self:forward(x) end) end
--- m:codes(x) -> z, without a graph
function AE:codes(x) return quiet(function() return self:encode(x) end) end

---------------------------------------------------------------------- noise

-- 1 where u > threshold, else 0 (step(0) counts as 1: a set of measure zero).
local function above(u, threshold) return nn.step(u - threshold) end

--- ae.noise(x, kind, amount) -> a corrupted copy of x, drawn afresh on each call:
--- "gaussian" adds N(0, amount^2); "masking" sets each value to 0 with probability
--- amount; "salt_pepper" sets each to 0 or 1 (half each) with probability amount.
function ae.noise(x, kind, amount)
  if not is_tensor(x) then error("ae.noise: expected a tensor, got " .. type(x), 2) end
  if type(amount) ~= "number" or amount < 0 or (kind ~= "gaussian" and amount > 1) then
    error(("ae.noise: amount must be a number >= 0 (a probability <= 1 for %s), got %s")
      :format(tostring(kind), tostring(amount)), 2)
  end
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
  error(("ae.noise: kind must be \"gaussian\", \"masking\" or \"salt_pepper\", got %s"):format(tostring(kind)), 2)
end

---------------------------------------------------------------------- losses

--- ae.mse(y, x [, mask]) -> mean squared error; with a mask (1 observed, 0 missing)
--- only the observed entries count, averaged over them.
function ae.mse(y, x, mask)
  local d = y - x
  if mask then return (d * d * mask):sum() / math.max(1, mask:sum():item()) end
  return (d * d):mean()
end

--- ae.l1_code(h) -> the sparse AE's L1 penalty: sum of |h| over the code, mean over the batch
function ae.l1_code(h) return h:abs():sum() / h.shape[1] end

--- ae.kl_sparsity(h, rho) -> sum over code units j of KL(rho || rho_hat_j), rho_hat_j
--- the unit's mean activation over the batch (h must lie in (0, 1): a sigmoid code)
function ae.kl_sparsity(h, rho)
  if type(rho) ~= "number" or rho <= 0 or rho >= 1 then
    error("ae.kl_sparsity: rho must be a target activation in (0, 1), got " .. tostring(rho), 2)
  end
  local r = h:mean(1)
  return (((r * (1 / rho)):log() * -rho) + (((1 - r) * (1 / (1 - rho))):log() * -(1 - rho))):sum()
end

--- ae.contractive(h, w) -> the contractive penalty ||J||_F^2 = sum_ij (dh_j/dx_i)^2 for
--- the sigmoid encoder layer h = sigmoid(x w + b) (w [in, code]): dh_j/dx_i = h_j (1 -
--- h_j) w_ij, so ||J||^2 = sum_j (h_j (1 - h_j))^2 sum_i w_ij^2; mean over the batch.
function ae.contractive(h, w)
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
  if type(o) ~= "table" then error("m:fit: expected {x, epochs = ..., ...}", 2) end
  local x = o[1] or o.x
  if is_dataset(x) then x = x:x() end
  if not is_tensor(x) then error("m:fit: expected the inputs (a tensor or a data set) first, got " .. type(x), 2) end
  for k in pairs(o) do
    if type(k) ~= "number" and not FIT_KNOWN[k] then
      local names = {}
      for n in pairs(FIT_KNOWN) do names[#names + 1] = n end
      table.sort(names)
      error(("m:fit: unknown option '%s' (it takes %s)"):format(tostring(k), table.concat(names, ", ")), 2)
    end
  end
  for k, v in pairs(FIT) do if o[k] == nil then o[k] = v end end
  if math.type(o.batch) ~= "integer" or o.batch < 1 then error("m:fit: batch must be a whole number > 0", 2) end
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
  if is_dataset(x) then x = x:x() end
  local y = self:reconstruct(x)
  local d = (y - x)
  local n = x.shape[1]
  return quiet(function() return (d * d):reshape(n, -1):mean(2) end):totable()
end

function AE:__tostring()
  return ("autoencoder: %d parameters in encoder and decoder"):format(self.encoder:nparams() + self.decoder:nparams())
end

---------------------------------------------------------------------- PCA and principal angles

-- A list of k columns (Lua lists) of a [d, k] tensor or table of rows.
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

-- Gram-Schmidt (twice, for accuracy): an orthonormal basis of the columns' span.
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
    if nrm < 1e-12 then error(("ae.principal_angles: column %d lies in the span of the others"):format(j), 3) end
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
function ae.principal_angles(a, b)
  local qa, qb = orthonormal(columns(a)), orthonormal(columns(b))
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
  if not is_tensor(x) or x.ndim ~= 2 then error("ae.pca: expected a tensor [n, d]", 2) end
  local n, d = x.shape[1], x.shape[2]
  if math.type(k) ~= "integer" or k < 1 or k > d then error(("ae.pca: k must be 1..%d, got %s"):format(d, tostring(k)), 2) end
  return quiet(function()
    local mean = x:mean(1)
    local xc = x - mean
    local c = xc:matmul(xc, true) / (n - 1) -- [d, d]
    local q = nn.randn(d, k)
    for _ = 1, (o and o.iters or 100) do
      q = nn.tensor(orthonormal(columns(c:matmul(q)))):t():copy() -- [d, k]
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
  if #scores ~= #labels or #scores == 0 then
    error(("ae.roc: %d scores and %d labels"):format(#scores, #labels), 2)
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

ae.Autoencoder = AE
return ae
