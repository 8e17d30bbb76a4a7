-- test_options.lua: the one checker of option tables (lua/options.lua): unknown
-- names are refused with the nearest one and the list, a non-table is refused
-- naming the function, positional entries are counted, and the completion finds
-- the option names of the call whose braces the cursor is in.
local options = require "options"

local function raises(f, want, what)
  local ok, err = pcall(f)
  assert(not ok, what .. ": expected an error")
  assert(tostring(err):find(want, 1, true), ("%s: expected %q in %q"):format(what, want, tostring(err)))
  return err
end

options.declare("demo.fit", { "epochs", "batch", "optimizer", "loss" }, 1)
local function fit(opts) return options.check("demo.fit", opts) end

-- the good cases pass the table through
local t = { "train", epochs = 3, batch = 8 }
assert(fit(t) == t, "a good table comes back")
assert(next(fit(nil)) == nil, "nil reads as no options")

-- a typo names the nearest option and what the function takes
raises(function() fit{ epoch = 5 } end,
  "demo.fit: unknown option 'epoch'; did you mean 'epochs'? (it takes batch, epochs, loss, optimizer)",
  "a typo")
raises(function() fit{ zzzzz = 1 } end, "demo.fit: unknown option 'zzzzz' (it takes", "nothing near")
-- the error points at the caller's line, not at options.lua or fit
local err = raises(function() fit{ epoch = 5 } end, "unknown option", "position")
assert(not tostring(err):find("options.lua", 1, true), "no internal file in " .. tostring(err))

-- not a table, or too many positional entries
raises(function() fit(42) end, "demo.fit: expected a table of options {batch = ...}, got number", "a number")
raises(function() fit{ "a", "b" } end, "demo.fit: unexpected entry [2] in the options (it takes 1 before the named ones)",
  "two positional")
options.declare("demo.plot", { "title" })
raises(function() options.check("demo.plot", { "x" }) end, "it takes only named ones", "positional where none")

-- completion inside the braces of a call
local function same(a, b) return table.concat(a, ",") == table.concat(b, ",") end
assert(same(options.complete("demo.fit{"), { "batch", "epochs", "loss", "optimizer" }), "after the brace")
assert(same(options.complete("demo.fit{train, epochs = 3, "), { "batch", "epochs", "loss", "optimizer" }),
  "after a comma")
assert(#options.complete("demo.fit{epochs = ") == 0, "a value position completes no option")
assert(#options.complete("demo.fit{title = 'a, ") == 0, "inside a string")
assert(#options.complete("demo.fit{epochs = 3}; x = {") == 0, "a closed call")
assert(same(options.complete("demo.plot(x, {"), { "title" }), "f(x, {...})")
assert(#options.complete("nosuch{") == 0, "a function that declares nothing")
options.declare("module:demo", { "patience" })
m = nn.linear(2, 1)
assert(same(options.complete("m:demo{"), { "patience" }), "a method of an object: " .. table.concat(options.complete("m:demo{"), ","))
m = nil
print("options: ok")
