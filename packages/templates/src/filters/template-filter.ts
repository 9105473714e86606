/** A Nunjucks filter: the piped value first, then the filter's arguments. */
export type TemplateFilter = (value: unknown, ...args: unknown[]) => unknown;

/** A filter's integer argument, or null when it is missing or not an integer. */
export function integerArgument(arg: unknown): number | null {
  const number = typeof arg === 'string' && arg.trim() !== '' ? Number(arg) : arg;
  return typeof number === 'number' && Number.isInteger(number) ? number : null;
}
