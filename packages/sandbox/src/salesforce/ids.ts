// Salesforce record ids: 15 case-sensitive characters (3-character key prefix, pod, base-62 number) and the
// 18-character form with a 3-character case checksum. The API answers with 18 and accepts either.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const POD = '8d'

export function checksum(id15: string): string {
  let out = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i)
      if (c >= 65 && c <= 90) flags |= 1 << i
    }
    out += SUFFIX[flags]
  }
  return out
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/

/** The 15-character form of a well-formed id (checksum verified), or undefined. */
export function to15(id: unknown): string | undefined {
  if (typeof id !== 'string' || !ID_SHAPE.test(id)) return undefined
  const short = id.slice(0, 15)
  if (id.length === 18 && checksum(short).toUpperCase() !== id.slice(15).toUpperCase()) return undefined
  return short
}

export const to18 = (id15: string) => id15 + checksum(id15)

export class IdFactory {
  private counters = new Map<string, number>()

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1
    this.counters.set(prefix, n)
    let digits = ''
    for (let v = n; v > 0; v = Math.floor(v / 62)) digits = BASE62[v % 62] + digits
    return to18(prefix + POD + digits.padStart(10, '0'))
  }

  reset(): void {
    this.counters.clear()
  }
}
