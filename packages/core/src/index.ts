/**
 * @atrium/core — the HTTP layer of Atrium: settings, apps, routing,
 * request/response, middleware, views, static files, signing and servers.
 * Test helpers live in `@atrium/core/testing`.
 */
export * from './errors.js';

export { HttpRequest, type RequestSource, type RequestState, type SignedCookieReadOptions } from './http/request.js';
export {
  HttpResponse,
  FileBody,
  html,
  text,
  json,
  redirect,
  stream,
  type ResponseBody,
  type ResponseInit,
  type CookieOptions,
  type SignedCookieOptions,
} from './http/response.js';
export { ResponseHeaders, type HeaderValue } from './http/headers.js';
export { QueryDict } from './http/query-dict.js';

export { settingsSchema, type Settings, type SettingsInput, type DatabaseSettings } from './settings/schema.js';
export { defineSettings } from './settings/define-settings.js';
export { validateSettings } from './settings/validate-settings.js';
export { applyEnvOverrides, ENV_PREFIX } from './settings/env-overrides.js';

export { defineApp, type AppConfig, type AppDefinition } from './apps/app-config.js';
export { AppRegistry } from './apps/app-registry.js';
export { loadApps } from './apps/load-apps.js';
export type { ManagementCommand, CommandContext, CommandArgument, CommandOption } from './apps/management-command.js';

export type { AppContext } from './app/context.js';
export { createApplication, type Application, type CreateApplicationOptions } from './app/create-application.js';
export { loadProject, type LoadProjectOptions } from './app/load-project.js';
export { findSettings } from './app/find-settings.js';
export type { Project } from './app/project.js';

export type { Handler, Middleware, MiddlewareFactory } from './middleware/types.js';
export { compose } from './middleware/compose.js';
export { phasedMiddleware, type MiddlewarePhases } from './middleware/middleware-phases.js';

export type { TemplateBackend, TemplateBackendFactory } from './templates/template-backend.js';

export { serve, createRequestListener, type ServeOptions, type RunningServer, type RequestTracker, type RequestListenerOptions } from './server/node-server.js';
export { writeResponse } from './server/write-response.js';
export { AccessLog, type AccessLogFormat } from './server/access-log.js';
export type { ReadinessCheck } from './server/health-probes.js';

export * from './routing/index.js';
export * from './views/index.js';

export { parseFormBody, parseJsonBody, readBody, type FormData } from './http/body/index.js';
export { UploadedFile, type MoveOptions } from './http/uploaded-file.js';
export { serializeCookies, serializeCookie } from './http/cookies.js';
export { Signer, TimestampSigner, type SignerOptions, type UnsignOptions } from './signing/index.js';

export { builtinMiddleware } from './middleware/builtin-middleware.js';
export { commonMiddleware } from './middleware/common.js';
export { securityMiddleware } from './middleware/security.js';
export { gzipMiddleware } from './middleware/gzip.js';
export { createRequestLoggingMiddleware, requestLoggingMiddleware, type LogSink, type RequestLoggingOptions } from './middleware/request-logging.js';
export { errorResponse, maskSettings, type ErrorLog, type ErrorResponseOptions } from './debug/index.js';

export { sendFile, type SendFileOptions } from './http/send-file.js';
export {
  staticMiddleware,
  staticUrl,
  collectStatic,
  StaticFinder,
  type StaticFinderOptions,
  type StaticFileEntry,
  type CollectStaticOptions,
  type CollectStaticResult,
} from './staticfiles/index.js';
export { contentSecurityPolicyMiddleware, CSP_NONCE, type CspPolicy } from './middleware/content-security-policy.js';
export * from './realtime/index.js';
export { attachWebSockets, type WebSocketHub } from './server/websocket-upgrade.js';
