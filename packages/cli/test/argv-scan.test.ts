import { describe, expect, it } from 'vitest';
import { scanArgv } from '../src/argv-scan.js';

describe('scanArgv', () => {
  it('finds the command and the global options wherever they are', () => {
    expect(scanArgv(['--settings', 'conf/settings.ts', 'check', '--deploy'])).toEqual({ command: 'check', settings: 'conf/settings.ts', traceback: false, version: false });
    expect(scanArgv(['routes', '--settings=other.ts', '--traceback'])).toEqual({ command: 'routes', settings: 'other.ts', traceback: true, version: false });
  });

  it('tells --version from a command option and finds help targets', () => {
    expect(scanArgv(['--version'])).toEqual({ traceback: false, version: true });
    expect(scanArgv(['help', 'migrate'])).toEqual({ command: 'help', helpTarget: 'migrate', traceback: false, version: false });
    expect(scanArgv([])).toEqual({ traceback: false, version: false });
  });

  it('stops at --', () => {
    expect(scanArgv(['--', 'check'])).toEqual({ traceback: false, version: false });
  });
});
