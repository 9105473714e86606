import { html, ImproperlyConfigured, type HttpRequest, type HttpResponse, type TemplateBackend } from '@atrium/core';

/** Status and headers for the response, as `html()` takes them. */
export type RenderInit = Parameters<typeof html>[1];

function backendOf(request: HttpRequest): TemplateBackend {
  const backend = request.app.templates;
  if (!backend) {
    throw new ImproperlyConfigured(
      `No template backend is loaded: TEMPLATES.BACKEND is '${request.app.settings.TEMPLATES.BACKEND}'. Install @atrium/templates (or the module it names) and restart.`,
    );
  }
  return backend;
}

/**
 * Render the first template of `names` that exists into an HTML response,
 * with the request's context processors applied.
 * Rejects with TemplateDoesNotExist listing every path tried.
 * @example
 * export async function detail(request: HttpRequest, { id }: { id: number }) {
 *   return render(request, ['blog/post_detail.html', 'blog/detail.html'], { post: await Post.get(id) });
 * }
 */
export async function render(
  request: HttpRequest,
  names: string | readonly string[],
  context: Record<string, unknown> = {},
  init?: RenderInit,
): Promise<HttpResponse> {
  return html(await backendOf(request).render(names, context, request), init);
}

/**
 * Render a template to a string, with the request's context processors applied
 * (for e-mails, fragments, htmx partials).
 * @example const body = await renderToString(request, 'emails/welcome.txt', { user });
 */
export function renderToString(request: HttpRequest, names: string | readonly string[], context: Record<string, unknown> = {}): Promise<string> {
  return backendOf(request).render(names, context, request);
}
