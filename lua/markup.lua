-- markup.lua: lesson text for the terminal. Renders the small markup that lessons
-- use (*emphasis*, **strong**, `code spans`, "# heading", "- item" lists, indented
-- verbatim blocks), reflows paragraphs to a width, and highlights Lua code. ANSI
-- escapes are written only when the caller asks for colour; plain output keeps the
-- backticks of code spans (they still mark code in plain text) and drops the stars.
local markup = {}

local SGR = {
  strong = "1", em = "3", code = "36", heading = "1;4", verbatim = "36",
  keyword = "35", string = "32", number = "33", comment = "2", builtin = "34",
  ok = "32", bad = "31", dim = "2",
}

-- Wraps s in the escape sequence of a style when colour is on.
function markup.style(s, name, colour)
  if not colour or s == "" then return s end
  local code = SGR[name]
  if not code then error(("markup.style: unknown style %q"):format(tostring(name)), 2) end
  return "\27[" .. code .. "m" .. s .. "\27[0m"
end

-- Width of s on screen: UTF-8 characters, not counting escape sequences. Invalid
-- UTF-8 counts bytes, so wrapping degrades instead of failing.
function markup.width(s)
  local visible = s:gsub("\27%[[%d;]*m", "")
  return utf8.len(visible) or #visible
end

