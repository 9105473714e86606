import { relative } from 'node:path';

/**
 * The lines printed after the project is created: where to go and what to run.
 * @example nextSteps({ cwd: '/home/ann', projectDir: '/home/ann/mysite', installed: true })[1] // '  cd mysite'
 */
export function nextSteps(options: { cwd: string; projectDir: string; installed: boolean }): string[] {
  const folder = relative(options.cwd, options.projectDir) || '.';
  return [
    'Next steps:',
    `  cd ${folder.includes(' ') ? JSON.stringify(folder) : folder}`,
    ...(options.installed ? [] : ['  npm install']),
    '  npx manage migrate',
    '  npx manage createsuperuser                        # your account for the admin',
    '  npx manage loaddata notes/fixtures/welcome.json   # optional: a first note',
    '  npx manage runserver',
    'Then open http://127.0.0.1:8000/ for the site and http://127.0.0.1:8000/admin/ for the admin.',
    'npm test runs the project\'s tests; README.md has more.',
  ];
}
