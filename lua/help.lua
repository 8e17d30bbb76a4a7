-- help.lua: the help registry. Every file in lua/doc/ returns a table of entries
-- keyed "<module>.<function>" (nn.zeros), "<type>:<method>" (tensor:matmul), a module
-- (nn) or a bare global name (spawn); each entry is {sig=, summary=, text=, example=}.
-- help(name) shows one, help(value) finds it by identity (a module, a function, or an
-- object, whose methods it lists), help() lists them, apropos(word) searches them.
-- help.missing() lists what has no entry (tests/lua/test_help_coverage.lua).
local core = require "repl.core"
local debug = debug -- captured: --safe takes it from user code (lua/sandbox.lua)
local package_loaded = package.loaded

local help = {}
local entries = {}   -- key -> entry
local loaded = false

local function load_docs()
  if loaded then return end
  loaded = true
  local dir = core.lua_dir .. "/doc"
  local files = core.listdir(dir) or {}
  for _, file in ipairs(files) do
    if file:match("%.lua$") then
      local chunk, err = loadfile(dir .. "/" .. file)
      local ok, docs = false, err
      if chunk then ok, docs = pcall(chunk) end
      if ok and type(docs) == "table" then
        for key, entry in pairs(docs) do entries[key] = entry end
      else
        io.stderr:write("help: cannot load " .. file .. ": " .. tostring(docs) .. "\n")
      end
    end
  end
end

--- The entries, loaded on first use.
function help.entries()
  load_docs()
  return entries
end

--- Adds or replaces entries at run time (lessons document their own functions).
function help.add(docs)
  load_docs()
  for key, entry in pairs(docs) do entries[key] = entry end
end

-- The public modules whose functions need entries: global names of tables, and the
-- modules a lesson loads with require (control, faults: lesson 25). Each has an entry
-- of its own too (help(nn) or ?nn shows it).
help.modules = {"nn", "optim", "data", "plot", "dual", "race", "lesson", "repl", "ae", "gan", "text",
  "control", "faults"}

--- module(name) -> the table of a module of help.modules: the global of that name,
--- else what require gave (control = require "control"); nil when neither is there.
function help.module(name)
  for _, mod in ipairs(help.modules) do
    if mod == name then
      local m = _G[name]
      if type(m) ~= "table" then m = package_loaded[name] end
      return type(m) == "table" and m or nil
    end
  end
end
help.globals = {"help", "apropos", "spawn", "jobs", "wait", "playground", "experiment", "conv"}

--- method_tables() -> {type = methods}: the method tables of the "nnlab.*"
--- metatables: __methods when there is one (userdata whose __index is a function),
--- else a table __index.
function help.method_tables()
  local out = {}
  for name, mt in pairs(debug.getregistry()) do
    if type(name) == "string" and name:match("^nnlab%.") and type(mt) == "table" then
      local methods = rawget(mt, "__methods")
      if type(methods) ~= "table" then methods = rawget(mt, "__index") end
      if type(methods) == "table" then out[name:sub(7)] = methods end
    end
  end
  return out
end

--- class_of(value) -> type key, {name = method}: the methods of an object (userdata
--- or table with a metatable that has __name), as its entries are keyed: "tensor"
--- for "nnlab.tensor", "decision_view" for "decision view" ("decision_view:save").
--- The methods are the functions of __methods, of a table __index and of the
--- metatable itself (Lua classes whose __index is a function), except _names.
--- nil for anything else.
function help.class_of(value)
  local mt = getmetatable(value)
  if type(mt) ~= "table" then return nil end
  local name = rawget(mt, "__name")
  if type(name) ~= "string" then return nil end
  local key = name:gsub("^nnlab%.", ""):gsub("%s+", "_")
  local methods = {}
  local function take(t)
    if type(t) ~= "table" then return end
    for k, v in pairs(t) do
      if type(k) == "string" and type(v) == "function" and not k:match("^_") then
        methods[k] = v
      end
    end
  end
  take(rawget(mt, "__methods"))
  take(rawget(mt, "__index"))
  take(mt)
  return key, methods
end

