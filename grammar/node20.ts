// chevrotain 13 calls Object.groupBy (ES2024), which Node 20 lacks. This
// standard-conforming fallback is installed only where it is missing.
type GroupBy = <T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) => Partial<Record<K, T[]>>;

const objectWithGroupBy = Object as unknown as { groupBy?: GroupBy };
if (typeof objectWithGroupBy.groupBy !== 'function') {
  const groupBy: GroupBy = (items, key) => {
    const groups = Object.create(null) as Record<PropertyKey, unknown[]>;
    let index = 0;
    for (const item of items) {
      const k = key(item, index++);
      (groups[k] ??= []).push(item);
    }
    return groups as never;
  };
  Object.defineProperty(Object, 'groupBy', { value: groupBy, writable: true, configurable: true });
}
export {};
