// The notifications an LSP 3.17 client sends a server: the protocol's, each marked with its
// direction in vscode-languageserver-protocol, and vscode-jsonrpc's own.
import * as protocol from 'vscode-languageserver-protocol';

const isClientNotification = (v: unknown): v is { method: string } => {
  const { type, messageDirection } = (v ?? {}) as { type?: unknown; messageDirection?: string };
  const notification = type instanceof protocol.NotificationType || type instanceof protocol.NotificationType0;
  return notification && (messageDirection === protocol.MessageDirection.clientToServer || messageDirection === protocol.MessageDirection.both);
};

export const CLIENT_NOTIFICATIONS: readonly string[] = [
  ...(Object.values(protocol) as unknown[]).filter(isClientNotification).map((n) => n.method),
  '$/cancelRequest',
  protocol.SetTraceNotification.type.method,
];
