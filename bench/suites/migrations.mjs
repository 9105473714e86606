// Migrations against their time budgets (the numbers), in this
// process: `migrate` of 50 migrations on an empty SQLite database (files
// imported, graph built, plan checked, each migration in its own transaction
// on a WAL file) within 2 s, and `makemigrations` finding no changes in a
// project of 100 models within 1 s. The ratio is the median time over the
// budget (there is no other framework run to compare with here; <= 1 meets
// the budget). Each run starts from fresh files in a new folder, so module
// loading is measured every time instead of hitting the import cache.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureBudget } from '../lib/time-budget.mjs';

const BUDGETS = { 'migrate-50': 2, 'makemigrations-100': 1 };
const MIN_RUNS = 5;
// The executor, loader and writer are internal modules of the built package (not all are exported yet).
const DIST = new URL('../../packages/orm/dist/', import.meta.url);

export default {
  name: 'migrations',
  description: 'migrate 50 migrations on empty SQLite (budget 2 s); makemigrations with no changes on 100 models (budget 1 s)',
  cases: ['migrate-50', 'makemigrations-100'],
  usesLoadGenerator: false,
  async run({ cases, config, log }) {
    // makemigrations writes TypeScript files; `manage` loads them through tsx, and so does this suite.
    const { register } = await import('tsx/esm/api');
    register();
    const load = (path) => import(new URL(path, DIST).href);
    const mods = {
      orm: await import('@atrium/orm'),
      loader: await load('migrations/loader.js'),
      executor: await load('migrations/executor.js'),
      plan: await load('migrations/plan.js'),
      make: await load('migrations/make-migrations.js'),
      questioner: await load('migrations/questioner/non-interactive-questioner.js'),
    };
    const root = mkdtempSync(join(tmpdir(), 'atrium-bench-migrations-'));
    // As in a project: TypeScript files are ES modules.
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    const results = [];
    try {
      const runs = Math.max(config.pairs, MIN_RUNS);
      if (cases.includes('migrate-50')) results.push(await measureBudget('migrate-50', BUDGETS['migrate-50'], runs, log, (i) => migrate50(mods, join(root, `m${i}`))));
      if (cases.includes('makemigrations-100')) {
        const template = join(root, 'template');
        const models = declare100(mods.orm);
        await mods.make.makeMigrations({ apps: [{ label: 'benchmodels', path: template }], models, questioner: new mods.questioner.NonInteractiveQuestioner(), importFrom: new URL('migrations/index.js', DIST).pathname });
        results.push(await measureBudget('makemigrations-100', BUDGETS['makemigrations-100'], runs, log, (i) => makeNoChange(mods, models, template, join(root, `mm${i}`))));
      }
    } finally {
      await mods.orm.closeDatabases(['bench_migrations']).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    }
    return results;
  },
};

/** 50 migration files of app `bench50` in `folder`: 30 new models chained by foreign keys, 10 new columns, 5 made NOT NULL (table rebuilds on SQLite), 5 indexes. */
function writeFifty(folder) {
  const dir = join(folder, 'bench50', 'migrations');
  mkdirSync(dir, { recursive: true });
  const header = `import { migration, ops, f } from '${new URL('migrations/index.js', DIST).href}';\n`;
  let previous = null;
  for (let i = 1; i <= 50; i++) {
    const name = `${String(i).padStart(4, '0')}_step_${i}`;
    let operation;
    if (i <= 30) {
      const parent = i > 1 ? `, ['parent', f.foreignKey('bench50.Model${i - 1}', { onDelete: 'CASCADE', null: true })]` : '';
      operation = `ops.createModel({ name: 'Model${i}', fields: [['id', f.auto()], ['name', f.string({ maxLength: 100 })], ['created', f.datetime({ autoNowAdd: true })], ['count', f.integer({ default: 0 })]${parent}] })`;
    } else if (i <= 40) {
      operation = `ops.addField({ model: 'Model${i - 30}', name: 'note', field: f.text({ null: true }) })`;
    } else if (i <= 45) {
      operation = `ops.alterField({ model: 'Model${i - 40}', name: 'note', field: f.text({ default: '' }) })`;
    } else {
      operation = `ops.addIndex({ model: 'Model${i - 45}', index: { name: 'bench50_model${i - 45}_name_count_idx', fields: ['name', 'count'] } })`;
    }
    const dependencies = previous ? `[['bench50', '${previous}']]` : '[]';
    writeFileSync(join(dir, `${name}.mjs`), `${header}export default migration({ dependencies: ${dependencies}, operations: [${operation}] });\n`);
    previous = name;
  }
  return [{ label: 'bench50', path: join(folder, 'bench50') }];
}

async function migrate50({ orm, loader, executor, plan }, folder) {
  const apps = writeFifty(folder);
  orm.configureDatabases({ bench_migrations: { ENGINE: 'sqlite', NAME: join(folder, 'db.sqlite3'), OPTIONS: {} } }, folder, { replace: true });
  const started = performance.now();
  const loaded = await loader.MigrationLoader.load(apps);
  const ran = await new executor.MigrationExecutor(loaded, 'bench_migrations').migrate(plan.resolveTargets(loaded.graph));
  const seconds = (performance.now() - started) / 1000;
  if (ran.length !== 50) throw new Error(`migrate-50 applied ${ran.length} migrations, expected 50`);
  await orm.closeDatabases(['bench_migrations']);
  return seconds;
}

/** 100 models of app `benchmodels`: each with five fields and a foreign key to the one before. */
function declare100(orm) {
  const { model, f } = orm;
  const models = [];
  for (let i = 1; i <= 100; i++) {
    const before = models[i - 2];
    const fields = {
      title: f.string({ maxLength: 120 }),
      body: f.text({ default: '' }),
      rank: f.integer({ default: 0, index: true }),
      price: f.decimal({ maxDigits: 10, decimalPlaces: 2, null: true }),
      active: f.boolean({ default: true }),
      ...(before ? { previous: f.foreignKey(() => before, { onDelete: 'CASCADE', null: true, relatedName: '+' }) } : {}),
    };
    models.push(model(`benchmodels.Model${i}`, fields, { ordering: ['-rank'] }));
  }
  return models;
}

async function makeNoChange({ make, questioner }, models, template, folder) {
  cpSync(template, join(folder, 'benchmodels'), { recursive: true });
  const started = performance.now();
  const made = await make.makeMigrations({ apps: [{ label: 'benchmodels', path: join(folder, 'benchmodels') }], models, questioner: new questioner.NonInteractiveQuestioner(), dryRun: true });
  const seconds = (performance.now() - started) / 1000;
  if (made.length !== 0) throw new Error(`makemigrations-100 found ${made.length} changes, expected none`);
  return seconds;
}

