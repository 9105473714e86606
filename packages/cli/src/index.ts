/**
 * @atrium/cli — the `manage` command. The binary calls `main(process.argv)`;
 * the rest is exported for apps that contribute system checks and for tools.
 */
export { main, type MainOptions } from './main.js';
export { parseAddrPort, urlHost, DEFAULT_ADDRPORT, type AddrPort } from './runserver/addrport.js';
export { formatRoutesTable, type RouteTableRow } from './routes/format-routes-table.js';
export { renderAppTemplate, type RenderAppOptions, type RenderedApp } from './startapp/render-app-template.js';
export { validateAppName } from './startapp/validate-app-name.js';
export { runChecks, type CheckResult } from './checks/run-checks.js';
export { formatCheckReport } from './checks/format-check-report.js';
export type { CheckLevel, CheckMessage, CheckOptions, SystemCheck } from './checks/check-message.js';
export { CommandError, InvalidAddrPort, InvalidAppName, PortUnavailable, ConfirmationRequired } from './errors.js';
