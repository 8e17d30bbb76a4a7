-- init.lua: runs when nnlab starts, in every mode (prompt, script, -e). Sets the
-- globals a user sees. Each module owner adds one line `x = require "x"` below.
repl = require "repl"
local help = require "help"

_G.help = help.help
apropos = help.apropos
spawn = repl.spawn
jobs = repl.jobs
wait = repl.wait
lesson = require "lesson"
lesson._install(repl)
nn = require "nn"
optim = require "optim"
data = require "data"
plot = require "plot"
dual = require "dual"
race = require "race"
playground = require "playground"
experiment = require "experiment"
ae = require "ae"
gan = require "gan"
require("rbm").install() -- nn.rbm, nn.dbn*, data.digits (issue 18)
text = require "text" -- corpora, sequence sets, word2vec, decoding (issue 14); adds data.text
conv = require("convpg").new
require "views_cnn" -- plot.filters, plot.explain, plot.saliency, plot.top_images
require "transfer" -- m:freeze(i, j), m:replace(k, layer), m:features(d, k)
-- last, before any user code: Ctrl-C that pcall cannot swallow, and --safe
local sandbox = require "sandbox"
sandbox.guard_interrupts()
if repl.safe then sandbox.apply() end
package.loaded.sandbox = nil