-- Finds the key of a value by identity: a global function, a module or one of its
-- functions (submodules such as nn.cuda too), a method of an "nnlab.*" type.
local function key_of(value)
  for _, g in ipairs(help.globals) do
    if _G[g] == value then return g end
  end
  local function search(prefix, t, seen)
    if seen[t] then return nil end
    seen[t] = true
    if t == value then return prefix end
    for k, v in pairs(t) do
      if type(k) == "string" and not k:match("^_") then
        if v == value then return prefix .. "." .. k end
        if type(v) == "table" and getmetatable(v) == nil and k:match("^%l") then
          local found = search(prefix .. "." .. k, v, seen)
          if found then return found end
        end
      end
    end
  end
  for _, mod in ipairs(help.modules) do
    local t = help.module(mod)
    if t then
      local found = search(mod, t, {})
      if found then return found end
    end
  end
  for name, methods in pairs(help.method_tables()) do
    for k, v in pairs(methods) do
      if v == value then return name .. ":" .. k end
    end
  end
end

-- help(object): the object's type and its documented methods, one a line.
-- A listing's line cut to the terminal with "…" (a summary that wrapped would break
-- the column of names).
local function cut(line)
  local cols = math.max(60, tonumber(os.getenv("COLUMNS") or "") or 80)
  if utf8.len(line) and utf8.len(line) > cols - 1 then
    line = line:sub(1, utf8.offset(line, cols - 2) - 1) .. "…"
  end
  return line
end

