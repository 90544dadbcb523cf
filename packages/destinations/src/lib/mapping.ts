// Mapping-kit helpers shared by every destination's default mappings.

/** `{ '@if': exists … then … else … }` chain: the first of the paths that has a value. */
export function firstOf(...paths: string[]): Record<string, unknown> {
  const [head, ...rest] = paths
  if (rest.length === 0) return { '@path': head }
  return { '@if': { exists: { '@path': head }, then: { '@path': head }, else: firstOf(...rest) } }
}
