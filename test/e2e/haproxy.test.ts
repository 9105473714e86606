/**
 * Debian's real HAProxy, configured with docs/deployment.md's haproxy block
 * (only ports and the certificate path substituted), in front of two
 * `manage serve --workers 1` instances of one project sharing one SQLite file:
 * a login made through HAProxy holds on both instances, and SIGTERM to one
 * instance under a stream of GETs loses no request, because HAProxy retries
 * it on the other.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentDocBlock, describeBehindProxy, startProxy, type ProxiedDeployment } from '../support/proxied-deployment.js';

const HAPROXY = '/usr/sbin/haproxy';

/** docs/deployment.md's haproxy block, with its ports and certificate replaced by this deployment's, after a minimal global section. */
function haproxyConfig(deployment: ProxiedDeployment): string {
  const { work, tls, upstreams, proxyPort } = deployment;
  // HAProxy wants the certificate and its key in one file.
  const bundle = join(work, 'bundle.pem');
  writeFileSync(bundle, readFileSync(tls.cert, 'utf8') + readFileSync(tls.key, 'utf8'));
  const block = deploymentDocBlock('haproxy', [
    ['127.0.0.1:8000', `127.0.0.1:${upstreams[0]}`],
    ['127.0.0.1:8001', `127.0.0.1:${upstreams[1]}`],
    ['bind :443 ssl', `bind 127.0.0.1:${proxyPort} ssl`],
    ['/etc/haproxy/certs/www.example.com.pem', bundle],
  ]);
  // No chroot, user or syslog socket: the test runs HAProxy in the foreground as whoever runs it.
  return ['global', `    pidfile ${join(work, 'haproxy.pid')}`, '    log stderr format short local0 notice', '', block].join('\n');
}

// The tests and their expect()s are describeBehindProxy's (test/support/proxied-deployment.ts), shared by both proxies.
describeBehindProxy({
  proxy: 'HAProxy',
  sessions: 'sqlite',
  stopOne: true,
  start: (deployment) => {
    const conf = join(deployment.work, 'haproxy.cfg');
    writeFileSync(conf, haproxyConfig(deployment));
    // -db: stay in the foreground; -W: master-worker, so SIGTERM to the group stops it cleanly.
    return startProxy(HAPROXY, ['-db', '-W', '-f', conf], deployment.proxyPort, () => `haproxy.cfg:\n${readFileSync(conf, 'utf8')}`);
  },
});