local function show_object(value)
  local tkey, methods = help.class_of(value)
  local names = {}
  for k in pairs(methods) do names[#names + 1] = k end
  table.sort(names)
  local e = entries[tkey]
  print(("%s (a %s object)%s"):format(tostring(value), tkey, e and ("\n  " .. e.summary) or ""))
  print("Methods (help(\"" .. tkey .. ":name\") for one):")
  for _, k in ipairs(names) do
    local m = entries[tkey .. ":" .. k]
    print(cut(("  %-24s %s"):format(tkey .. ":" .. k, m and m.summary or "(no entry)")))
  end
end

-- words filled into lines of at most width characters, each after indent
local function fill(words, width, indent)
  local lines, line = {}, indent
  for w in words:gmatch("%S+") do
    if line ~= indent and utf8.len(line) + 1 + utf8.len(w) > width then
      lines[#lines + 1] = line
      line = indent
    end
    line = line == indent and (line .. w) or (line .. " " .. w)
  end
  if line ~= indent then lines[#lines + 1] = line end
  return table.concat(lines, "\n")
end

-- An entry's text refilled to the terminal (at most 86 columns, as a lesson's page):
-- its lines were broken where they were written, so on a narrow terminal they wrapped
-- twice and on a wide one a line of three words stood among long ones. A paragraph
-- with an indented (formulas, code), listed or table line keeps its lines.
local function refill(text, width)
  local out = {}
  for para in (text .. "\n\n"):gmatch("(.-)\n%s*\n") do
    local kept = para:find("\n[%s%-%*|]") or para:find("^[%s%-%*|]") or para:find("\n%d+[.)] ")
    out[#out + 1] = kept and para or fill(para, width, "")
  end
  return table.concat(out, "\n\n")
end

local function show(key, e)
  local width = math.min(86, math.max(40, (tonumber(os.getenv("COLUMNS") or "") or 80) - 1))
  local out = {e.sig or key}
  if e.summary then out[#out + 1] = fill(e.summary, width, "  ") end
  if e.text then out[#out + 1] = "\n" .. refill(e.text:gsub("^\n+", ""):gsub("%s+$", ""), width) end
  if e.example then
    out[#out + 1] = "\nExample:\n  " .. e.example:gsub("^%s+", ""):gsub("%s+$", ""):gsub("\n", "\n  ")
  end
  print(table.concat(out, "\n"))
end

-- Prints "head:  k1  k2 ..." as one paragraph wrapped at 78 columns.
local function print_wrapped(head, keys)
  local line = head .. ":"
  for _, k in ipairs(keys) do
    if #line + 2 + #k > 78 then print(line); line = "   " end
    line = line .. "  " .. k
  end
  print(line)
end

local function sorted_keys()
  local keys = {}
  for k in pairs(help.entries()) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- The topics help() lists, in the order a course meets them. An entry belongs to
-- the first topic whose test accepts its key; the nn.* functions that are neither
-- tensor makers nor losses are layers, so a new layer needs no line here.
local function set(list)
  local t = {}
  for _, k in ipairs(list) do t[k] = true end
  return t
end
local tensor_makers = set{"nn.tensor", "nn.zeros", "nn.ones", "nn.full", "nn.arange",
  "nn.linspace", "nn.rand", "nn.randn", "nn.seed", "nn.no_grad", "nn.graph", "nn.names"}
local training_fns = set{"nn.mse", "nn.mae", "nn.huber", "nn.bce", "nn.binary_cross_entropy",
  "nn.cross_entropy", "nn.hinge", "nn.multi_hinge", "nn.evaluate", "nn.lr_range_test",
  "nn.save", "nn.load", "nn.save_params", "nn.load_params", "module:fit", "module:evaluate"}
local function prefix(...)
  local list = { ... }
  return function(k)
    for _, p in ipairs(list) do
      if k == p or k:sub(1, #p + 1) == p .. "." or k:sub(1, #p + 1) == p .. ":" then return true end
    end
    return false
  end
end
help.topics = {
  { name = "tensors", summary = "numbers in C: make, compute, differentiate (autograd, dual numbers)",
    has = function(k) return k == "nn" or tensor_makers[k] or prefix("tensor", "dual")(k) end },
  { name = "layers", summary = "linear, activations, dropout, batch norm, containers, RBMs; a model's methods",
    has = function(k)
      return (k:match("^nn%.") and not training_fns[k]) or (prefix("module", "rbm")(k) and not training_fns[k])
    end },
  { name = "training", summary = "losses, optimizers, fit and its runs, evaluation, model files",
    has = function(k) return training_fns[k] or prefix("optim", "optimizer", "run", "experiment")(k) end },
  { name = "data", summary = "synthetic sets, CSV, Fashion-MNIST; splitting, scaling, features",
    has = prefix("data", "dataset") },
  { name = "plots", summary = "line plots, fields, scatter, images, bars, graphs; windows; live views",
    has = function(k) return prefix("plot", "window", "views", "field_worker")(k) or k:match("_view[.:]") ~= nil end },
  { name = "race", summary = "optimizers racing across 2-D loss surfaces",
    has = prefix("race", "racer", "surface") },
  { name = "playground", summary = "TensorFlow Playground's views, training live; click to add points",
    has = prefix("playground", "playground_run") },
  { name = "generative", summary = "autoencoders and GANs (lessons 21, 22): ae.new, gan.new, gan.view",
    has = prefix("ae", "gan", "autoencoder") },
  { name = "convolution", summary = "the convolution playground: a kernel sliding over an image, step by step",
    has = prefix("conv") },
  { name = "lessons", summary = "the course, lesson by lesson: :lessons, :next, :check, :hint",
    has = prefix("lesson") },
  { name = "text", summary = "corpora, sequence sets, word2vec, sampling, greedy and beam decoding, attention",
    has = prefix("text", "corpus", "vocabulary", "attention", "word2vec", "seq2seq", "seq2seq_run") },
  { name = "jobs", summary = "background work while you type: spawn, jobs, wait; the REPL itself",
    has = prefix("spawn", "jobs", "wait", "job", "repl", "help", "apropos") },
  { name = "control", summary = "system identification, PID tuning, fault detection: require \"control\", \"faults\"",
    has = prefix("control", "plant", "learned", "faults") },
}

--- topic_of(key) -> the topic (a help.topics row) an entry's key belongs to, or nil.
function help.topic_of(key)
  for _, t in ipairs(help.topics) do
    if t.has(key) then return t end
  end
end

local function find_topic(name)
  for _, t in ipairs(help.topics) do
    if t.name == name then return t end
  end
end

-- help(topic): its entries, one a line with their summaries cut to the terminal.
local function show_topic(t)
  print(("%s: %s"):format(t.name, t.summary))
  for _, k in ipairs(sorted_keys()) do
    if help.topic_of(k) == t then print(cut(("  %-24s %s"):format(k, entries[k].summary or ""))) end
  end
  print(("?name shows one in full (?%s)"):format((function()
    for _, k in ipairs(sorted_keys()) do if help.topic_of(k) == t and k:find("[.:]") then return k end end
    return t.name
  end)()))
end

--- help([name or value]): shows the entry of name (a string such as "nn.zeros" or
--- "tensor:matmul", or the function itself), or a topic's functions (help("layers"));
--- with no argument lists the topics.
function help.help(name)
  load_docs()
  if name == nil then
    print("Topics (help(\"topic\") lists its functions):")
    for _, t in ipairs(help.topics) do print(("  %-11s %s"):format(t.name, t.summary)) end
    print("?name or help(\"name\") shows one function (?nn.linear); apropos(\"word\") searches;")
    print(":help lists the prompt's commands")
    return
  end
  local topic = type(name) == "string" and find_topic(name)
  if topic then
    show_topic(topic)
    return
  end
  local key = name
  if type(name) ~= "string" then
    key = key_of(name)
    if not key and help.class_of(name) then show_object(name); return end
    if not key then print("no help for this " .. type(name) .. " (try help() for the topics)"); return end
    name = key
  end
  local e = entries[key]
  if not e then  -- tensor.matmul for tensor:matmul, or a method name alone
    local alt = key:gsub("%.", ":", 1)
    e, key = entries[alt], alt
    if not e then
      for _, k in ipairs(sorted_keys()) do
        if k:match("[.:]" .. name:gsub("%p", "%%%0") .. "$") then e, key = entries[k], k; break end
      end
    end
  end
  if not e and type(name) == "string" and help.module(name) then
    -- a module without an entry of its own: list what it has
    local keys = {}
    for _, k in ipairs(sorted_keys()) do
      if k:sub(1, #name + 1) == name .. "." then keys[#keys + 1] = k end
    end
    if #keys > 0 then
      print_wrapped(name, keys)
      return
    end
  end
  if not e then
    local near = require("repl").nearest(name, sorted_keys())
    local msg = "no help for '" .. name .. "'"
    if #near > 0 then msg = msg .. "; did you mean " .. table.concat(near, ", ", 1, math.min(3, #near)) .. "?" end
    print(msg)
    return
  end
  show(key, e)
  if help.module(key) then -- a module: its topics follow its entry
    local keys = {}
    for _, k in ipairs(sorted_keys()) do
      if k:sub(1, #key + 1) == key .. "." then keys[#keys + 1] = k end
    end
    if #keys > 0 then print(""); print_wrapped("Topics", keys) end
  end
end

--- apropos(word): lists the topics whose name or text mention word.
function help.apropos(word)
  if type(word) ~= "string" then error("apropos: expected a word, got " .. type(word), 2) end
  local lw = word:lower()
  local found = 0
  for _, k in ipairs(sorted_keys()) do
    local e = entries[k]
    local hay = (k .. " " .. (e.summary or "") .. " " .. (e.text or "")):lower()
    if hay:find(lw, 1, true) then
      print(cut(string.format("%-24s %s", k, e.summary or "")))
      found = found + 1
    end
  end
  if found == 0 then print("nothing about '" .. word .. "'") end
end

--- missing([objects]) -> sorted list of public functions and modules that have no
--- entry: the modules themselves and their functions (help.modules, those loaded), the
--- REPL globals, the methods of the "nnlab.*" metatables (help.method_tables) and
--- the methods of each object in the list objects (help.class_of: how the methods
--- of classes written in Lua, such as runs, views and races, are found).
function help.missing(objects)
  load_docs()
  local miss, seen_key = {}, {}
  local function need(key)
    if not entries[key] and not seen_key[key] then
      seen_key[key] = true
      miss[#miss + 1] = key
    end
  end
  for _, g in ipairs(help.globals) do
    if _G[g] ~= nil then need(g) end
  end
  local function walk(prefix, t, seen)
    if seen[t] then return end
    seen[t] = true
    need(prefix)
    for k, v in pairs(t) do
      if type(k) == "string" and not k:match("^_") then
        local key = prefix .. "." .. k
        if type(v) == "function" then need(key)
        elseif type(v) == "table" and getmetatable(v) == nil and k:match("^%l") then
          walk(key, v, seen)  -- submodules such as nn.cuda
        end
      end
    end
  end
  for _, mod in ipairs(help.modules) do
    local t = help.module(mod)
    if t then walk(mod, t, {}) end
  end
  for tname, methods in pairs(help.method_tables()) do
    for k, v in pairs(methods) do
      if type(k) == "string" and type(v) == "function" and not k:match("^_") then
        need(tname .. ":" .. k)
      end
    end
  end
  for _, obj in ipairs(objects or {}) do
    local tname, methods = help.class_of(obj)
    if tname then
      for k in pairs(methods) do need(tname .. ":" .. k) end
    end
  end
  table.sort(miss)
  return miss
end

return help
