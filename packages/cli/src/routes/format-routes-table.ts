/** A route as `router.list()` describes it; the view may be a display name or the view function. */
export interface RouteTableRow {
  readonly pattern: string;
  readonly name?: string | null;
  readonly view?: unknown;
  readonly methods?: readonly string[] | null;
}

const HEADERS = ['PATTERN', 'NAME', 'VIEW', 'METHODS'] as const;

/**
 * The route table `manage routes` prints: one row per route, columns aligned
 * with spaces, no trailing blanks. Patterns are shown as URL paths (leading
 * '/'), a missing name as '-', a route open to every method (`['*']`,
 * null or empty) as 'ANY'.
 * @example formatRoutesTable([{ pattern: 'posts/<int:id>/', name: 'blog:detail', view: 'detail', methods: ['GET'] }])
 * // PATTERN          NAME         VIEW    METHODS
 * // /posts/<int:id>/ blog:detail  detail  GET
 */
export function formatRoutesTable(routes: readonly RouteTableRow[]): string {
  const rows = routes.map((route) => [
    route.pattern.startsWith('/') ? route.pattern : `/${route.pattern}`,
    route.name || '-',
    viewLabel(route.view),
    methodsLabel(route.methods),
  ]);
  const table = [[...HEADERS], ...rows];
  const widths = HEADERS.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}

/** A readable name for a view: a string as is, a function by its viewName or name. */
export function viewLabel(view: unknown): string {
  if (typeof view === 'string') return view || '(anonymous)';
  if (typeof view === 'function') {
    const described = (view as { viewName?: unknown }).viewName;
    if (typeof described === 'string' && described) return described;
    return view.name || '(anonymous)';
  }
  return '(unknown)';
}

function methodsLabel(methods: readonly string[] | null | undefined): string {
  if (!methods || methods.length === 0 || methods.includes('*')) return 'ANY';
  return methods.join(', ');
}
