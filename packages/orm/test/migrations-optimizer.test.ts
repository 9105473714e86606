import { describe, expect, it } from 'vitest';
import { optimize } from '../src/migrations/optimizer.js';
import { ops, CreateModel, type Operation } from '../src/migrations/operations/index.js';
import { f } from '../src/migrations/state/spec-builders.js';
import { ProjectState } from '../src/migrations/state/project-state.js';

const bind = (...operations: Operation[]) => operations.map((operation) => operation.bind('shop'));
const describeAll = (operations: readonly Operation[]) => operations.map((operation) => operation.describe());
const create = (name: string, fields: Array<readonly [string, ReturnType<typeof f.auto>]> = []) => ops.createModel({ name, fields: [['id', f.auto()], ...fields] });

/** The state an operation list produces, to check the optimised list does the same. */
function stateOf(operations: readonly Operation[]): unknown {
  const state = new ProjectState();
  create('Other').bind('shop').stateForwards(state);
  for (const operation of operations) operation.stateForwards(state);
  return [...state.models.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('optimize', () => {
  const cases: Array<[string, Operation[], string[]]> = [
    ['create + delete cancel out', bind(create('Tag'), ops.deleteModel({ name: 'Tag' })), []],
    [
      'fields fold into their CreateModel',
      bind(create('Tag'), ops.addField({ model: 'Tag', name: 'name', field: f.text() }), ops.alterField({ model: 'Tag', name: 'name', field: f.text({ null: true }) })),
      ['Create model Tag'],
    ],
    ['create + rename is one create', bind(create('Tag'), ops.renameModel({ oldName: 'Tag', newName: 'Label' })), ['Create model Label']],
    [
      'add + remove of a field cancel out',
      bind(create('Tag'), ops.deleteModel({ name: 'Tag' }), create('Tag'), ops.addField({ model: 'Tag', name: 'x', field: f.text() })),
      ['Create model Tag'],
    ],
    [
      'rename chains collapse',
      bind(
        create('Tag', [['a', f.text()]]),
        ops.deleteModel({ name: 'Other' }),
        ops.renameField({ model: 'Tag', oldName: 'a', newName: 'b' }),
        ops.renameField({ model: 'Tag', oldName: 'b', newName: 'c' }),
      ),
      ['Delete model Other', 'Create model Tag'],
    ],
    [
      'a create does not move before the model it points at',
      bind(create('Order'), create('Item'), ops.addField({ model: 'Order', name: 'item', field: f.foreignKey('shop.Item', { onDelete: 'CASCADE' }) })),
      ['Create model Item', 'Create model Order'],
    ],
    [
      'nothing moves across RunSQL',
      bind(create('Tag'), ops.runSql({ sql: 'select 1' }), ops.addField({ model: 'Tag', name: 'x', field: f.text({ null: true }) })),
      ['Create model Tag', 'Raw SQL: select 1', 'Add field x to Tag'],
    ],
  ];
  for (const [title, operations, expected] of cases) {
    it(title, () => {
      const optimised = optimize(operations);
      expect(describeAll(optimised)).toEqual(expected);
      expect(stateOf(optimised)).toEqual(stateOf(operations));
    });
  }

  it('keeps the final field definition and position in the folded CreateModel', () => {
    const [created] = optimize(bind(create('Tag'), ops.addField({ model: 'Tag', name: 'name', field: f.string({ maxLength: 5 }) }), ops.renameField({ model: 'Tag', oldName: 'name', newName: 'label' })));
    expect((created as CreateModel).fields).toEqual([
      ['id', f.auto()],
      ['label', f.string({ maxLength: 5 })],
    ]);
  });
});
