// Reads the one table of callables (signatures.ts, owned by the name
// checker) as the checker's argument slots, so parameter lists live in
// exactly one place.
import type { ParamSlot } from './args.js';
import type { Signature } from './signatures.js';

export function slotsOf(sig: Signature): ParamSlot[] {
  return sig.params.map((p) => {
    const slot: ParamSlot = { name: p.name, required: p.default === undefined };
    if (p.variadic) slot.rest = true;
    if (!p.positional) slot.named = true;
    return slot;
  });
}

/** The table's default of a parameter (a number), for settings the checker fills in. */
export function defaultOf(sig: Signature, name: string): number | null {
  const d = sig.params.find((p) => p.name === name)?.default;
  return typeof d === 'number' ? d : null;
}
