// Expands `net { }` binding by binding into the forward graph. A `replace`
// swaps a binding's expression (a new head); the parameters it creates are
// recorded as fresh, so `init from` does not load them.
import type { Binding, NetBlock, Replace } from '../syntax/ast.js';
import type { Expander, Frame } from './expander.js';
import { didYouMean } from './format.js';
import { Env } from './env.js';
import type { TensorValue } from './values.js';

export interface NetResult {
  /** Every net binding that is a tensor, by name, in order; `prediction` is the last. */
  outputs: Map<string, TensorValue>;
  /** Parameters created by `replace` bindings. */
  fresh: string[];
  ok: boolean;
}

/**
 * `scope` holds the inputs (and the targets, forbidden in the net); bindings
 * are added to it so the loss can refer to them afterwards.
 */
export function expandNet(ex: Expander, net: NetBlock, replaces: readonly Replace[], scope: Env): NetResult {
  const outputs = new Map<string, TensorValue>();
  const fresh: string[] = [];
  const bound = new Set(net.body.map((b) => b.name.name));
  const byName = new Map<string, Replace>();
  let ok = true;
  for (const r of replaces) {
    const name = r.binding.name.name;
    if (!bound.has(name)) {
      ex.sink.report('NNC3001', `\`replace ${name}\`: the net has no binding \`${name}\``, r.binding.name.span, {
        hint: didYouMean(name, bound) ?? `net bindings: ${[...bound].join(', ')}`,
      });
      ok = false;
    } else if (byName.has(name)) {
      ex.sink.report('NNC3002', `\`${name}\` is replaced twice`, r.binding.name.span, { related: [{ message: 'first replaced here', span: byName.get(name)!.span }] });
      ok = false;
    } else {
      byName.set(name, r);
    }
  }
  for (const b of net.body) {
    const replaced = byName.get(b.name.name);
    const binding: Binding = replaced ? replaced.binding : b;
    const name = binding.name.name;
    const existing = scope.lookup(name);
    if (existing !== undefined) {
      ex.sink.report('NNC3002', `\`${name}\` is already bound`, binding.name.span, {
        hint: 'names are bound once; pick a new name',
        ...(existing !== 'poisoned' && !('forbidden' in existing) && existing.span ? { related: [{ message: 'first bound here', span: existing.span }] } : {}),
      });
      ok = false;
      continue;
    }
    const before = ex.params.length;
    const frame: Frame = { scope, base: '', prefix: name, label: name, anonymous: new Map(), depth: 0, mode: 'net' };
    const v = ex.evaluate(binding.value, frame, name);
    if (replaced) fresh.push(...ex.params.slice(before).map((p) => p.name));
    if (v === null) {
      scope.bind(name, 'poisoned');
      ok = false;
      continue;
    }
    if (v.kind !== 'tensor') {
      ex.sink.report('NNC3010', `a net binding must be a tensor; \`${name}\` is ${v.kind === 'symbol' ? `the bare name \`${v.name}\`` : `a ${v.kind}`}`, binding.value.span, {
        hint: v.kind === 'symbol' ? undefinedHint(v.name, scope) : 'constants belong inside layer arguments',
      });
      scope.bind(name, 'poisoned');
      ok = false;
      continue;
    }
    const t: TensorValue = { ...v, name, span: binding.span };
    if (replaced) ex.replaced.add(t.id);
    scope.bind(name, t);
    outputs.set(name, t);
  }
  return { outputs, fresh, ok };
}

function undefinedHint(name: string, scope: Env): string {
  return didYouMean(name, scope.names()) ?? `\`${name}\` is not bound; bound so far: ${scope.names().join(', ')}`;
}
