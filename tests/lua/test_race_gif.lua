-- test_race_gif.lua: r:export{gif =} and w:record{gif =} write animated GIFs (offscreen,
-- no display): the file is GIF89a, loops, has one image per exported step and the
-- delay asked for; the file's blocks are walked here, independently of giflib.
local race = require "race"
local plot = require "plot"

local dir = os.getenv("TMPDIR") or "/tmp"
local base = ("%s/nnlab-gif-test-%d"):format(dir, os.time())

-- The GIF's blocks: {width, height, images, delays = {...}, loop = n or nil}.
local function walk(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("a")
    f:close()
    assert(s:sub(1, 6) == "GIF89a", path .. " does not start with GIF89a")
    local w, h, flags = string.unpack("<I2I2B", s, 7)
    local pos = 14
    if flags & 0x80 ~= 0 then pos = pos + 3 * (2 << (flags & 7)) end
    local out = {width = w, height = h, images = 0, delays = {}}
    local function sub_blocks(p) -- skips data sub-blocks, returns the first of them
        local first
        while true do
            local n = s:byte(p)
            assert(n, path .. ": cut short")
            if n == 0 then return p + 1, first end
            first = first or s:sub(p + 1, p + n)
            p = p + 1 + n
        end
    end
    while true do
        local b = s:byte(pos)
        if b == 0x3B then break end -- the trailer
        if b == 0x21 then
            local label = s:byte(pos + 1)
            if label == 0xF9 then
                out.delays[#out.delays + 1] = string.unpack("<I2", s, pos + 4)
            end
            local app
            pos, app = sub_blocks(pos + 2)
            if label == 0xFF and app == "NETSCAPE2.0" then
                out.loop = string.unpack("<I2", s, pos - 3) -- the sub-block {1, lo, hi}
            end
        elseif b == 0x2C then
            local iflags = s:byte(pos + 9)
            pos = pos + 10
            if iflags & 0x80 ~= 0 then pos = pos + 3 * (2 << (iflags & 7)) end
            pos = sub_blocks(pos + 1) -- after the LZW code size
            out.images = out.images + 1
        else
            error(("%s: unexpected byte 0x%02x at %d"):format(path, b, pos))
        end
    end
    return out
end

-- a short race, every 5th step of 40: frames at steps 0, 5, ..., 40
local r = race{surface = "saddle", optimizers = {"gd", "momentum", {"adam", lr = 0.05}},
               steps = 40, show = false}
r:rewind(7)
local gif = base .. "-race.gif"
local n = r:export{gif = gif, every = 5, fps = 25}
assert(n == 9, "9 frames, got " .. n)
assert(r.shown == 7, "export puts the shown step back")
local g = walk(gif)
assert(g.images == 9, "9 images in the GIF, got " .. g.images)
assert(#g.delays == 9 and g.delays[1] == 4 and g.delays[9] == 4, "delay 4 cs at 25 fps")
assert(g.loop == 0, "loops forever")
assert(g.width >= 64 and g.height >= 64, ("size %d x %d"):format(g.width, g.height))
os.remove(gif)

-- PNGs and the GIF together
local m = r:export{gif = gif, prefix = base, upto = 2}
assert(m == 3 and walk(gif).images == 3)
for i = 0, 2 do
    local f = assert(io.open(("%s-%06d.png"):format(base, i), "rb"), "png frame " .. i)
    f:close()
    os.remove(("%s-%06d.png"):format(base, i))
end
os.remove(gif)

-- bad arguments and paths are refused with a message naming them
local ok, err = pcall(r.export, r, {every = 2})
assert(not ok and err:find("gif ="), err)
ok, err = pcall(r.export, r, {gif = "/nonexistent-dir/race.gif"})
assert(not ok and err:find("/nonexistent-dir/race.gif", 1, true), err)

-- a window of plain plots recorded frame by frame
local p = plot.lines{show = false, title = "gif"}
local w = plot.window{p, show = false, width = 320, height = 200}
local wgif = base .. "-window.gif"
w:record{gif = wgif, fps = 10}
for i = 1, 4 do
    p:push("y", i * i)
    assert(w:frame() == i, "w:frame counts the frames")
end
w:record(nil)
local wg = walk(wgif)
assert(wg.images == 4 and wg.width == 320 and wg.height == 200 and wg.delays[1] == 10,
    ("window GIF: %d images, %d x %d, delay %s"):format(wg.images, wg.width, wg.height,
        tostring(wg.delays[1])))
os.remove(wgif)
ok, err = pcall(w.frame, w)
assert(not ok and err:find("not recording"), err)
ok, err = pcall(w.record, w, {gif = wgif, fps = 60})
assert(not ok and err:find("fps 60"), err)
ok, err = pcall(w.record, w, {gif = wgif, fps = 2.5})
assert(not ok and err:find("fps"), err)
print("race gif ok")
