// Serve the TechEmpower project as `manage runserver` would in production:
// load the project (settings, apps, routes) and hand it to serve().
import { loadProject, serve } from '@atrium/core';

const project = await loadProject({ cwd: import.meta.dirname });
await serve(project, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  // Exit cleanly on SIGTERM so `node --cpu-prof` writes its profile.
  handleSignals: true,
});