-- Inline markup of one paragraph. A star opens emphasis only before a non-space and
-- after a space, start or opening punctuation, so `2*x*y` in prose stays as typed.
local function inline(text, colour)
  local out, i, n = {}, 1, #text
  local function opens(j, len)
    local before = j > 1 and text:sub(j - 1, j - 1) or " "
    local after = text:sub(j + len, j + len)
    return before:match("[%s%(%[{\"'/-]") and after ~= "" and not after:match("%s")
  end
  while i <= n do
    local c = text:sub(i, i)
    if c == "`" then
      local close = text:find("`", i + 1, true)
      if close then
        local code = text:sub(i + 1, close - 1)
        out[#out + 1] = colour and markup.style(code, "code", true) or ("`" .. code .. "`")
        i = close + 1
      else
        out[#out + 1] = c
        i = i + 1
      end
    elseif text:sub(i, i + 1) == "**" and opens(i, 2) then
      local close = text:find("**", i + 2, true)
      if close and not text:sub(close - 1, close - 1):match("%s") then
        out[#out + 1] = markup.style(inline(text:sub(i + 2, close - 1), colour), "strong", colour)
        i = close + 2
      else
        out[#out + 1] = "**"
        i = i + 2
      end
    elseif c == "*" and opens(i, 1) then
      local close = text:find("%*", i + 1)
      while close and (text:sub(close - 1, close - 1):match("%s") or text:sub(close + 1, close + 1) == "*") do
        close = text:find("%*", close + 2)
      end
      if close then
        out[#out + 1] = markup.style(inline(text:sub(i + 1, close - 1), colour), "em", colour)
        i = close + 1
      else
        out[#out + 1] = c
        i = i + 1
      end
    else
      local j = text:find("[`*]", i + 1) or n + 1
      out[#out + 1] = text:sub(i, j - 1)
      i = j
    end
  end
  return table.concat(out)
end

-- Greedy word wrap of styled text; lines after the first get `hang` spaces.
local function wrap(styled, width, first_prefix, hang)
  local lines, line, len = {}, first_prefix, markup.width(first_prefix)
  local empty = true
  for word in styled:gmatch("%S+") do
    local w = markup.width(word)
    if not empty and len + 1 + w > width then
      lines[#lines + 1] = line
      line, len, empty = string.rep(" ", hang), hang, true
    end
    if empty then
      line, len, empty = line .. word, len + w, false
    else
      line, len = line .. " " .. word, len + 1 + w
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

-- Removes the indentation common to all non-blank lines and the blank lines at
-- both ends, so lessons can indent their [[...]] text like code. When the text
-- starts on the line of its opening bracket (task{[[Write ...), that first line
-- has no indentation of its own and does not count, as in Python's cleandoc.
function markup.dedent(text)
  local lines = {}
  for l in (text .. "\n"):gmatch("(.-)\r?\n") do lines[#lines + 1] = l end
  local first_inline = text:match("^[^%s]") ~= nil
  while #lines > 0 and lines[1]:match("^%s*$") do table.remove(lines, 1) end
  while #lines > 0 and lines[#lines]:match("^%s*$") do table.remove(lines) end
  local common
  for k, l in ipairs(lines) do
    if not l:match("^%s*$") and not (k == 1 and first_inline) then
      local ind = #l:match("^ *")
      common = common and math.min(common, ind) or ind
    end
  end
  for k, l in ipairs(lines) do
    if not (k == 1 and first_inline) then lines[k] = l:sub((common or 0) + 1) end
  end
  return lines
end

-- Renders lesson text: paragraphs (separated by blank lines) are reflowed to width;
-- "# " lines are headings; "- " and "1. " lines are list items with a hanging
-- indent; lines indented by two or more spaces are kept as they are (formulas,
-- tables, code). Returns the rendered string without a final newline.
function markup.render(text, opts)
  if type(text) ~= "string" then
    error(("markup.render: text must be a string, got %s"):format(type(text)), 2)
  end
  opts = opts or {}
  local colour, width = opts.colour, opts.width or 78
  local out, para = {}, {}
  local function flush()
    if #para > 0 then
      out[#out + 1] = wrap(inline(table.concat(para, " "), colour), width, "", 0)
      para = {}
    end
  end
  local items -- the list item being collected: {prefix, words}
  local function flush_item()
    if items then
      local styled = inline(table.concat(items.words, " "), colour)
      out[#out + 1] = wrap(styled, width, items.prefix, markup.width(items.prefix))
      items = nil
    end
  end
  for _, l in ipairs(markup.dedent(text)) do
    local bullet = l:match("^([-*] )%S") or l:match("^(%d+[.)] )%S")
    if l:match("^%s*$") then
      flush(); flush_item()
      out[#out + 1] = ""
    elseif l:match("^#+ ") then
      flush(); flush_item()
      out[#out + 1] = markup.style(inline(l:gsub("^#+ ", ""), colour), "heading", colour)
    elseif bullet then
      flush(); flush_item()
      items = { prefix = bullet, words = { l:sub(#bullet + 1) } }
    elseif l:match("^  ") then
      if items and l:match("^%s+%S") and not l:match("^    ") then
        items.words[#items.words + 1] = l:match("^%s*(.-)%s*$") -- continuation of the item
      else
        flush(); flush_item()
        out[#out + 1] = markup.style(l, "verbatim", colour)
      end
    else
      flush_item()
      para[#para + 1] = l
    end
  end
  flush(); flush_item()
  return table.concat(out, "\n")
end

local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in local nil not
  or repeat return then true until while]]):gmatch("%a+") do KEYWORDS[w] = true end
local BUILTINS = {}
for w in ([[nn optim data plot print require self race spawn wait lesson playground
  help math string table]]):gmatch("%a+") do BUILTINS[w] = true end

-- Highlights Lua source for the terminal. Tokens are recognised with the same rules
-- as Lua's lexer for comments, long brackets, strings and numbers; anything else
-- passes through, so invalid code is shown as typed.
function markup.highlight(code, colour)
  if not colour then return code end
  local out, i, n = {}, 1, #code
  local function take(j, style)
    out[#out + 1] = markup.style(code:sub(i, j), style, true)
    i = j + 1
  end
  while i <= n do
    local long = code:match("^%-%-%[(=*)%[", i)
    local longstr = code:match("^%[(=*)%[", i)
    if long then
      local _, e = code:find("]" .. long .. "]", i, true)
      take(e or n, "comment")
    elseif code:match("^%-%-", i) then
      take((code:find("\n", i, true) or n + 1) - 1, "comment")
    elseif longstr then
      local _, e = code:find("]" .. longstr .. "]", i, true)
      take(e or n, "string")
    elseif code:match("^[\"']", i) then
      local q, j = code:sub(i, i), i + 1
      while j <= n and code:sub(j, j) ~= q and code:sub(j, j) ~= "\n" do
        j = j + (code:sub(j, j) == "\\" and 2 or 1)
      end
      take(math.min(j, n), "string")
    elseif code:match("^%d", i) or code:match("^%.%d", i) then
      local s, e = code:find("^0[xX][%x%.]+[pP]?[-+]?%x*", i)
      if not s then s, e = code:find("^%d*%.?%d*[eE][-+]?%d+", i) end
      if not s then s, e = code:find("^%d*%.?%d*", i) end
      take(e, "number")
    elseif code:match("^[%a_]", i) then
      local _, e = code:find("^[%w_]+", i)
      local word = code:sub(i, e)
      local prev = i > 1 and code:sub(i - 1, i - 1) or ""
      if KEYWORDS[word] then
        take(e, "keyword")
      elseif BUILTINS[word] and prev ~= "." and prev ~= ":" then
        take(e, "builtin")
      else
        out[#out + 1] = word
        i = e + 1
      end
    else
      local _, e = code:find("^[^%w_\"'%-%[%d%.]+", i)
      out[#out + 1] = code:sub(i, e or i)
      i = (e or i) + 1
    end
  end
  return table.concat(out)
end

-- Where each line may break, outside strings and comments and past its indentation:
-- at a space (the byte position, the space dropped), or after an opening bracket
-- (minus the position: a call's long arguments go on the next line). Long strings and
-- comments ([[...]]) may span lines; a short string or a -- comment ends with its line.
local function break_points(lines)
  local out, state, close = {}, "code", nil
  for li, l in ipairs(lines) do
    local pts, i, lead = {}, 1, #l:match("^%s*")
    while i <= #l do
      local c = l:sub(i, i)
      if state == "code" then
        local eq = l:match("^%-%-%[(=*)%[", i) or l:match("^%[(=*)%[", i)
        if eq then
          state, close = "long", "]" .. eq .. "]"
          i = i + #eq + (l:sub(i, i) == "-" and 3 or 1)
        elseif l:sub(i, i + 1) == "--" then
          break -- a comment to the end of the line
        elseif c == '"' or c == "'" then
          state, close = "short", c
        elseif c == " " and i > lead then
          pts[#pts + 1] = i
        elseif (c == "(" or c == "{") and i > lead and l:sub(i + 1, i + 1):match("[^%s%)}]") then
          pts[#pts + 1] = -i
        end
      elseif state == "short" then
        if c == "\\" then i = i + 1 elseif c == close then state = "code" end
      elseif l:sub(i, i + #close - 1) == close then
        state, i = "code", i + #close - 1
      end
      i = i + 1
    end
    if state == "short" then state = "code" end
    out[li] = pts
  end
  return out
end

-- A code line wider than cols, cut at its break points into pieces that fit (a piece
-- with no break point in reach stays long), the later ones indented under the first:
-- pasted back, the pieces are the same Lua.
local function wrap_code(l, pts, cols)
  if markup.width(l) <= cols or #pts == 0 then return {l} end
  local more = l:match("^%s*") .. "    "
  local pieces, start, indent = {}, 1, ""
  while true do
    local rest = l:sub(start)
    if markup.width(indent .. rest) <= cols then break end
    local cut, last -- the piece's last byte, and the next piece's first
    local space_cut, space_last -- the same at the last space that fits
    for _, p in ipairs(pts) do
      local e, s = p > 0 and p - 1 or -p, p > 0 and p + 1 or -p + 1
      if e >= start then
        local fits = markup.width(indent .. l:sub(start, e)) <= cols
        if cut == nil or fits then cut, last = e, s end
        if fits and p > 0 then space_cut, space_last = e, s end
        if not fits then break end
      end
    end
    -- a break between arguments reads better than one inside a call, unless it
    -- leaves the line much shorter
    if space_cut and space_cut ~= cut and markup.width(indent .. l:sub(start, space_cut)) >= 0.6 * cols then
      cut, last = space_cut, space_last
    end
    if not cut then break end
    pieces[#pieces + 1] = indent .. l:sub(start, cut)
    start, indent = last, more
    while l:sub(start, start) == " " do start = start + 1 end
  end
  pieces[#pieces + 1] = indent .. l:sub(start)
  return pieces
end

--- markup.wrap_code(lines, cols) -> lines: Lua source lines, each wider than cols
--- cut where it may break (outside strings and comments), the later pieces indented
--- under the first; pasted back, the pieces are the same Lua.
function markup.wrap_code(lines, cols)
  local pts, out = break_points(lines), {}
  for li, l in ipairs(lines) do
    for _, piece in ipairs(wrap_code(l, pts[li], cols)) do out[#out + 1] = piece end
  end
  return out
end

return markup
