// An independent SOQL tokenizer for the reliability suite, written from Salesforce's SOQL reference (quoted string
// escape sequences: \n \r \t \b \f \" \' \\ \uXXXX, and \_ \% inside LIKE patterns; any other backslash sequence
// is an error). It lets the fuzzer check a query's *meaning*: the shape (every string literal replaced by ?) must
// be one the action builds for ordinary input, and each literal must decode to a value the event carried.

export type SoqlToken = { kind: 'string'; value: string } | { kind: 'word' | 'number' | 'symbol'; text: string }

export class SoqlSyntaxError extends Error {
  override name = 'SoqlSyntaxError'
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%'
}

export function lexSoql(query: string): SoqlToken[] {
  const tokens: SoqlToken[] = []
  let i = 0
  while (i < query.length) {
    const c = query[i]
    if (/\s/.test(c)) {
      i++
    } else if (c === "'") {
      let value = ''
      i++
      for (;;) {
        if (i >= query.length) throw new SoqlSyntaxError(`unterminated string literal in: ${query.slice(0, 200)}`)
        const d = query[i]
        if (d === "'") {
          i++
          break
        }
        if (d === '\\') {
          const e = query[i + 1]
          if (e === 'u') {
            const hex = query.slice(i + 2, i + 6)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SoqlSyntaxError(`bad \\u escape in: ${query.slice(0, 200)}`)
            value += String.fromCharCode(parseInt(hex, 16))
            i += 6
          } else if (e !== undefined && e in SIMPLE_ESCAPES) {
            value += SIMPLE_ESCAPES[e]
            i += 2
          } else {
            throw new SoqlSyntaxError(`invalid escape \\${e ?? ''} in: ${query.slice(0, 200)}`)
          }
        } else {
          value += d
          i++
        }
      }
      tokens.push({ kind: 'string', value })
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i))![0]
      tokens.push({ kind: 'word', text: m })
      i += m.length
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9.:TZ+-]*/.exec(query.slice(i))![0]
      tokens.push({ kind: 'number', text: m })
      i += m.length
    } else {
      const two = query.slice(i, i + 2)
      const symbol = ['!=', '<=', '>='].includes(two) ? two : c
      tokens.push({ kind: 'symbol', text: symbol })
      i += symbol.length
    }
  }
  return tokens
}

/** The query with every string literal replaced by ? and keywords upper-cased: equal shapes mean equal meaning. */
export function soqlShape(tokens: readonly SoqlToken[]): string {
  return tokens.map((t) => (t.kind === 'string' ? '?' : t.kind === 'word' ? t.text.toUpperCase() : t.text)).join(' ')
}

export const soqlLiterals = (tokens: readonly SoqlToken[]): string[] =>
  tokens.flatMap((t) => (t.kind === 'string' ? [t.value] : []))

/** Every SOQL query in a request to Salesforce: the URL's own ?q= and those of composite subrequests. */
export function queriesInRequest(url: string, body: unknown): string[] {
  const urls = [url]
  const collect = (value: unknown) => {
    if (!value || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(collect)
    for (const [k, v] of Object.entries(value)) {
      if (k === 'url' && typeof v === 'string') urls.push(v)
      else collect(v)
    }
  }
  collect(body)
  return urls.flatMap((u) => {
    const m = /\/(?:query|queryAll)\/?\?(.*)$/.exec(u)
    if (!m) return []
    const q = new URLSearchParams(m[1]).get('q')
    return q === null ? [] : [q]
  })
}
