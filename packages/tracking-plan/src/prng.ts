// Deterministic randomness: a string hash, the mulberry32 generator and a few helpers on top.
// Nothing here reads the clock or Math.random, so the same seed always gives the same stream.

/** 32-bit FNV-1a hash of a string, mixed (so close strings give unrelated numbers). */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d)
  h ^= h >>> 15
  return h >>> 0
}

/** mulberry32: a small, fast 32-bit generator. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Rng {
  private readonly next: () => number

  constructor(seed: number | string) {
    this.next = mulberry32(typeof seed === 'number' ? seed : hash32(seed))
  }

  float(): number {
    return this.next()
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][]
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0)
    for (const [key, weight] of entries) {
      roll -= weight
      if (roll < 0) return key
    }
    return entries[entries.length - 1][0]
  }
}

/**
 * A UUID-shaped (version 4 layout) id derived from a label: the same label always gives the same id.
 * Two independent 32-bit hashes seed it, so distinct labels collide about as rarely as 64-bit ids.
 */
export function uuidFrom(label: string): string {
  const a = mulberry32(hash32(label))
  const b = mulberry32(hash32(label, 0x9e3779b9))
  const word = (rng: () => number) =>
    Math.floor(rng() * 4294967296)
      .toString(16)
      .padStart(8, '0')
  const hex = word(a) + word(b) + word(a) + word(b)
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
