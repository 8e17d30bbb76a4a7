-- record.lua: the lab record. `:record NAME` starts recording the session: every
-- command typed, what it printed (results, errors, lesson pages), and each window
-- that changed, as a PNG taken when the command ended; `:record stop` writes
-- NAME.md (images beside it in NAME_files/) and NAME.html (images embedded) for
-- the student to hand in. The prompt calls record._input/_output/_after; this file
-- knows nothing else of the REPL.
local record = {}

local cur -- {name, dir, started, entries = {{kind, text | path}}, last = {window -> png}}

-- Written files go through these (captured at load: --safe may remove io later).
local io_open, os_date, os_remove = io.open, os.date, os.remove

local function need_core()
  local ok, core = pcall(require, "repl.core")
  return ok and core or nil
end

local function read_file(path)
  local f = io_open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function write_file(path, s)
  local f, err = io_open(path, "wb")
  if not f then error("record: cannot write " .. path .. ": " .. tostring(err), 0) end
  f:write(s)
  f:close()
end

local function add(kind, text)
  local last = cur.entries[#cur.entries]
  if kind == "output" and last and last.kind == "output" then
    last.text = last.text .. text -- one block per command, however it was printed
  else
    cur.entries[#cur.entries + 1] = { kind = kind, text = text }
  end
end

--- active() -> the name being recorded, or nil.
function record.active() return cur and cur.name end

--- start(name): records from now on into name.md and name.html (in the current
--- folder, or a path). Refuses while another record runs.
function record.start(name)
  if type(name) ~= "string" or not name:match("^[%w_%-./]+$") then
    error("record: name the record with letters, digits, '-', '_' or a path: :record lab3", 0)
  end
  if cur then error(("record: already recording %s; :record stop first"):format(cur.name), 0) end
  name = name:gsub("%.md$", ""):gsub("%.html$", "")
  local dir = name .. "_files"
  local core = need_core()
  if core and core.mkdir then core.mkdir(dir) end
  cur = { name = name, dir = dir, started = os_date("%Y-%m-%d %H:%M"), entries = {}, last = {}, nshots = 0 }
  local okl, lesson = pcall(require, "lesson")
  if okl and type(lesson._write) == "function" then
    cur.lesson, cur.lesson_write = lesson, lesson._write
    lesson._write = function(s)
      cur.lesson_write(s)
      if cur then add("output", s) end
    end
  end
  print(("Recording to %s.md and %s.html: every command, its output and the plots shown. :record stop ends it.")
    :format(name, name))
  if core and core.record_on then core.record_on(true) end
end

--- Called by the prompt with each command typed, before it runs.
function record._input(chunk)
  if cur then add("input", chunk) end
end

--- Called by the prompt with what a command printed (stdout and errors).
function record._output(text)
  if cur then add("output", text) end
end

-- The shown windows, through the binding's registry of open windows.
local function open_windows()
  local list = {}
  local reg = debug.getregistry()["nnlab.viz.open"]
  if type(reg) ~= "table" then return list end
  for _, w in pairs(reg) do list[#list + 1] = w end
  return list
end

--- Called by the prompt when a command has ended: a PNG of each window that looks
--- different from its last picture.
function record._after()
  if not cur then return end
  for _, w in ipairs(open_windows()) do
    local ok, open = pcall(function() return w:is_open() end)
    if ok and open then
      local path = ("%s/plot_%03d.png"):format(cur.dir, cur.nshots + 1)
      local saved = pcall(function() w:save(path) end)
      local png = saved and read_file(path)
      if png and png ~= cur.last[w] then
        cur.last[w] = png
        cur.nshots = cur.nshots + 1
        add("image", path)
      elseif png then
        os_remove(path) -- unchanged since its last picture
      end
    end
  end
end

local function base64(s)
  local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local q = {}
    for k = 3, 0, -1 do
      local v = (n >> (6 * k)) & 63
      q[#q + 1] = chars:sub(v + 1, v + 1)
    end
    if not b then q[3], q[4] = "=", "=" elseif not c then q[4] = "=" end
    out[#out + 1] = table.concat(q)
  end
  return table.concat(out)
end

local function html_escape(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

-- The terminal's colours and cursor moves have no place in a document.
local function plain(s)
  return (s:gsub("\27%[[%d;?]*[%a]", ""):gsub("\r", ""))
end

local function fenced(code, lang)
  local fence = "```"
  while code:find(fence, 1, true) do fence = fence .. "`" end
  return fence .. (lang or "") .. "\n" .. code:gsub("\n$", "") .. "\n" .. fence
end

local function markdown(r)
  local out = { ("# Lab record: %s"):format(r.name), "",
    ("Recorded with nnlab from %s to %s."):format(r.started, r.ended), "" }
  for _, e in ipairs(r.entries) do
    if e.kind == "input" then
      out[#out + 1] = fenced("nn> " .. e.text:gsub("\n", "\n..> "), "lua")
    elseif e.kind == "output" then
      out[#out + 1] = fenced(plain(e.text))
    else
      -- the link is relative to the .md, which sits beside its _files folder
      local file = e.text:match("[^/]+$")
      out[#out + 1] = ("![%s](%s/%s)"):format(file, r.dir:match("[^/]+$"), file)
    end
    out[#out + 1] = ""
  end
  return table.concat(out, "\n")
end

local function html(r)
  local out = { "<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
    ("<title>Lab record: %s</title>"):format(html_escape(r.name)),
    "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
      .. "pre{background:#f4f4f4;padding:.6em;overflow-x:auto}"
      .. "pre.in{background:#e8eef8}img{max-width:100%;border:1px solid #ccc}</style>",
    "</head><body>", ("<h1>Lab record: %s</h1>"):format(html_escape(r.name)),
    ("<p>Recorded with nnlab from %s to %s.</p>"):format(r.started, r.ended) }
  for _, e in ipairs(r.entries) do
    if e.kind == "input" then
      out[#out + 1] = "<pre class=\"in\">nn&gt; " .. html_escape(e.text):gsub("\n", "\n..&gt; ") .. "</pre>"
    elseif e.kind == "output" then
      out[#out + 1] = "<pre>" .. html_escape(plain(e.text)) .. "</pre>"
    else
      local png = read_file(e.text)
      if png then
        out[#out + 1] = ("<p><img alt=\"%s\" src=\"data:image/png;base64,%s\"></p>")
          :format(html_escape(e.text:match("[^/]+$")), base64(png))
      end
    end
  end
  out[#out + 1] = "</body></html>"
  return table.concat(out, "\n")
end

--- stop() -> md path, html path: ends the record and writes both files.
function record.stop()
  if not cur then error("record: nothing is being recorded; :record NAME starts", 0) end
  local r = cur
  cur = nil
  local core = need_core()
  if core and core.record_on then core.record_on(false) end
  if r.lesson then r.lesson._write = r.lesson_write end
  r.ended = os_date("%Y-%m-%d %H:%M")
  -- the :record stop line itself is no part of the lab
  if r.entries[#r.entries] and r.entries[#r.entries].kind == "input" then r.entries[#r.entries] = nil end
  local md, page = r.name .. ".md", r.name .. ".html"
  write_file(md, markdown(r))
  write_file(page, html(r))
  local n = 0
  for _, e in ipairs(r.entries) do if e.kind == "input" then n = n + 1 end end
  print(("Wrote %s and %s: %d command%s, %d plot%s."):format(md, page, n, n == 1 and "" or "s",
    r.nshots, r.nshots == 1 and "" or "s"))
  return md, page
end

return record
