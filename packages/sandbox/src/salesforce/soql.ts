// SOQL, the subset real clients send: a tokenizer (Salesforce's string-literal escapes, date literals) and a
// recursive-descent parser into a small AST. Anything outside the grammar is MALFORMED_QUERY, as in Salesforce:
// an unescaped quote ends the literal early and leaves a stray token; an unescaped backslash is an illegal escape
// or swallows the closing quote.
//
//   query     := SELECT select FROM name [WHERE or] [ORDER BY order (',' order)*] [LIMIT n] [OFFSET n]
//   select    := COUNT '(' ')' | path (',' path)*
//   or        := and (OR and)*            -- AND and OR cannot be mixed without parentheses
//   and       := not (AND not)*
//   not       := NOT not | '(' or ')' | condition
//   condition := path op value | path [NOT] IN '(' value (',' value)* ')' | path [NOT] LIKE string
//   value     := string | number | TRUE | FALSE | NULL | date | datetime
import { SfError } from './errors'

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'date'; value: string }
  | { type: 'datetime'; value: number }

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>='

export type Condition =
  | { kind: 'compare'; path: string[]; op: Operator; value: Literal }
  | { kind: 'in'; path: string[]; negate: boolean; values: Literal[] }
  | { kind: 'like'; path: string[]; negate: boolean; pattern: RegExp; source: string }
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'not'; part: Condition }

export interface OrderItem {
  path: string[]
  descending: boolean
  nullsLast: boolean
}

export interface SoqlQuery {
  count: boolean
  fields: string[][]
  from: string
  where?: Condition
  orderBy: OrderItem[]
  limit?: number
  offset?: number
}

type TokenType = 'word' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof'

interface Token {
  type: TokenType
  text: string
  /** Position (0-based) in the query, for error messages. */
  at: number
  value?: string
  /** LIKE pattern as a regular expression source (wildcards applied, escaped characters literal). */
  like?: string
  /** The literal used \% or \_ (only valid in LIKE). */
  likeEscape?: boolean
}

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'LIMIT',
  'OFFSET',
  'TRUE',
  'FALSE',
  'NULL',
  'COUNT'
])

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' }
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/
const DATE = /^\d{4}-\d{2}-\d{2}/

export class SoqlError extends SfError {
  constructor(query: string, at: number, message: string) {
    super(
      400,
      'MALFORMED_QUERY',
      `\n${query}\n${' '.repeat(Math.max(0, at))}^\nERROR at Row:1:Column:${at + 1}\n${message}`
    )
  }
}

const escapeRegex = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function readString(q: string, start: number): { token: Token; end: number } {
  let value = ''
  let like = ''
  let likeEscape = false
  let i = start + 1
  for (;;) {
    if (i >= q.length) throw new SoqlError(q, start, `unexpected token: '${q.slice(start)}' (unterminated string)`)
    const c = q[i]
    if (c === "'") break
    if (c === '\\') {
      const e = q[i + 1]
      if (e === undefined) throw new SoqlError(q, i, 'unexpected end of query after a backslash')
      if (e === 'u' || e === 'U') {
        const hex = q.slice(i + 2, i + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw new SoqlError(q, i, `Invalid string literal: illegal unicode escape '\\${e}${hex}'`)
        }
        const ch = String.fromCharCode(parseInt(hex, 16))
        value += ch
        like += escapeRegex(ch)
        i += 6
        continue
      }
      const mapped = ESCAPES[e] ?? ESCAPES[e.toLowerCase()]
      if (mapped !== undefined && (e === e.toLowerCase() || /[NRTBF]/.test(e))) {
        value += mapped
        like += escapeRegex(mapped)
      } else if (e === '%' || e === '_') {
        value += e
        like += escapeRegex(e)
        likeEscape = true
      } else {
        throw new SoqlError(q, i, `Invalid string literal: illegal escape sequence '\\${e}'`)
      }
      i += 2
      continue
    }
    value += c
    like += c === '%' ? '.*' : c === '_' ? '.' : escapeRegex(c)
    i++
  }
  return { token: { type: 'string', text: q.slice(start, i + 1), at: start, value, like, likeEscape }, end: i + 1 }
}

export function tokenize(q: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < q.length) {
    const c = q[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === "'") {
      const { token, end } = readString(q, i)
      tokens.push(token)
      i = end
      continue
    }
    const rest = q.slice(i)
    const dt = DATETIME.exec(rest)
    if (dt) {
      tokens.push({ type: 'datetime', text: dt[0], at: i, value: dt[0] })
      i += dt[0].length
      continue
    }
    const d = DATE.exec(rest)
    if (d) {
      tokens.push({ type: 'date', text: d[0], at: i, value: d[0] })
      i += d[0].length
      continue
    }
    const num = /^-?(\d+(\.\d+)?|\.\d+)/.exec(rest)
    if (num && (c !== '-' || !tokens.length || ['op', 'punct', 'word'].includes(tokens[tokens.length - 1].type))) {
      tokens.push({ type: 'number', text: num[0], at: i, value: num[0] })
      i += num[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)
    if (word) {
      tokens.push({ type: 'word', text: word[0], at: i })
      i += word[0].length
      continue
    }
    const op = /^(<=|>=|!=|<>|=|<|>)/.exec(rest)
    if (op) {
      tokens.push({ type: 'op', text: op[0] === '<>' ? '!=' : op[0], at: i })
      i += op[0].length
      continue
    }
    if ('(),.'.includes(c)) {
      tokens.push({ type: 'punct', text: c, at: i })
      i++
      continue
    }
    throw new SoqlError(q, i, `unexpected character: '${c}'`)
  }
  tokens.push({ type: 'eof', text: '<EOF>', at: q.length })
  return tokens
}

