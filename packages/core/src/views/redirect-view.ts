import { ImproperlyConfigured, SuspiciousOperation } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { HttpResponse, redirect } from '../http/response.js';
import { encodePathText } from '../routing/route-pattern.js';
import { View } from './view.js';

const PLACEHOLDER_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Redirect to `url` (with `{param}` placeholders filled from the route
 * parameters) or to the named route `patternName` (reversed with the same
 * parameters); 410 Gone when neither is set. Every method redirects, as in
 * Django's `RedirectView`.
 * @example
 * path('old/<int:id>/', RedirectView.asView({ url: '/posts/{id}/', permanent: true }))
 * path('latest/', RedirectView.asView({ patternName: 'blog:index', queryString: true }))
 */
export class RedirectView extends View {
  /** Target URL; `{name}` is replaced by the percent-encoded route parameter `name`. */
  url: string | null = null;
  /** A route name to reverse with the request's parameters, used when `url` is null. */
  patternName: string | null = null;
  /** 301 when true, 302 otherwise. */
  permanent = false;
  /** Append the request's query string to the target. */
  queryString = false;

  /** The target URL, or null for 410 Gone. */
  getRedirectUrl(request: HttpRequest, params: Record<string, unknown>): string | null {
    let url: string;
    if (this.url !== null) url = this.#interpolate(this.url, params);
    else if (this.patternName !== null) url = request.reverse(this.patternName, params);
    else return null;
    const query = request.queryString;
    if (this.queryString && query !== '') url += (url.includes('?') ? '&' : '?') + query;
    return url;
  }

  get(request: HttpRequest, params: Record<string, unknown>): HttpResponse {
    const url = this.getRedirectUrl(request, params);
    if (url === null) return new HttpResponse(null, { status: 410 });
    return redirect(url, { permanent: this.permanent });
  }

  override options(request: HttpRequest, params: Record<string, unknown>): HttpResponse {
    return this.get(request, params);
  }

  post(request: HttpRequest, params: Record<string, unknown>): HttpResponse {
    return this.get(request, params);
  }

  put(request: HttpRequest, params: Record<string, unknown>): HttpResponse {
    return this.get(request, params);
  }

  patch(request: HttpRequest, params: Record<string, unknown>): HttpResponse {
    return this.get(request, params);
  }

  delete(request: HttpRequest, params: Record<string, unknown>): HttpResponse {
    return this.get(request, params);
  }

  #interpolate(template: string, params: Record<string, unknown>): string {
    const url = template.replace(PLACEHOLDER_RE, (_, name: string) => {
      const value = params[name];
      if (value === undefined || value === null) {
        const known = Object.keys(params);
        throw new ImproperlyConfigured(
          `${this.constructor.name} url '${template}' uses {${name}}, but the route gives ${known.length > 0 ? known.map((k) => `'${k}'`).join(', ') : 'no parameters'}.`,
        );
      }
      return encodePathText(String(value), true);
    });
    // A value must not turn a local path into a scheme-relative URL to another host.
    if (template.startsWith('/') && !template.startsWith('//') && url.startsWith('//')) {
      throw new SuspiciousOperation(`${this.constructor.name} refused to redirect to '${url}': a route parameter made it point to another host.`);
    }
    return url;
  }
}
