// SOQL: the tokenizer's string-literal escapes, the grammar, evaluation, and Salesforce's error codes.
import fc from 'fast-check'
import { parseSoql } from '..'
import { salesforceClient, soqlString, useSandbox } from './helpers'

const current = useSandbox()
const q = (soql: string) => current().salesforce.query(soql)
const malformed = (soql: string) =>
  expect(() => parseSoql(soql)).toThrow(expect.objectContaining({ errorCode: 'MALFORMED_QUERY' }))

describe('parser', () => {
  it('parses the subset clients send into an AST', () => {
    expect(
      parseSoql(
        "SELECT Id, Account.Name FROM Contact WHERE (Email = 'a@b.c' OR LastName IN ('x', 'y')) AND Amount__c != 5.5 " +
          'ORDER BY LastName DESC NULLS FIRST, Id LIMIT 10 OFFSET 2'
      )
    ).toEqual({
      count: false,
      fields: [['Id'], ['Account', 'Name']],
      from: 'Contact',
      where: {
        kind: 'and',
        parts: [
          {
            kind: 'or',
            parts: [
              { kind: 'compare', path: ['Email'], op: '=', value: { type: 'string', value: 'a@b.c' } },
              {
                kind: 'in',
                path: ['LastName'],
                negate: false,
                values: [
                  { type: 'string', value: 'x' },
                  { type: 'string', value: 'y' }
                ]
              }
            ]
          },
          { kind: 'compare', path: ['Amount__c'], op: '!=', value: { type: 'number', value: 5.5 } }
        ]
      },
      orderBy: [
        { path: ['LastName'], descending: true, nullsLast: false },
        { path: ['Id'], descending: false, nullsLast: false }
      ],
      limit: 10,
      offset: 2
    })
  })

  it.each([
    ["'O\\'Brien'", "O'Brien"],
    ["'back\\\\slash'", 'back\\slash'],
    ['\'say \\"hi\\"\'', 'say "hi"'],
    ["'a\\nb\\rc\\td\\be\\ff'", 'a\nb\rc\td\be\ff'],
    ["'A\\NB\\RC\\TD'", 'A\nB\rC\tD'],
    ["'caf\\u00e9'", 'café'],
    ["'100% _literal_'", '100% _literal_']
  ])('string literal %s is %j', (literal, value) => {
    const where = parseSoql(`SELECT Id FROM Lead WHERE LastName = ${literal}`).where
    expect(where).toEqual({ kind: 'compare', path: ['LastName'], op: '=', value: { type: 'string', value } })
  })

  it.each([
    ["SELECT Id FROM Lead WHERE LastName = 'O'Brien'", 'an unescaped quote ends the literal early'],
    ["SELECT Id FROM Lead WHERE LastName = 'x' OR LastName = 'x' OR '1'='1'", 'a literal where a field belongs'],
    ["SELECT Id FROM Lead WHERE LastName = 'back\\'", 'a trailing backslash swallows the closing quote'],
    ["SELECT Id FROM Lead WHERE LastName = 'a\\qb'", 'an illegal escape'],
    ["SELECT Id FROM Lead WHERE LastName = 'a\\u12'", 'a short unicode escape'],
    ["SELECT Id FROM Lead WHERE LastName = '50\\%'", '\\% outside LIKE'],
    [
      "SELECT Id FROM Lead WHERE LastName = 'a' AND Email = 'b' OR Company = 'c'",
      'AND and OR mixed without parentheses'
    ],
    ['SELECT Id FROM Lead WHERE', 'a missing condition'],
    ["SELECT Id FROM Lead WHERE LastName = 'a'; DELETE", 'trailing text'],
    ['SELECT FROM Lead', 'no fields'],
    ['SELECT Id Lead', 'no FROM'],
    ["SELECT Id FROM Lead WHERE LastName NOT = 'a'", 'NOT before an operator'],
    ['SELECT Id FROM Lead LIMIT -1', 'a negative LIMIT']
  ])('MALFORMED_QUERY: %s (%s)', (soql) => malformed(soql))

  it('points at the offending position like Salesforce', () => {
    expect(() => parseSoql("SELECT Id FROM Lead WHERE LastName = 'a' junk")).toThrow(
      /ERROR at Row:1:Column:42\nunexpected token: 'junk'/
    )
  })
})

