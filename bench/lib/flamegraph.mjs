// Turn a V8 CPU profile (`node --cpu-prof`) into a flame graph (SVG) and a
// table of where the time went, counting only the samples taken inside a
// time window: a server's profile also holds its start-up and warm-up, which
// are not what a steady-state benchmark measures.

/**
 * What a frame belongs to: Atrium's packages, the application's own code (a
 * benchmark app, a project), a dependency under node_modules, node's
 * JavaScript internals, garbage collection, or native code (node's C++
 * bindings such as the socket's writev, V8 builtins, the unattributed
 * "(program)" ticks). A native add-on called from JavaScript (better-sqlite3)
 * is counted in its JavaScript caller: V8 gives it no frame of its own.
 */
export function frameCategory(url, functionName) {
  if (functionName === '(garbage collector)') return 'gc';
  if (url === '' || url === undefined) return 'native';
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/node_modules/')) return 'dependency';
  if (/\/packages\/[^/]+\/(dist|src)\//.test(url)) return 'atrium';
  return 'app';
}

/** A short, readable location: `@atrium/orm dist/query/fetch.js:12`, `kysely …/query-executor.js:40`, `node:_http_server:530`. */
export function shortLocation(url, lineNumber) {
  if (!url) return '';
  const line = lineNumber >= 0 ? `:${lineNumber + 1}` : '';
  const file = url.replace(/^file:\/\//, '');
  const dependency = file.lastIndexOf('/node_modules/');
  if (dependency >= 0) {
    const rest = file.slice(dependency + '/node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${name} ${rest[rest.length - 1]}${line}`;
  }
  const atrium = /\/packages\/([^/]+)\/(.+)$/.exec(file);
  if (atrium) return `@atrium/${atrium[1]} ${atrium[2]}${line}`;
  const bench = /\/bench\/(.+)$/.exec(file);
  if (bench) return `bench/${bench[1]}${line}`;
  return `${file.split('/').slice(-2).join('/')}${line}`;
}

/**
 * Count the samples of `profile` taken in [fromUs, toUs] (µs on the same
 * monotonic clock as `process.hrtime`, which V8's profiler uses on Linux),
 * as a tree of frames merged by name and location along each path.
 * `(idle)` samples are counted apart: a server waiting for I/O is not busy.
 * @returns {{ root: FlameNode, busy: number, idle: number }}
 */
export function foldCpuProfile(profile, { fromUs = -Infinity, toUs = Infinity } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const hits = new Map();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < fromUs || time > toUs) continue;
    hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + 1);
  }

  const root = newNode('all', '', 'native');
  let busy = 0;
  let idle = 0;
  for (const [id, count] of hits) {
    const path = [];
    for (let at = id; at !== undefined; at = parentOf.get(at)) path.push(byId.get(at));
    path.reverse();
    // path[0] is V8's "(root)"; an idle sample is "(root) > (idle)".
    const frames = path.slice(1);
    if (frames.length === 1 && frames[0].callFrame.functionName === '(idle)') {
      idle += count;
      continue;
    }
    busy += count;
    let at = root;
    at.total += count;
    for (const { callFrame } of frames) {
      const name = callFrame.functionName || '(anonymous)';
      const location = shortLocation(callFrame.url, callFrame.lineNumber);
      const key = `${name}\u0000${location}`;
      let child = at.children.get(key);
      if (!child) {
        child = newNode(name, location, frameCategory(callFrame.url, callFrame.functionName));
        at.children.set(key, child);
      }
      child.total += count;
      at = child;
    }
    at.self += count;
  }
  return { root, busy, idle };
}

function newNode(name, location, category) {
  return { name, location, category, self: 0, total: 0, children: new Map() };
}

/** Self samples per function (name + location) over the whole tree, largest first. */
export function selfTimes(root) {
  const totals = new Map();
  const visit = (node) => {
    if (node.self > 0 && node !== root) {
      const key = `${node.name} ${node.location}`.trim();
      const entry = totals.get(key) ?? { name: node.name, location: node.location, category: node.category, self: 0 };
      entry.self += node.self;
      totals.set(key, entry);
    }
    for (const child of node.children.values()) visit(child);
  };
  visit(root);
  return [...totals.values()].sort((a, b) => b.self - a.self);
}

/** Self samples per category (see frameCategory). */
export function categoryShares(root) {
  const shares = { atrium: 0, app: 0, dependency: 0, node: 0, gc: 0, native: 0 };
  for (const entry of selfTimes(root)) shares[entry.category] += entry.self;
  return shares;
}

const COLORS = {
  atrium: ['#e8743b', '#f0a35e'],
  app: ['#d4b106', '#e6cc4d'],
  dependency: ['#5aa469', '#8cc68f'],
  node: ['#4f81bd', '#7fa7d6'],
  gc: ['#c0392b', '#d9675b'],
  native: ['#8c8c8c', '#b0b0b0'],
};
const ROW = 17;
const CHAR_WIDTH = 6.6;

/**
 * An SVG flame graph of `root` (callers below, callees above, width =
 * share of busy samples). Frames narrower than `minWidth` pixels are left
 * out; hovering a frame shows its name, location and share.
 */
export function renderFlamegraph(root, { title, subtitle = '', width = 1200, minWidth = 0.5 } = {}) {
  const total = root.total || 1;
  const scale = (width - 20) / total;
  const rects = [];
  let depth = 0;
  const place = (node, x, level) => {
    const w = node.total * scale;
    if (w < minWidth) return;
    depth = Math.max(depth, level);
    rects.push({ node, x, w, level });
    let childX = x;
    for (const child of [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      place(child, childX, level + 1);
      childX += child.total * scale;
    }
  };
  place(root, 10, 0);
  const top = 56;
  const height = top + (depth + 1) * ROW + 30;
  const baseY = height - 30 - ROW;
  const legend = Object.entries(COLORS)
    .map(([category, [color]], i) => `<rect x="${10 + i * 120}" y="${height - 20}" width="12" height="12" fill="${color}"/><text x="${26 + i * 120}" y="${height - 10}">${category}</text>`)
    .join('');
  const frames = rects
    .map(({ node, x, w, level }, i) => {
      const y = baseY - level * ROW;
      const share = ((100 * node.total) / total).toFixed(2);
      const label = node.location ? `${node.name} (${node.location})` : node.name;
      const fill = COLORS[node.category][i % 2];
      const fit = Math.floor((w - 6) / CHAR_WIDTH);
      const text = fit >= 3 ? `<text x="${(x + 3).toFixed(1)}" y="${y + 12}">${escapeXml(label.length > fit ? `${label.slice(0, fit - 1)}…` : label)}</text>` : '';
      return `<g><title>${escapeXml(`${label}: ${share}% (${node.total} samples, ${node.self} self)`)}</title><rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 1}" rx="2" fill="${fill}"/>${text}</g>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="20" font-size="15">${escapeXml(title ?? 'CPU profile')}</text>
<text x="10" y="40" fill="#555">${escapeXml(subtitle)}</text>
${frames}
${legend}
</svg>
`;
}

const XML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}