class Parser {
  private pos = 0
  constructor(
    private readonly q: string,
    private readonly tokens: Token[]
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]
  }

  private next(): Token {
    return this.tokens[this.pos++]
  }

  private fail(token: Token, expected?: string): never {
    const what = token.type === 'eof' ? 'unexpected end of query' : `unexpected token: '${token.text}'`
    throw new SoqlError(this.q, token.at, expected ? `${what} (expected ${expected})` : what)
  }

  private isKeyword(token: Token, ...words: string[]): boolean {
    return token.type === 'word' && words.includes(token.text.toUpperCase())
  }

  private keyword(...words: string[]): Token {
    const t = this.next()
    if (!this.isKeyword(t, ...words)) this.fail(t, words.join(' or '))
    return t
  }

  private accept(...words: string[]): boolean {
    if (this.isKeyword(this.peek(), ...words)) {
      this.pos++
      return true
    }
    return false
  }

  private punct(p: string): void {
    const t = this.next()
    if (t.type !== 'punct' || t.text !== p) this.fail(t, `'${p}'`)
  }

  private name(): string {
    const t = this.next()
    if (t.type !== 'word' || KEYWORDS.has(t.text.toUpperCase())) this.fail(t, 'a field or object name')
    return t.text
  }

  private path(): string[] {
    const parts = [this.name()]
    while (this.peek().type === 'punct' && this.peek().text === '.') {
      this.pos++
      parts.push(this.name())
    }
    return parts
  }

  private integer(): number {
    const t = this.next()
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) this.fail(t, 'a whole number')
    return Number(t.text)
  }

  parse(): SoqlQuery {
    this.keyword('SELECT')
    const query: SoqlQuery = { count: false, fields: [], from: '', orderBy: [] }
    if (this.isKeyword(this.peek(), 'COUNT') && this.peek(1).text === '(') {
      this.pos++
      this.punct('(')
      this.punct(')')
      query.count = true
    } else {
      query.fields.push(this.path())
      while (this.peek().text === ',' && this.peek().type === 'punct') {
        this.pos++
        query.fields.push(this.path())
      }
    }
    this.keyword('FROM')
    query.from = this.name()
    if (this.accept('WHERE')) query.where = this.or()
    if (this.accept('ORDER')) {
      this.keyword('BY')
      do {
        const path = this.path()
        const descending = this.accept('DESC') ? true : (this.accept('ASC'), false)
        let nullsLast = descending
        if (this.accept('NULLS')) nullsLast = this.keyword('FIRST', 'LAST').text.toUpperCase() === 'LAST'
        query.orderBy.push({ path, descending, nullsLast })
      } while (this.peek().type === 'punct' && this.peek().text === ',' && this.next())
    }
    if (this.accept('LIMIT')) query.limit = this.integer()
    if (this.accept('OFFSET')) query.offset = this.integer()
    const end = this.next()
    if (end.type !== 'eof') this.fail(end)
    return query
  }

  private or(): Condition {
    return this.chain(this.and(), 'OR', 'AND')
  }

  private and(): Condition {
    return this.chain(this.not(), 'AND', 'OR')
  }

  /** `first` joined by `word`; the other connective may not follow at this level (SOQL wants parentheses). */
  private chain(first: Condition, word: 'AND' | 'OR', other: 'AND' | 'OR'): Condition {
    if (!this.isKeyword(this.peek(), word)) return first
    const parts = [first]
    while (this.accept(word)) parts.push(this.not())
    if (this.isKeyword(this.peek(), other)) this.fail(this.peek(), 'parentheses around mixed AND and OR')
    return { kind: word === 'AND' ? 'and' : 'or', parts }
  }

  private not(): Condition {
    if (this.accept('NOT')) return { kind: 'not', part: this.not() }
    if (this.peek().type === 'punct' && this.peek().text === '(') {
      this.pos++
      const inner = this.or()
      this.punct(')')
      return inner
    }
    return this.condition()
  }

  private condition(): Condition {
    const path = this.path()
    const negate = this.accept('NOT')
    if (this.accept('IN')) {
      this.punct('(')
      const values = [this.literal()]
      while (this.peek().type === 'punct' && this.peek().text === ',') {
        this.pos++
        values.push(this.literal())
      }
      this.punct(')')
      return { kind: 'in', path, negate, values }
    }
    if (this.accept('LIKE')) {
      const t = this.next()
      if (t.type !== 'string') this.fail(t, 'a string')
      return { kind: 'like', path, negate, pattern: new RegExp(`^${t.like}$`, 'is'), source: t.value! }
    }
    if (negate) this.fail(this.peek(), 'IN or LIKE')
    const op = this.next()
    if (op.type !== 'op') this.fail(op, 'an operator')
    return { kind: 'compare', path, op: op.text as Operator, value: this.literal() }
  }

  private literal(): Literal {
    const t = this.next()
    switch (t.type) {
      case 'string':
        if (t.likeEscape) {
          throw new SoqlError(this.q, t.at, `Invalid string literal ${t.text}: \\% and \\_ are only allowed in LIKE`)
        }
        return { type: 'string', value: t.value! }
      case 'number':
        return { type: 'number', value: Number(t.value) }
      case 'date':
        return { type: 'date', value: t.value! }
      case 'datetime':
        return { type: 'datetime', value: Date.parse(t.value!.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) }
      case 'word': {
        const w = t.text.toUpperCase()
        if (w === 'TRUE' || w === 'FALSE') return { type: 'boolean', value: w === 'TRUE' }
        if (w === 'NULL') return { type: 'null' }
        return this.fail(t, 'a value')
      }
      default:
        return this.fail(t, 'a value')
    }
  }
}

export function parseSoql(q: string): SoqlQuery {
  return new Parser(q, tokenize(q)).parse()
}
