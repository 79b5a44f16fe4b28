/** A small seeded PRNG (mulberry32) so property-style tests replay the same cases on failure. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random topic of 1..maxDepth levels drawn from a small alphabet, so topics share prefixes. */
export function randomTopic(random: () => number, maxDepth = 5): string {
  const names = ['a', 'b', 'c', '', '$SYS', 'sensors', 'x y', 'ü'];
  const depth = 1 + Math.floor(random() * maxDepth);
  const levels: string[] = [];
  for (let i = 0; i < depth; i++) levels.push(names[Math.floor(random() * names.length)] as string);
  return levels.join('/');
}
