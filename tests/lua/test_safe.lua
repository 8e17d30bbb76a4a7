-- test_safe.lua: run as `nnlab --safe test_safe.lua`: what can run programs,
-- delete or rename files, or load native code is gone; nnlab's own modules (pure Lua
-- and the built-in bindings in package.preload) still load.
assert(repl.safe == true, "this test runs under --safe")
for _, name in ipairs{"execute", "remove", "rename"} do
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
