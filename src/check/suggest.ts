// "did you mean …": the closest known name by edit distance (with
// transpositions, so `adma` finds `adam`), if it is close enough to be a typo.

export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The best candidate within typo distance of `name`, or null. */
export function closest(name: string, candidates: Iterable<string>): string | null {
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const dist = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, c);
    if (dist < bestDistance || (dist === bestDistance && best !== null && c < best)) {
      best = c;
      bestDistance = dist;
    }
  }
  if (bestDistance <= limit) return best;
  return wordMatch(name, candidates);
}

/** Not a typo but a near miss in wording: `dense_layer` → `dense`, `glorot` → `glorot_normal`. */
function wordMatch(name: string, candidates: Iterable<string>): string | null {
  const words = name.toLowerCase().split('_').filter((w) => w.length >= 3);
  const sorted = [...candidates].sort();
  return (
    sorted.find((c) => words.includes(c.toLowerCase())) ??
    sorted.find((c) => name.length >= 3 && c.toLowerCase().startsWith(name.toLowerCase())) ??
    null
  );
}

/** `{ hint: "did you mean `x`?" }`, or a list of the options when few and none is close. */
export function didYouMean(name: string, candidates: readonly string[], listIfFew = 0): { hint?: string } {
  const best = closest(name, candidates);
  if (best !== null) return { hint: `did you mean \`${best}\`?` };
  if (candidates.length > 0 && candidates.length <= listIfFew) return { hint: `expected one of: ${candidates.map((c) => `\`${c}\``).join(', ')}` };
  return {};
}
