import { ImproperlyConfigured, MethodNotAllowed } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { HttpResponse } from '../http/response.js';
import type { RouteView } from '../routing/path.js';

/**
 * The lower-case handler names a class-based view may define, as in Django's
 * `http_method_names`; ordered as the router orders `Allow`.
 */
export const HTTP_METHOD_NAMES = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'] as const;
export type ViewMethodName = (typeof HTTP_METHOD_NAMES)[number];

type MethodHandler = (request: HttpRequest, params: Record<string, unknown>) => HttpResponse | Promise<HttpResponse>;

/** Keys of `T` that hold functions, and the per-request ones set by `setup()`. */
type NonOptionKeys<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] | 'request' | 'params';

/**
 * What `asView()` accepts: the class's data attributes (Django's `initkwargs`),
 * assigned to each new instance before dispatch.
 */
export type ViewOptions<T> = { [K in Exclude<keyof T, NonOptionKeys<T>>]?: T[K] };

/** A class whose instances are views; `asView()` is called on it. */
export type ViewClass<T extends View> = (new () => T) & { readonly name: string };

/** What `asView()` returns: a function view that also tells which class and options it came from. */
export type ClassBasedView<T extends View = View> = RouteView & {
  readonly viewClass: ViewClass<T>;
  readonly viewInitOptions: Readonly<ViewOptions<T>>;
};

/**
 * Base of class-based views (Django's `View`). Define lower-case handlers
 * (`get`, `post`, ...); `asView()` makes a function view that builds one
 * instance per request and calls the handler for the method. HEAD falls back
 * to `get`; a method the class lacks gets 405 with `Allow`, since the router
 * cannot know a class's methods in advance.
 * @example
 * class Greeting extends View {
 *   greeting = 'Hello';
 *   get(request: HttpRequest) { return text(`${this.greeting}, ${request.query.get('name') ?? 'world'}`); }
 * }
 * path('hi/', Greeting.asView({ greeting: 'Hi' }), { name: 'hi' })
 */
export class View {
  /** The current request, set by `setup()` before dispatch. */
  request!: HttpRequest;
  /** The route parameters of the current request. */
  params: Record<string, unknown> = {};

  /**
   * A function view for this class. Options set data attributes on each
   * instance; unknown keys and handler names are refused at start-up.
   * @example path('about/', TemplateView.asView({ templateName: 'about.html' }), { name: 'about' })
   */
  static asView<T extends View>(this: ViewClass<T>, initOptions: ViewOptions<T> = {}): ClassBasedView<T> {
    const cls = this;
    const probe = new cls();
    for (const key of Object.keys(initOptions)) {
      if ((HTTP_METHOD_NAMES as readonly string[]).includes(key)) {
        throw new ImproperlyConfigured(`${cls.name}.asView() got the option '${key}', which is a method handler name; define ${key}() in the class instead.`);
      }
      if (key === 'request' || key === 'params' || !(key in probe) || typeof (probe as unknown as Record<string, unknown>)[key] === 'function') {
        throw new ImproperlyConfigured(
          `${cls.name}.asView() got an unknown option '${key}'; options set attributes the class declares (${describeAttributes(probe)}). Declare '${key}' in the class or fix the spelling.`,
        );
      }
    }
    // A copy, so changing the caller's object later cannot change the route's behaviour.
    const options = Object.freeze({ ...initOptions });
    const view = (request: HttpRequest, params: Record<string, unknown>): HttpResponse | Promise<HttpResponse> => {
      const instance = new cls();
      Object.assign(instance, options);
      instance.setup(request, params);
      return instance.dispatch(request, params);
    };
    return Object.defineProperties(view, {
      name: { value: cls.name },
      viewName: { value: cls.name },
      viewMethods: { value: Object.freeze(probe.allowedMethods()) },
      viewClass: { value: cls },
      viewInitOptions: { value: options },
    }) as unknown as ClassBasedView<T>;
  }

  /** Remember the request and parameters on the instance (Django's `setup`). */
  setup(request: HttpRequest, params: Record<string, unknown>): void {
    this.request = request;
    this.params = params;
  }

  /** Call the handler for the request's method, `get` for HEAD when there is no `head`, or refuse with 405. */
  dispatch(request: HttpRequest, params: Record<string, unknown>): HttpResponse | Promise<HttpResponse> {
    const method = request.method.toLowerCase();
    const handler = this.#handler(method) ?? (method === 'head' ? this.#handler('get') : undefined);
    if (handler === undefined) return this.httpMethodNotAllowed(request);
    return handler.call(this, request, params);
  }

  /** Throw MethodNotAllowed listing the methods this class answers. Override to log or answer differently. */
  httpMethodNotAllowed(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    throw new MethodNotAllowed(request.method, this.allowedMethods());
  }

  /** Answer OPTIONS with 204 and `Allow`, as the router does for function views. */
  options(_request: HttpRequest, _params: Record<string, unknown>): HttpResponse | Promise<HttpResponse> {
    return new HttpResponse(null, { status: 204, headers: { allow: this.allowedMethods().join(', ') } });
  }

  /** The upper-case methods this class answers (HEAD included when it has `get`). */
  allowedMethods(): string[] {
    return HTTP_METHOD_NAMES.filter((m) => this.#handler(m) !== undefined || (m === 'head' && this.#handler('get') !== undefined)).map((m) =>
      m.toUpperCase(),
    );
  }

  #handler(method: string): MethodHandler | undefined {
    if (!(HTTP_METHOD_NAMES as readonly string[]).includes(method)) return undefined;
    const handler = (this as unknown as Record<string, unknown>)[method];
    return typeof handler === 'function' ? (handler as MethodHandler) : undefined;
  }
}

function describeAttributes(probe: View): string {
  const keys = Object.keys(probe).filter((k) => k !== 'request' && k !== 'params' && typeof (probe as unknown as Record<string, unknown>)[k] !== 'function');
  return keys.length > 0 ? keys.map((k) => `'${k}'`).join(', ') : 'none';
}
