import { describe, expect, it } from 'vitest';
import { migration, type Migration } from '../src/migrations/migration.js';
import { MigrationGraph } from '../src/migrations/graph.js';
import { MigrationLoader } from '../src/migrations/loader.js';
import { checkConsistentHistory, planMigrations, resolveTargets } from '../src/migrations/plan.js';
import { CircularMigrationDependency, ConflictingMigrations, InconsistentMigrationHistory, MigrationNodeNotFound, MigrationTargetError } from '../src/migrations/migrate-errors.js';

/** An empty migration `app.name` depending on `deps` ('app.name' strings). */
function node(key: string, ...deps: string[]): Migration {
  const [app, name] = key.split('.') as [string, string];
  return migration({ dependencies: deps.map((d) => d.split('.') as [string, string]), operations: [] }).bind(app, name);
}

const history = (): Migration[] => [
  node('auth.0001_initial'),
  node('auth.0002_user_email', 'auth.0001_initial'),
  node('blog.0001_initial', 'auth.0001_initial'),
  node('blog.0002_add_slug', 'blog.0001_initial'),
  node('blog.0003_post_editor', 'blog.0002_add_slug', 'auth.0002_user_email'),
  node('shop.0001_initial', 'blog.0002_add_slug'),
];

describe('migration graph', () => {
  it('plans forwards with dependencies first, in a stable order', () => {
    const graph = new MigrationGraph(history());
    expect(graph.forwardsPlan('blog.0003_post_editor')).toEqual(['auth.0001_initial', 'auth.0002_user_email', 'blog.0001_initial', 'blog.0002_add_slug', 'blog.0003_post_editor']);
    expect(graph.fullPlan()).toEqual(['auth.0001_initial', 'auth.0002_user_email', 'blog.0001_initial', 'blog.0002_add_slug', 'blog.0003_post_editor', 'shop.0001_initial']);
  });

  it('plans backwards with dependents first', () => {
    const graph = new MigrationGraph(history());
    expect(graph.backwardsPlan('blog.0002_add_slug')).toEqual(['blog.0003_post_editor', 'shop.0001_initial', 'blog.0002_add_slug']);
  });

  it('finds leaves and roots per app', () => {
    const graph = new MigrationGraph(history());
    expect(graph.leafNodes('blog')).toEqual(['blog.0003_post_editor']);
    expect(graph.rootNodes('blog')).toEqual(['blog.0001_initial']);
    expect(graph.leafNodes()).toEqual(['auth.0002_user_email', 'blog.0003_post_editor', 'shop.0001_initial']);
  });

  it('names a missing dependency and the closest existing one', () => {
    expect(() => new MigrationGraph([node('blog.0001_initial'), node('blog.0002_x', 'blog.0001_intial')])).toThrow(MigrationNodeNotFound);
    expect(() => new MigrationGraph([node('blog.0001_initial'), node('blog.0002_x', 'blog.0001_intial')])).toThrow(
      'Migration blog.0002_x depends on blog.0001_intial, which does not exist. Did you mean blog.0001_initial?',
    );
    expect(() => new MigrationGraph([node('blog.0001_initial', 'auth.0001_initial')])).toThrow(/App 'auth' has no migrations/);
  });

  it('detects a cycle and shows it', () => {
    const graph = new MigrationGraph([node('a.0001', 'b.0001'), node('b.0001', 'c.0001'), node('c.0001', 'a.0001')]);
    let error: unknown;
    try {
      graph.validate();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CircularMigrationDependency);
    expect((error as CircularMigrationDependency).code).toBe('E_MIGRATION_CYCLE');
    expect((error as CircularMigrationDependency).cycle).toEqual(['a.0001', 'b.0001', 'c.0001', 'a.0001']);
    expect((error as Error).message).toContain('a.0001 -> b.0001 -> c.0001 -> a.0001 (each depends on the next)');
  });

  it('refuses two leaves in one app and says to merge', () => {
    const migrations = [node('blog.0001_initial'), node('blog.0002_a', 'blog.0001_initial'), node('blog.0002_b', 'blog.0001_initial')];
    expect(() => MigrationLoader.fromMigrations(migrations)).toThrow(ConflictingMigrations);
    expect(() => MigrationLoader.fromMigrations(migrations)).toThrow(/0002_a, 0002_b in blog.*makemigrations --merge/);
    expect(MigrationLoader.fromMigrations(migrations, [], { validate: false }).graph.conflicts()).toEqual({ blog: ['0002_a', '0002_b'] });
  });

  it('resolves targets: all apps, one app, a prefix, zero', () => {
    const graph = new MigrationGraph(history());
    expect(resolveTargets(graph).map((t) => `${t.appLabel}.${t.name}`)).toEqual(['auth.0002_user_email', 'blog.0003_post_editor', 'shop.0001_initial']);
    expect(resolveTargets(graph, 'blog')).toEqual([{ appLabel: 'blog', name: '0003_post_editor' }]);
    expect(resolveTargets(graph, 'blog', '0002')).toEqual([{ appLabel: 'blog', name: '0002_add_slug' }]);
    expect(resolveTargets(graph, 'blog', 'zero')).toEqual([{ appLabel: 'blog', name: null }]);
    expect(() => resolveTargets(graph, 'blog', '000')).toThrow(/More than one migration of 'blog' starts with '000'/);
    expect(() => resolveTargets(graph, 'blog', '0009')).toThrow(MigrationTargetError);
    expect(() => resolveTargets(graph, 'nope')).toThrow(/App 'nope' has no migrations/);
  });

  it('plans a rollback through the app only, and zero through dependents', () => {
    const graph = new MigrationGraph(history());
    const all = new Set(graph.keys());
    const back = planMigrations(graph, [{ appLabel: 'blog', name: '0001_initial' }], all);
    expect(back.map((s) => `${s.backwards ? '-' : '+'}${s.migration.appLabel}.${s.migration.name}`)).toEqual(['-blog.0003_post_editor', '-shop.0001_initial', '-blog.0002_add_slug']);
    const zero = planMigrations(graph, [{ appLabel: 'auth', name: null }], all);
    expect(zero.map((s) => `${s.migration.appLabel}.${s.migration.name}`)).toEqual([
      'blog.0003_post_editor',
      'auth.0002_user_email',
      'shop.0001_initial',
      'blog.0002_add_slug',
      'blog.0001_initial',
      'auth.0001_initial',
    ]);
    expect(planMigrations(graph, resolveTargets(graph), all)).toEqual([]);
  });

  it('refuses an applied migration whose dependency is not applied', () => {
    const graph = new MigrationGraph(history());
    expect(() => checkConsistentHistory(graph, new Set(['blog.0001_initial']))).toThrow(InconsistentMigrationHistory);
    expect(() => checkConsistentHistory(graph, new Set(['blog.0001_initial']))).toThrow(/blog.0001_initial is applied before its dependency auth.0001_initial/);
    expect(() => checkConsistentHistory(graph, new Set(['auth.0001_initial', 'blog.0001_initial']))).not.toThrow();
  });
});
