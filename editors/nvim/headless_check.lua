-- A check of regc lsp with Neovim's own LSP client, run headless:
--
--   REGC=path/to/regc FILE=x.regimen LINE=45 COL=7 OUT=result.txt \
--     nvim --headless -u NONE -c 'luafile editors/nvim/headless_check.lua'
--
-- It opens FILE with editors/nvim/regc.lua's setup, waits for regc's
-- diagnostics, asks for a hover at LINE:COL (zero-based), and writes what
-- it received to OUT, then quits (exit code 1 when nothing came).
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*/)') or './'
package.path = here .. '?.lua;' .. package.path
local out = assert(io.open(os.getenv('OUT'), 'w'))
require('regc').setup({ cmd = os.getenv('REGC') })
vim.cmd('filetype on')
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('FILE')))
local buf = vim.api.nvim_get_current_buf()
out:write('filetype ' .. vim.bo[buf].filetype .. '\n')
local ok = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  out:write(string.format('diagnostic %d:%d-%d:%d %s [%s]\n', d.lnum, d.col, d.end_lnum, d.end_col, d.message, tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code))))
end
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(os.getenv('LINE')), character = tonumber(os.getenv('COL')) },
}
local results = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000) or {}
local hovered = false
for _, r in pairs(results) do
  if r.result and r.result.contents then
    hovered = true
    out:write('hover ' .. r.result.contents.value .. '\n')
  elseif r.err then
    out:write('hover error ' .. vim.inspect(r.err) .. '\n')
  end
end
out:close()
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.cmd((ok and hovered) and 'qa!' or 'cq!')
