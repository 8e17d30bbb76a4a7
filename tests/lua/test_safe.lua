-- test_safe.lua: run as `nnlab --safe test_safe.lua`: what can run programs,
-- delete or rename files, or load native code is gone; nnlab's own modules (pure Lua
-- and the built-in bindings in package.preload) still load. Files outside this
-- script's folder and the scratch folder are refused through every function that
-- takes a path; binary chunks, the debug library, the string metatable, os.exit,
-- the environment and stopping the collector are refused too. Ctrl-C, --time and
-- --memory are tested from outside (tests/repl/test_e2e.c).
assert(repl.safe == true, "this test runs under --safe")
for _, name in ipairs{"execute", "remove", "rename", "exit", "getenv", "tmpname", "setlocale"} do
  assert(os[name] == nil, "os." .. name .. " is removed")
end
assert(io.popen == nil, "io.popen is removed")
assert(package.loadlib == nil, "package.loadlib is removed")
assert(#package.searchers == 2, "only the preload and Lua searchers remain, got " .. #package.searchers)
assert(package.cpath == "")
local ok, err = pcall(require, "some_c_module_that_is_not_lua")
assert(not ok and not err:find("cpath", 1, true) and not err:find("%.so"),
  "C modules are not even looked for: " .. tostring(err))
assert(type(require("nn.core").zeros) == "function", "built-in bindings still load")
assert(type(require("help").help) == "function", "Lua modules still load")

-- each call must be refused with a message that says so
local function refused(what, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, what .. " was allowed")
  assert(tostring(err):find("refused by --safe", 1, true), what .. ": " .. tostring(err))
end

local here = arg[0]:match("^(.*)/[^/]*$") or "."
local scratch = assert(repl.scratch, "repl.scratch names the scratch folder")

-- the scratch folder and this script's folder: read and write
local f = assert(io.open(scratch .. "/note.txt", "w"))
f:write("hello\n")
f:close()
assert(io.open(scratch .. "/note.txt"):read("l") == "hello")
assert(io.open(arg[0]):read("l"):find("test_safe.lua", 1, true), "the script's own folder reads")
for line in io.lines(scratch .. "/note.txt") do assert(line == "hello") end
-- a relative name is the scratch folder's (a lesson's experiment.csv lands there)
f = assert(io.open("relative_note.txt", "w"))
f:write("there")
f:close()
assert(io.open(scratch .. "/relative_note.txt"):read("l") == "there", "relative writes go to scratch")
assert(io.open("relative_note.txt"):read("l") == "there", "and read back by the same name")
refused("a relative climb out of scratch", io.open, "../../../../../../../../tmp/escape.txt", "w")

-- io: outside, relative climbs, the scratch folder's parent, /proc
refused("io.open of /etc/passwd", io.open, "/etc/passwd")
refused("io.open of /proc/self/environ", io.open, "/proc/self/environ")
refused("io.open writing /tmp", io.open, "/tmp/nnlab_safe_escape.txt", "w")
refused("io.open climbing out of scratch", io.open, scratch .. "/../escape.txt", "a+")
refused("io.open climbing with a relative path", io.open, here .. "/../../../../../../../etc/passwd")
refused("io.lines", io.lines, "/etc/passwd")
refused("io.input", io.input, "/etc/passwd")
refused("io.output", io.output, "/tmp/nnlab_safe_escape.txt")
refused("io.open of nnlab's lua/ for writing", io.open, repl.lua_dir .. "/init.lua", "a")
assert(io.open(repl.lua_dir .. "/init.lua", "r"), "nnlab's lua/ folder stays readable")

-- chunks from files: dofile, loadfile, require on a changed package.path
refused("dofile", dofile, "/etc/passwd")
refused("loadfile", loadfile, "/etc/passwd")
local old_path = package.path
package.path = "/etc/?;/etc/?.lua"
local ok_req, req_err = pcall(require, "passwd")
assert(not ok_req and req_err:find("outside the folders --safe allows", 1, true), req_err)
package.path = old_path
assert(package.searchpath == nil, "package.searchpath (which opens any file) is removed")

