// The values bound in a net or def body while it is expanded. A name whose
// binding failed is kept as `poisoned`, so its uses are silent instead of
// cascading errors; a `forbidden` name exists but may not be used here.
import type { Value } from './values.js';

export type Slot = Value | 'poisoned' | { forbidden: string; hint: string };

export class Env {
  private readonly vars = new Map<string, Slot>();

  lookup(name: string): Slot | undefined {
    return this.vars.get(name);
  }

  bind(name: string, v: Slot): void {
    this.vars.set(name, v);
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  names(): string[] {
    return [...this.vars.keys()];
  }
}
