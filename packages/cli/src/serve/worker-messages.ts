/** What a `manage serve` worker tells the primary over IPC. */
export type WorkerMessage =
  /** The worker loaded the project and listens on every address: it may take traffic. */
  | { type: 'atrium:ready'; urls: string[] }
  /** Sent every second while the event loop runs; silence means the worker hangs. */
  | { type: 'atrium:heartbeat' }
  /** The worker reached --max-requests or --max-memory: start a replacement, then drain it. */
  | { type: 'atrium:recycle'; reason: string };

/** What the primary tells a worker: finish in-flight requests, then exit 0. */
export interface DrainMessage {
  type: 'atrium:drain';
}

/** True for a well-formed WorkerMessage (IPC carries whatever the worker sends). */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; urls?: unknown; reason?: unknown };
  switch (message.type) {
    case 'atrium:ready':
      return Array.isArray(message.urls) && message.urls.every((url) => typeof url === 'string');
    case 'atrium:heartbeat':
      return true;
    case 'atrium:recycle':
      return typeof message.reason === 'string';
    default:
      return false;
  }
}

/** True for the primary's drain request. */
export function isDrainMessage(value: unknown): value is DrainMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'atrium:drain';
}
