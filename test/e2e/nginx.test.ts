/**
 * Debian's real nginx, configured with docs/deployment.md's nginx block (only
 * ports and paths substituted), in front of two `manage serve --workers 1`
 * instances of one project: a login made through nginx holds on both
 * instances, with sessions in the shared SQLite database and in the shared
 * Redis; and SIGTERM to one instance under a stream of GETs loses no request,
 * because nginx retries it on the other.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentDocBlock, describeBehindProxy, startProxy, type ProxiedDeployment } from '../support/proxied-deployment.js';

const NGINX = '/usr/sbin/nginx';

/** docs/deployment.md's nginx block, with its ports and paths replaced by this deployment's, inside a minimal nginx.conf. */
function nginxConfig(deployment: ProxiedDeployment): string {
  const { work, tls, upstreams, proxyPort, projectDir } = deployment;
  const block = deploymentDocBlock('nginx', [
    ['127.0.0.1:8000', `127.0.0.1:${upstreams[0]}`],
    ['127.0.0.1:8001', `127.0.0.1:${upstreams[1]}`],
    ['listen 443 ssl;', `listen 127.0.0.1:${proxyPort} ssl;`],
    ['/etc/ssl/certs/www.example.com.pem', tls.cert],
    ['/etc/ssl/private/www.example.com.key', tls.key],
    ['/srv/app/staticfiles/', `${join(projectDir, 'staticfiles')}/`],
  ]);
  const temp = (name: string) => `${name}_temp_path ${join(work, `${name}_temp`)};`;
  return [
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${join(work, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
    block,
    '}',
    '',
  ].join('\n');
}

for (const sessions of ['sqlite', 'redis'] as const) {
  // The tests and their expect()s are describeBehindProxy's (test/support/proxied-deployment.ts), shared by both proxies.
  describeBehindProxy({
    proxy: 'nginx',
    sessions,
    // The shutdown scenario does not depend on where sessions live; one run of it is enough.
    stopOne: sessions === 'sqlite',
    start: (deployment) => {
      const { work } = deployment;
      const conf = join(work, 'nginx.conf');
      writeFileSync(conf, nginxConfig(deployment));
      const errorLog = join(work, 'error.log');
      const args = ['-p', work, '-c', conf, '-g', `daemon off; pid ${join(work, 'nginx.pid')}; error_log ${errorLog};`];
      return startProxy(NGINX, args, deployment.proxyPort, () => (existsSync(errorLog) ? `error.log:\n${readFileSync(errorLog, 'utf8')}` : ''));
    },
  });
}
