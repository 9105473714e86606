import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isIgnoredName, isIgnoredPath } from './watch-ignore.js';

/**
 * Watches a project folder tree for changes, skipping node_modules, .git,
 * dist, collected static files and databases.
 *
 * One non-recursive fs.watch per folder instead of `{ recursive: true }`: on
 * Linux, Node 20 implements recursive watching by watching every subfolder,
 * node_modules included, which is slow and can exhaust inotify watches.
 * @example const watcher = await ProjectWatcher.start(root, (file) => console.log(file, 'changed'));
 */
export class ProjectWatcher {
  readonly #root: string;
  readonly #onChange: (relativePath: string) => void;
  readonly #onWarning: (message: string) => void;
  readonly #watchers = new Map<string, FSWatcher>();
  #closed = false;

  private constructor(root: string, onChange: (relativePath: string) => void, onWarning: (message: string) => void) {
    this.#root = root;
    this.#onChange = onChange;
    this.#onWarning = onWarning;
  }

  /** Start watching `root`; resolves once every existing folder is watched. */
  static async start(root: string, onChange: (relativePath: string) => void, onWarning: (message: string) => void = () => {}): Promise<ProjectWatcher> {
    const watcher = new ProjectWatcher(root, onChange, onWarning);
    await watcher.#watchTree(root);
    return watcher;
  }

  /** How many folders are watched. */
  get size(): number {
    return this.#watchers.size;
  }

  close(): void {
    this.#closed = true;
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  async #watchTree(dir: string): Promise<void> {
    if (this.#closed || this.#watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, filename) => this.#changed(dir, filename === null ? null : String(filename)));
    } catch (error) {
      this.#onWarning(`Cannot watch ${dir} (${(error as Error).message}); changes there will not restart the server.`);
      return;
    }
    // A watched folder that is deleted reports an error; forget it quietly.
    watcher.on('error', () => this.#forget(dir));
    this.#watchers.set(dir, watcher);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      this.#forget(dir);
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !isIgnoredName(entry.name, true)) await this.#watchTree(join(dir, entry.name));
    }
  }

  #changed(dir: string, filename: string | null): void {
    if (this.#closed) return;
    const path = filename === null ? dir : join(dir, filename);
    const rel = relative(this.#root, path);
    if (rel !== '' && isIgnoredPath(rel)) return;
    this.#onChange(rel === '' ? '.' : rel);
    // A new folder (or one moved in) needs its own watcher.
    if (filename !== null && !this.#watchers.has(path)) {
      stat(path).then(
        (stats) => (stats.isDirectory() ? this.#watchTree(path) : undefined),
        () => this.#forget(path),
      );
    }
  }

  #forget(dir: string): void {
    for (const [path, watcher] of this.#watchers) {
      if (path === dir || path.startsWith(`${dir}/`) || path.startsWith(`${dir}\\`)) {
        watcher.close();
        this.#watchers.delete(path);
      }
    }
  }
}
