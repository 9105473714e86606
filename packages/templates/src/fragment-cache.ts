import { createHash } from 'node:crypto';
import type nunjucks from 'nunjucks';
import type { AppContext } from '@atrium/core';
import { caches, type Cache } from '@atrium/core/cache';
import { markSafe, type SafeHtml } from './safe-html.js';

/** The slice of nunjucks' parser this tag uses (its parser API is undocumented). */
interface Parser {
  nextToken(): { value: string; lineno: number; colno: number };
  peekToken(): { type: string };
  parseExpression(): unknown;
  skip(type: string): boolean;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
  fail(message: string, lineno?: number, colno?: number): never;
}
interface Nodes {
  NodeList: new (lineno: number, colno: number) => { addChild(node: unknown): void; children: unknown[] };
  CallExtensionAsync: new (extension: unknown, method: string, args: unknown, contentArgs: unknown[]) => unknown;
}
interface Lexer {
  TOKEN_BLOCK_END: string;
  TOKEN_COMMA: string;
}

type Done = (error: unknown, output?: SafeHtml) => void;
type Body = (callback: (error: unknown, output?: string) => void) => void;

/**
 * The key of a cached fragment: its name and the values it varies on,
 * hashed so any value makes a valid key (Django's make_template_fragment_key).
 * Delete it to refresh the fragment early.
 * @example await caches(app).default.delete(fragmentCacheKey('sidebar', [user.id]));
 */
export function fragmentCacheKey(name: string, varyOn: readonly unknown[] = []): string {
  const digest = createHash('sha256').update(varyOn.map((value) => String(value)).join(':')).digest('base64url').slice(0, 32);
  return `template.cache.${createHash('sha256').update(name).digest('base64url').slice(0, 16)}.${digest}`;
}

/**
 * `{% cache seconds "name" vary1 vary2 %}...{% endcache %}`: render the body
 * once per name and vary-on values, keep the HTML for `seconds` (`none` =
 * until evicted) in the 'template_fragments' cache when CACHES has one,
 * else 'default'. Concurrent renders of one fragment share one rendering;
 * a cache outage renders the body every time.
 * @example {% cache 500 "sidebar" request.user.id %}{{ expensive_sidebar() }}{% endcache %}
 */
export class FragmentCacheExtension implements nunjucks.Extension {
  readonly tags = ['cache'];
  readonly #context: AppContext;
  #cache: Cache | undefined;

  constructor(context: AppContext) {
    this.#context = context;
  }

  parse(parser: Parser, nodes: Nodes, lexer: Lexer): unknown {
    const tag = parser.nextToken();
    const args = new nodes.NodeList(tag.lineno, tag.colno);
    // Arguments are separated by spaces (as in Django) or commas.
    while (parser.peekToken().type !== lexer.TOKEN_BLOCK_END) {
      args.addChild(parser.parseExpression());
      parser.skip(lexer.TOKEN_COMMA);
    }
    if (args.children.length < 2) {
      parser.fail('{% cache %} takes a timeout and a fragment name: {% cache 500 "sidebar" request.user.id %}', tag.lineno, tag.colno);
    }
    parser.advanceAfterBlockEnd(tag.value);
    const body = parser.parseUntilBlocks('endcache');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtensionAsync(this, 'run', args, [body]);
  }

  /** Called by the compiled template: (context, timeout, name, ...varyOn, body, done). */
  run(_context: unknown, ...rest: unknown[]): void {
    const done = rest.pop() as Done;
    const body = rest.pop() as Body;
    const [timeout, name, ...varyOn] = rest;
    if (timeout !== null && timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout))) {
      done(new TypeError(`{% cache %} timeout must be seconds or none; got ${JSON.stringify(timeout)}.`));
      return;
    }
    const render = (): Promise<string> =>
      new Promise((resolve, reject) => {
        body((error, output) => (error ? reject(error) : resolve(output ?? '')));
      });
    this.#fragments()
      .getOrSet(fragmentCacheKey(String(name), varyOn), render, timeout === undefined ? undefined : (timeout as number | null))
      .then(
        (html) => done(null, markSafe(html)),
        (error: unknown) => done(error),
      );
  }

  #fragments(): Cache {
    if (!this.#cache) {
      const handler = caches(this.#context);
      this.#cache = handler.get(handler.aliases().includes('template_fragments') ? 'template_fragments' : 'default');
    }
    return this.#cache;
  }
}
