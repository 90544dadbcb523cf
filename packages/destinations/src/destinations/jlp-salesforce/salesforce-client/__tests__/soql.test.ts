import fc from 'fast-check'
import { PayloadValidationError } from '@segment/actions-core'
import { apiName, soqlEquals, soqlIn, soqlSelect, soqlString } from '..'

/** Reads a SOQL string literal the way Salesforce's grammar defines it; throws on anything else. Returns the value
 * and what follows the literal. */
function readLiteral(text: string): { value: string; rest: string } {
  if (text[0] !== "'") throw new Error('no opening quote')
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' }
  let value = ''
  for (let i = 1; i < text.length; i++) {
    const c = text[i]
    if (c === "'") return { value, rest: text.slice(i + 1) }
    if (c !== '\\') {
      if (c < ' ' || c === '\u007f') throw new Error(`raw control character ${c.charCodeAt(0)}`)
      value += c
      continue
    }
    const e = text[++i]
    if (e in simple) value += simple[e]
    else if (e === 'u' && /^[0-9a-f]{4}$/i.test(text.slice(i + 1, i + 5))) {
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16))
      i += 4
    } else throw new Error(`illegal escape \\${e}`)
  }
  throw new Error('unterminated literal')
}

describe('SOQL string literals', () => {
  it.each([
    ["O'Brien", "'O\\'Brien'"],
    ['Flat 2\\3', "'Flat 2\\\\3'"],
    ["a\\'b", "'a\\\\\\'b'"],
    ['say "hi"', '\'say \\"hi\\"\''],
    ['line\nbreak\ttab\rcr', "'line\\nbreak\\ttab\\rcr'"],
    ['bell\u0007', "'bell\\u0007'"],
    ['Zoë – £25,000 ☘️', "'Zoë – £25,000 ☘️'"]
  ])('escapes %j', (value, literal) => {
    expect(soqlString(value)).toBe(literal)
    expect(readLiteral(literal)).toEqual({ value, rest: '' })
  })

  it('round-trips any string and always ends where it should (no injection)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const { value: read, rest } = readLiteral(`${soqlString(value)} OR Id != null`)
        expect(read).toBe(value)
        expect(rest).toBe(' OR Id != null')
      }),
      { numRuns: 2000 }
    )
  })

  it('keeps an injection attempt inside the literal', () => {
    const where = soqlEquals('Email', "x' OR Email != '")
    expect(where).toBe("Email = 'x\\' OR Email != \\''")
    expect(readLiteral(where.slice('Email = '.length))).toEqual({ value: "x' OR Email != '", rest: '' })
  })
})

describe('SOQL names', () => {
  it.each(['Email', 'JLP_Supporter_Id__c', 'npe03__Recurring_Donation__c', 'Contact'])('accepts %s', (name) => {
    expect(apiName(name)).toBe(name)
  })

  it.each(['', '1Email', '_Email', 'Email Address', "Email' OR '1'='1", 'Email)', 'Account.Name', 'Email--', 'É'])(
    'refuses %j with a readable error',
    (name) => {
      expect(() => apiName(name)).toThrow(PayloadValidationError)
      expect(() => apiName(name)).toThrow(/is not a Salesforce field API name/)
    }
  )

  it('checks every name of a SELECT', () => {
    expect(
      soqlSelect({
        object: 'Contact',
        fields: ['Email', 'Account.Name'],
        where: soqlIn('Email', ["o'brien@example.co.uk", 'a@b.org']),
        orderByDesc: 'LastModifiedDate',
        limit: 2
      })
    ).toBe(
      "SELECT Id, Email, Account.Name FROM Contact WHERE Email IN ('o\\'brien@example.co.uk','a@b.org') " +
        'ORDER BY LastModifiedDate DESC LIMIT 2'
    )
    expect(() => soqlSelect({ object: 'Contact; DELETE', fields: [], where: 'Id != null' })).toThrow(/object API name/)
    expect(() => soqlSelect({ object: 'Contact', fields: ['Id FROM User --'], where: 'Id != null' })).toThrow(
      /field API name/
    )
  })
})