describe('evaluation', () => {
  beforeEach(() => {
    const s = current().salesforce
    const acme = s.insert('Account', { Name: 'Acme' })
    s.insert('Contact', { LastName: "O'Brien", FirstName: 'Pat', Email: 'pat@example.org', AccountId: acme.Id })
    s.insert('Contact', { LastName: 'Back\\slash', Email: 'bs@example.org' })
    s.insert('Contact', { LastName: '50% off_sale', HasOptedOutOfEmail: true })
    for (const [name, amount, stage, close] of [
      ['A', 10, 'Closed Won', '2025-01-10'],
      ['B', 250.5, 'Pledged', '2025-03-01'],
      ['C', null, 'Closed Lost', '2024-12-31']
    ] as const) {
      s.insert('Opportunity', { Name: name, Amount: amount, StageName: stage, CloseDate: close })
    }
  })

  const names = (soql: string) => q(soql).map((r) => r.Name ?? r.LastName)

  it('finds names with quotes and backslashes when escaped', () => {
    expect(names("SELECT LastName FROM Contact WHERE LastName = 'O\\'Brien'")).toEqual(["O'Brien"])
    expect(names("SELECT LastName FROM Contact WHERE LastName = 'Back\\\\slash'")).toEqual(['Back\\slash'])
  })

  it('= is case-insensitive on text; % and _ are literal outside LIKE', () => {
    expect(names("SELECT LastName FROM Contact WHERE Email = 'PAT@example.ORG'")).toEqual(["O'Brien"])
    expect(names("SELECT LastName FROM Contact WHERE LastName = '50% off_sale'")).toEqual(['50% off_sale'])
    expect(names("SELECT LastName FROM Contact WHERE LastName = '5% off_sale'")).toEqual([])
  })

  it('LIKE: % and _ are wildcards, \\% and \\_ literal', () => {
    expect(names("SELECT LastName FROM Contact WHERE LastName LIKE 'o%'")).toEqual(["O'Brien"])
    expect(names("SELECT LastName FROM Contact WHERE LastName LIKE '50\\% off\\_sale'")).toEqual(['50% off_sale'])
    expect(names("SELECT LastName FROM Contact WHERE LastName LIKE '5_\\% %'")).toEqual(['50% off_sale'])
    expect(names("SELECT LastName FROM Contact WHERE LastName LIKE '5\\_%'")).toEqual([])
  })

  it('numbers, booleans, null, !=, IN, NOT IN, parentheses', () => {
    expect(names('SELECT Name FROM Opportunity WHERE Amount > 10 ORDER BY Name')).toEqual(['B'])
    expect(names('SELECT Name FROM Opportunity WHERE Amount = null')).toEqual(['C'])
    expect(names('SELECT Name FROM Opportunity WHERE Amount != null ORDER BY Name')).toEqual(['A', 'B'])
    expect(names('SELECT Name FROM Opportunity WHERE IsWon = true')).toEqual(['A'])
    expect(names('SELECT LastName FROM Contact WHERE HasOptedOutOfEmail = true')).toEqual(['50% off_sale'])
    expect(names("SELECT Name FROM Opportunity WHERE StageName IN ('Pledged', 'closed lost') ORDER BY Name")).toEqual([
      'B',
      'C'
    ])
    expect(names("SELECT Name FROM Opportunity WHERE StageName NOT IN ('Pledged')  ORDER BY Name")).toEqual(['A', 'C'])
    expect(
      names(
        "SELECT Name FROM Opportunity WHERE (Amount < 100 AND IsWon = true) OR (NOT StageName = 'Closed Won' AND Amount > 100)"
      )
    ).toEqual(['A', 'B'])
  })

  it('dates and datetimes are unquoted literals', () => {
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate >= 2025-01-01 ORDER BY CloseDate DESC')).toEqual([
      'B',
      'A'
    ])
    expect(names('SELECT Name FROM Opportunity WHERE CreatedDate > 2000-01-01T00:00:00Z LIMIT 1')).toHaveLength(1)
  })

  it('ORDER BY with NULLS LAST, LIMIT and OFFSET', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS LAST')).toEqual(['B', 'A', 'C'])
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount ASC')).toEqual(['C', 'A', 'B'])
    expect(names('SELECT Name FROM Opportunity ORDER BY Name LIMIT 1 OFFSET 1')).toEqual(['B'])
  })

  it('parent paths in SELECT and WHERE nest like Salesforce', () => {
    const [row] = q("SELECT Id, Account.Name FROM Contact WHERE Account.Name = 'Acme'")
    expect(row).toMatchObject({ Account: { attributes: { type: 'Account' }, Name: 'Acme' } })
    const [noAccount] = q("SELECT Account.Name FROM Contact WHERE LastName = 'Back\\\\slash'")
    expect(noAccount.Account).toMatchObject({ Name: 'Back\\slash Household' })
  })

  it('COUNT() answers totalSize only', async () => {
    const res = await salesforceClient(current())(
      'GET',
      `/query?q=${encodeURIComponent('SELECT COUNT() FROM Opportunity WHERE Amount > 0')}`
    )
    expect(res.body).toEqual({ totalSize: 2, done: true, records: [] })
  })

  it.each([
    ['SELECT Nope__c FROM Contact', 'INVALID_FIELD', /No such column 'Nope__c' on entity 'Contact'/],
    ['SELECT Id FROM Nope__c', 'INVALID_TYPE', /sObject type 'Nope__c' is not supported/],
    ['SELECT Id FROM JLP_Payment_Failed__e', 'INVALID_TYPE', /not supported/],
    [
      "SELECT Id FROM Opportunity WHERE Amount = '5'",
      'INVALID_FIELD',
      /must be of type number and should not be enclosed in quotes/
    ],
    [
      'SELECT Id FROM Contact WHERE LastName = 5',
      'INVALID_FIELD',
      /must be of type string and should be enclosed in quotes/
    ],
    ["SELECT Id FROM Contact WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: nope/]
  ])('%s → %s', async (soql, errorCode, message) => {
    const res = await salesforceClient(current())('GET', `/query?q=${encodeURIComponent(soql)}`)
    expect(res.status).toBe(400)
    expect(res.body[0]).toMatchObject({ errorCode, message: expect.stringMatching(message) })
  })

  it('GET /query/ (trailing slash) answers the same; a missing q is MALFORMED_QUERY', async () => {
    const sf = salesforceClient(current())
    const res = await sf('GET', `/query/?q=${encodeURIComponent("SELECT Id, Name FROM Account WHERE Name = 'Acme'")}`)
    expect(res.body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: {
            type: 'Account',
            url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/)
          },
          Id: expect.any(String),
          Name: 'Acme'
        }
      ]
    })
    expect((await sf('GET', '/query')).body[0].errorCode).toBe('MALFORMED_QUERY')
  })
})

describe('escaping round trip (property)', () => {
  it('any name, escaped as Salesforce documents, finds exactly its record', () => {
    const s = current().salesforce
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), (name) => {
        current().reset()
        s.insert('Contact', { LastName: name })
        s.insert('Contact', { LastName: `${name}x` })
        const found = s.query(`SELECT LastName FROM Contact WHERE LastName = ${soqlString(name)}`)
        expect(found.map((r) => r.LastName)).toEqual([name])
      }),
      { numRuns: 300 }
    )
  })

  it('an unescaped quote, or a backslash that escapes nothing, never parses into another query', () => {
    const clean = (t: string) => t.replace(/[\\']/g, '')
    const tail = fc
      .string({ maxLength: 20 })
      .map(clean)
      .filter((t) => !/^[nrtbfNRTBFuU"%_]/.test(t))
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).map(clean), fc.constantFrom("'", '\\'), tail, (a, bad, b) => {
        const soql = `SELECT Id FROM Contact WHERE LastName = '${a}${bad}${b}'`
        expect(() => parseSoql(soql)).toThrow(expect.objectContaining({ errorCode: 'MALFORMED_QUERY' }))
      }),
      { numRuns: 300 }
    )
  })
})
