-- regc.lua: Neovim (0.7 or later) setup for .regimen files with regc lsp,
-- through Neovim's built-in LSP client. Put this file on 'runtimepath'
-- (e.g. ~/.config/nvim/lua/regc.lua) and in init.lua:
--
--   require('regc').setup({ cmd = 'regc' })   -- cmd: regc on PATH, or a path
--
-- Hover is `K` after `vim.keymap.set('n', 'K', vim.lsp.buf.hover)`; go to
-- definition vim.lsp.buf.definition, rename vim.lsp.buf.rename, format
-- vim.lsp.buf.formatting (0.7) or vim.lsp.buf.format (0.8+).
local M = {}

function M.setup(opts)
  opts = opts or {}
  vim.cmd('autocmd BufRead,BufNewFile *.regimen setfiletype regimen')
  local client_id
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'regimen',
    callback = function(args)
      if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
        client_id = vim.lsp.start_client({
          name = 'regc',
          cmd = { opts.cmd or 'regc', 'lsp' },
          root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h'),
          on_attach = opts.on_attach,
        })
      end
      vim.lsp.buf_attach_client(args.buf, client_id)
      vim.bo[args.buf].commentstring = '// %s'
    end,
  })
end

return M
