// The Regimen extension: starts `regc lsp` for .regimen files (and, when
// regimen.legacyYaml is set, regimen.yml files) and talks to it over stdio.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('regimen');
  const command = config.get('regcPath') || 'regc';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  const selector = [{ scheme: 'file', language: 'regimen' }];
  if (config.get('legacyYaml')) {
    selector.push({ scheme: 'file', pattern: '**/regimen*.yml' });
  }
  client = new LanguageClient('regimen', 'regc lsp', { run: server, debug: server }, {
    documentSelector: selector,
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