-- binary chunks
assert(string.dump == nil, "string.dump is removed")
local bytecode = "\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0"
refused("load with mode b", load, bytecode, "x", "b")
refused("load with mode bt", load, bytecode, "x", "bt")
local fn, lerr = load(bytecode)
assert(fn == nil and lerr:find("binary chunk", 1, true), "a binary chunk is not loaded: " .. tostring(lerr))
refused("loadfile with mode b", loadfile, arg[0], "b")
f = assert(io.open(scratch .. "/chunk.luac", "wb"))
f:write(bytecode)
f:close()
local bf, berr = loadfile(scratch .. "/chunk.luac")
assert(bf == nil and berr:find("binary chunk", 1, true), tostring(berr))
assert(load("return 1 + 1")() == 2, "text chunks still load")
local env_fn = load("return x", "=t", "t", {x = 7})
assert(env_fn() == 7, "load with an environment still works")

-- debug, the string metatable, the collector, the environment, exit
for _, name in ipairs{"getupvalue", "setupvalue", "upvaluejoin", "sethook", "gethook",
    "getlocal", "setlocal", "getinfo", "setmetatable", "getmetatable", "setuservalue",
    "getuservalue", "setcstacklimit"} do
  assert(debug[name] == nil, "debug." .. name .. " is gone")
end
assert(require("debug") == debug, "require 'debug' gives the same cut-down table")
local reg = debug.getregistry()
assert(reg._LOADED == nil and reg._PRELOAD == nil and reg[1] == nil and reg[2] == nil,
  "the registry shows nnlab's metatables only")
assert(reg["nnlab.tensor"] == getmetatable(nn.zeros{1}))
assert(not pcall(function() reg.x = 1 end), "and cannot be written")
assert(type(debug.traceback("x")) == "string")
assert(getmetatable("") == false, "the string metatable is hidden")
assert(not pcall(function() getmetatable("").__index = {} end))
refused("collectgarbage stop", collectgarbage, "stop")
refused("collectgarbage incremental", collectgarbage, "incremental", 1000)
refused("collectgarbage generational", collectgarbage, "generational")
assert(type(collectgarbage("count")) == "number")
collectgarbage()
local core = require "repl.core"
assert(core.foreground == nil and core.listdir == nil and core.write_atomic == nil,
  "repl.core without foreground, listdir, write_atomic")
assert(package.preload["repl.core"]().foreground == nil, "nor through package.preload")

-- nnlab's own functions that take paths
local m = nn.sequential{nn.linear(2, 2)}
nn.save(m, scratch .. "/m.nnl")
assert(nn.load(scratch .. "/m.nnl"), "nn.save and nn.load in the scratch folder")
refused("nn.save outside", nn.save, m, "/tmp/nnlab_safe_escape.nnl")
refused("nn.load outside", nn.load, "/etc/passwd")
refused("nn.train.save, the raw binding", require("nn.train").save, m, "/tmp/x.nnl")
refused("an opener run again", package.preload["nn.train"]().load, "/etc/passwd")
package.loaded["nn.train"] = nil
refused("nn.train required again", require("nn.train").load, "/etc/passwd")
refused("data.csv", data.csv, "/etc/passwd")
refused("the csv binding", require("nn.data").csv, "/etc/passwd")
refused("the idx binding", require("nn.data").idx, scratch .. "/a", "/etc/passwd")
refused("views.core.read_png", require("views.core").read_png, "/etc/passwd")
local p = plot.lines{title = "t"}
p:push("a", 1)
p:save(scratch .. "/p.png")
refused("plot save outside", p.save, p, "/tmp/nnlab_safe_escape.png")
local w = plot.window{p}
refused("window save outside", function() w:save("/tmp/nnlab_safe_escape.png") end)
refused("window record outside", function() w:record("/tmp/nnlab_safe_frames") end)
refused("window gif outside", function() w:record{gif = "/tmp/nnlab_safe_escape.gif"} end)

-- a zero byte cannot cut a checked path short
refused("a path with a zero byte", io.open, scratch .. "/ok\0/../../etc/passwd")
print("safe: all escapes refused")

-- nnlab's own modules keep working: dual numbers see through a captured math.sin
-- (lua/dual.lua dumps and reloads the function with what it captured at load)
local sin = math.sin
local v, d = dual.grad(function(x) return sin(x) * x end, 1.0)
assert(math.abs(d - (math.cos(1) + math.sin(1))) < 1e-9, "dual.grad under --safe: " .. tostring(d))
print("safe: nnlab's modules work")
