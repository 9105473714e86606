import { json, TemplateView, type HttpRequest, type HttpResponse } from '@atrium/core';
import { render } from '@atrium/templates';

/** What the home page lists; a real site would read this from the database. */
const FEATURES = [
  {
    title: 'Routing',
    text: 'Patterns with typed converters such as <slug:name>, named routes and reverse(), include() with namespaces. See https://docs.djangoproject.com/en/stable/topics/http/urls/ for the idea it follows.',
  },
  { title: 'Templates', text: 'Nunjucks with autoescape always on, template inheritance, and Django-style filters.\nProject templates override app templates.' },
  { title: 'Static files', text: 'Each app ships a static/ folder; the dev server serves it, and collectstatic gathers it for production.' },
];

/** The home page: a template that extends the project's base.html. */
export function home(request: HttpRequest): Promise<HttpResponse> {
  return render(request, 'pages/home.html', { features: FEATURES, now: new Date() });
}

/** A page with a route parameter: /hello/<slug:name>/ greets `name`. */
export function hello(request: HttpRequest, { name }: { name: string }): Promise<HttpResponse> {
  const times = Math.max(1, Math.min(5, Number(request.query.get('times') ?? 1) || 1));
  return render(request, 'pages/hello.html', { name, times });
}

/** A JSON endpoint: GET /api/status/ -> { ok: true, time: '2026-01-01T12:00:00.000Z' }. */
export function status(_request: HttpRequest): HttpResponse {
  return json({ ok: true, time: new Date().toISOString() });
}

/** A class-based view: TemplateView renders templateName with the context from getContextData. */
export class AboutView extends TemplateView {
  override templateName = 'pages/about.html';

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const context = await super.getContextData(request, params);
    return { ...context, stack: { runtime: `Node.js ${process.versions.node}`, framework: 'Atrium', templates: 'Nunjucks' } };
  }
}
