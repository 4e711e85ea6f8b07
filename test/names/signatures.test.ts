// The callable table is read by every later stage; keep it self-consistent.
import { describe, expect, it } from 'vitest';
import { DATA_SOURCES, FUNCTIONS, INITIALISERS, LAYERS, OPTIMIZERS, PHASE_KEYS, SCHEDULES, TRAIN_KEYS, TYPES, type Signature } from '../../src/check/signatures.js';

const tables: [string, ReadonlyMap<string, Signature>][] = [
  ['layers', LAYERS], ['functions', FUNCTIONS], ['optimizers', OPTIMIZERS], ['schedules', SCHEDULES],
  ['data sources', DATA_SOURCES], ['initialisers', INITIALISERS], ['types', TYPES],
];

describe('signature table', () => {
  for (const [what, table] of tables) {
    it(`${what}: unique parameter names, required positionals first, defaults of the right kind`, () => {
      for (const sig of table.values()) {
        const names = sig.params.map((p) => p.name);
        expect(new Set(names).size, sig.name).toBe(names.length);
        const positional = sig.params.filter((p) => p.positional);
        const firstOptional = positional.findIndex((p) => p.default !== undefined);
        if (firstOptional >= 0) expect(positional.slice(firstOptional).every((p) => p.default !== undefined), sig.name).toBe(true);
        for (const p of sig.params) {
          if (p.default === undefined || p.default === null) continue;
          const expected = { number: 'number', int: 'number', flag: 'boolean', string: 'string', activation: 'string', initialiser: 'string', enum: 'string' }[p.type as string];
          if (expected) expect(typeof p.default, `${sig.name}.${p.name}`).toBe(expected);
          if (p.type === 'enum') expect(p.values).toContain(p.default);
        }
      }
    });
  }

  it('layers and functions do not share names; every schedule takes warmup', () => {
    for (const name of LAYERS.keys()) expect(FUNCTIONS.has(name), name).toBe(false);
    for (const s of SCHEDULES.values()) expect(s.params.some((p) => p.name === 'warmup' && p.type === 'duration'), s.name).toBe(true);
  });

  it('lists the keys of train and phases', () => {
    expect(TRAIN_KEYS.map((k) => k.name)).toEqual(['epochs', 'batch', 'seed', 'metrics', 'patience', 'clip_norm']);
    expect(PHASE_KEYS.map((k) => k.name)).toEqual(['epochs', 'lr', 'unfreeze', 'freeze', 'schedule']);
  });
});
