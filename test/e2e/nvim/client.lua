-- Neovim (0.7 API, whose client only takes pushed diagnostics) as a real LSP client of
-- klp-lens on a copy of examples/: opens lp-cmdline.c and lp-cdrom.c, waits for their
-- diagnostics, hovers "cmdline_proc_show", writes what it saw as JSON and quits.
-- test/e2e/neovim.test.ts runs it:
--   KLP_NVIM_SERVER=<repo>/dist/server.js KLP_NVIM_ROOT=<copy> KLP_NVIM_OUT=<out.json> \
--     nvim --headless --clean -c 'luafile test/e2e/nvim/client.lua'
local server = assert(os.getenv('KLP_NVIM_SERVER'), 'KLP_NVIM_SERVER unset')
local root = assert(os.getenv('KLP_NVIM_ROOT'), 'KLP_NVIM_ROOT unset')
local out = assert(os.getenv('KLP_NVIM_OUT'), 'KLP_NVIM_OUT unset')
local WAIT_MS = 30000

local seen = { events = {}, diagnostics = {} }

local function event(text)
  table.insert(seen.events, text)
end

local function run()
  vim.lsp.set_log_level('info')
  seen.log = vim.lsp.get_log_path()
  local kernel = 'not announced'
  -- Neovim 0.7 answers workspace/configuration from `settings` but does not announce it.
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.workspace.configuration = true
  local client_id = vim.lsp.start_client({
    name = 'klp-lens',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    capabilities = capabilities,
    settings = { klpLens = { kernel = { buildDir = root .. '/kernel' } } },
    handlers = {
      ['klpLens/kernelStatus'] = function(_, status)
        kernel = status.state
        event('kernel ' .. status.state .. ': ' .. status.description)
      end,
    },
    on_exit = function(code, signal)
      event(('server exited: code %s, signal %s'):format(code, signal))
    end,
  })
  assert(client_id, 'vim.lsp.start_client failed')
  -- Files opened once the kernel is read get their complete findings in the first publish.
  assert(vim.wait(WAIT_MS, function() return kernel == 'ready' end, 20), 'the kernel is ' .. kernel)

  local function open(name)
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. name))
    local bufnr = vim.api.nvim_get_current_buf()
    assert(vim.lsp.buf_attach_client(bufnr, client_id), 'cannot attach the client to ' .. name)
    assert(vim.wait(WAIT_MS, function() return #vim.diagnostic.get(bufnr) > 0 end, 20), 'no diagnostics for ' .. name)
    event('diagnostics for ' .. name)
    return bufnr
  end

  local cmdline = open('lp-cmdline.c')
  -- Line 25 (1-based): .old_name = "cmdline_proc_show", hovered inside the name.
  local line = vim.api.nvim_buf_get_lines(cmdline, 24, 25, true)[1]
  local quote = assert(line:find('"cmdline_proc_show"', 1, true), 'line 25 of lp-cmdline.c: ' .. line)
  local params = { textDocument = vim.lsp.util.make_text_document_params(cmdline), position = { line = 24, character = quote + 1 } }
  local responses, err = vim.lsp.buf_request_sync(cmdline, 'textDocument/hover', params, WAIT_MS)
  assert(responses, 'hover: ' .. tostring(err))
  local response = responses[client_id] or {}
  assert(not response.err, 'hover: ' .. vim.inspect(response.err))
  seen.hover = response.result

  local cdrom = open('lp-cdrom.c')
  for name, bufnr in pairs({ ['lp-cmdline.c'] = cmdline, ['lp-cdrom.c'] = cdrom }) do
    seen.diagnostics[name] = vim.tbl_map(function(d)
      return { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source, message = d.message }
    end, vim.diagnostic.get(bufnr))
  end
end

local ok, err = xpcall(run, debug.traceback)
if not ok then seen.error = err end
local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(seen))
file:close()
vim.cmd('qa!')
