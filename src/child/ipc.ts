import type { ExitCodeValue } from '../cli/exit-codes.js';

/**
 * The request/response protocol between rtbench and its child processes
 * (reference servers and the load generator), over Node's IPC channel.
 */
export interface IpcRequest {
  kind: 'request';
  id: number;
  method: string;
  params: unknown;
}

export interface IpcResponse {
  kind: 'response';
  id: number;
  result?: unknown;
  error?: { code: string; message: string; exitCode?: ExitCodeValue };
}

/** A message the child sends unasked: `ready` once at start, then progress. */
export interface IpcEvent {
  kind: 'event';
  name: string;
  data: unknown;
}

export type IpcMessage = IpcRequest | IpcResponse | IpcEvent;

export type RequestHandler = (params: any) => unknown;

/**
 * Serves requests from the parent in a child process. When the parent dies
 * the IPC channel closes and the child exits, so no reference server or
 * generator outlives rtbench, even after a SIGKILL.
 */
export function serveParentRequests(handlers: Record<string, RequestHandler>, onParentGone: () => void): void {
  if (!process.send) throw new Error('this module must run in a child process forked with an IPC channel');

  process.on('message', (message: IpcMessage) => {
    if (message?.kind !== 'request') return;
    void answer(handlers, message);
  });
  process.on('disconnect', onParentGone);
}

async function answer(handlers: Record<string, RequestHandler>, request: IpcRequest): Promise<void> {
  const handler = handlers[request.method];
  let response: IpcResponse;
  if (!handler) {
    response = { kind: 'response', id: request.id, error: { code: 'ERR_UNKNOWN_METHOD', message: `unknown method ${request.method}` } };
  } else {
    try {
      response = { kind: 'response', id: request.id, result: await handler(request.params) };
    } catch (error) {
      const { code, message, exitCode } = error as { code?: string; message?: string; exitCode?: ExitCodeValue };
      response = {
        kind: 'response',
        id: request.id,
        error: { code: code ?? 'ERR_CHILD', message: message ?? String(error), exitCode },
      };
    }
  }
  sendToParent(response);
}

export function emitToParent(name: string, data: unknown): void {
  sendToParent({ kind: 'event', name, data });
}

function sendToParent(message: IpcMessage): void {
  if (process.connected) process.send?.(message);
}
