// Name scopes for the name checker: which names are bound, where, and whether
// a use comes before the binding (names are bound once, and in order).
import type { Span } from '../syntax/ast.js';

interface Bound {
  span: Span;
  /** Bindings that may only be used after their own statement (net/def bindings). */
  ordered: boolean;
}

export type Lookup = { state: 'bound'; span: Span } | { state: 'later'; span: Span } | { state: 'unbound' };

export class Scope {
  private readonly names = new Map<string, Bound>();

  constructor(private readonly parent: Scope | null = null) {}

  /** Binds `name`; returns the earlier binding's span if it was already bound here. */
  bind(name: string, span: Span, ordered: boolean): Span | null {
    const prior = this.names.get(name);
    if (prior) return prior.span;
    this.names.set(name, { span, ordered });
    return null;
  }

  /** Looks `name` up as used at source offset `at`. */
  lookup(name: string, at: number): Lookup {
    const b = this.names.get(name);
    if (b) return b.ordered && b.span.offset > at ? { state: 'later', span: b.span } : { state: 'bound', span: b.span };
    return this.parent ? this.parent.lookup(name, at) : { state: 'unbound' };
  }

  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }

  all(): string[] {
    return [...this.names.keys(), ...(this.parent?.all() ?? [])];
  }
}
