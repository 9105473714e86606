import { PortUnavailable } from '../errors.js';
import { urlHost, type AddrPort } from './addrport.js';

/**
 * The error to report when listening on `target` failed: a PortUnavailable
 * that says why and what to do for the usual causes, else `error` itself.
 * @example throw listenError(error, { host: '127.0.0.1', port: 80 }, (port) => `manage runserver ${port}`);
 */
export function listenError(error: unknown, target: AddrPort, suggest: (port: number) => string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${urlHost(target.host)}:${target.port}`;
  if (code === 'EADDRINUSE') {
    return new PortUnavailable(`Port ${target.port} is already in use on ${target.host} (${where}); stop the other server or pick another port, e.g. ${suggest(target.port + 1)}.`, { cause: error });
  }
  if (code === 'EACCES') {
    return new PortUnavailable(`Permission denied listening on ${where}; ports below 1024 need privileges, so pick a port such as 8000.`, { cause: error });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new PortUnavailable(`Address ${target.host} is not available on this machine (${where}); use 127.0.0.1, 0.0.0.0 or one of its own addresses.`, { cause: error });
  }
  return error;
}
