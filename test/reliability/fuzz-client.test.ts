// Property-based fuzzing of the Salesforce client's pure parts, checked against an independent reading of
// Salesforce's rules: any string becomes exactly one SOQL literal holding exactly that string (no injection changes
// a query's meaning), names are either valid API names or refused readably, only https Salesforce hosts ever get
// the token, and any answer Salesforce could give maps to an actions-core error a person can read.
import fc from 'fast-check'
import { PayloadValidationError, RetryableError, InvalidAuthenticationError } from '@segment/actions-core'
import {
  apiName,
  dataPath,
  mapSalesforceError,
  salesforceOrigin,
  soqlEquals,
  soqlIn,
  soqlSelect,
  sobjectPath
} from '@jlp/destinations/src/destinations/jlp-salesforce/salesforce-client'
import { isActionsCoreError, unreadable } from './lib/checks'
import { SOQL_METACHARACTERS, hostileValue } from './lib/fuzz'
import { lexSoql, soqlLiterals, soqlShape } from './lib/soql-lexer'

/** CI runs a share of the full run's cases; RELIABILITY_FUZZ_RUNS raises it. */
const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 400)
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261123)

// Each property's case takes well under 1 ms; the budget allows ten times more on a loaded machine.
jest.setTimeout(30_000 + RUNS * 10)

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom(...SOQL_METACHARACTERS),
  fc
    .array(
      fc.constantFrom("'", '\\', '"', '%', '_', '\n', '\u0000', '\u2028', 'a', ' OR ', '\\u0027', '\ud83d', '\ude00'),
      {
        maxLength: 30
      }
    )
    .map((parts) => parts.join(''))
)

describe('SOQL built by the client keeps its meaning for any input', () => {
  const shape = soqlShape(
    lexSoql("SELECT Id, Email FROM Contact WHERE Email = 'x' ORDER BY LastModifiedDate DESC LIMIT 1")
  )

  it('a string literal decodes to exactly the input, and the query shape never changes', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const soql = soqlSelect({
          object: 'Contact',
          fields: ['Email'],
          where: soqlEquals('Email', value),
          orderByDesc: 'LastModifiedDate',
          limit: 1
        })
        const tokens = lexSoql(soql)
        expect(soqlLiterals(tokens)).toEqual([value])
        expect(soqlShape(tokens)).toBe(shape)
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })

  it('an IN list holds exactly the values, one literal each', () => {
    fc.assert(
      fc.property(fc.array(anyString, { minLength: 1, maxLength: 6 }), (values) => {
        const tokens = lexSoql(`SELECT Id FROM Lead WHERE ${soqlIn('Email', values)}`)
        expect(soqlLiterals(tokens)).toEqual(values)
        expect(tokens.filter((t) => t.kind === 'word').map((t) => (t as { text: string }).text)).toEqual([
          'SELECT',
          'Id',
          'FROM',
          'Lead',
          'WHERE',
          'Email',
          'IN'
        ])
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })

  it('a literal survives the trip through the query URL (encodeURIComponent, then the server decoding it)', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const url = `/services/data/v66.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE ${soqlEquals('Email', value)}`)}`
        const q = new URLSearchParams(url.split('?')[1]).get('q')!
        expect(soqlLiterals(lexSoql(q))).toEqual([value])
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })

  it('a name is a valid API name or a PayloadValidationError a person can read', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, hostileValue), (name) => {
        try {
          expect(apiName(name)).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/)
        } catch (err) {
          expect(err).toBeInstanceOf(PayloadValidationError)
          expect(unreadable((err as Error).message)).toBeUndefined()
        }
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })
})

describe('a value in a record URL', () => {
  it('is encoded so the server reads back exactly that value, or refused as a PayloadValidationError', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        let path: string
        try {
          path = sobjectPath('Contact', 'JLP_Supporter_Id__c', value)
        } catch (err) {
          expect(err).toBeInstanceOf(PayloadValidationError)
          expect(unreadable((err as Error).message)).toBeUndefined()
          return
        }
        const prefix = `${dataPath('sobjects/Contact/JLP_Supporter_Id__c')}/`
        expect(path.startsWith(prefix)).toBe(true)
        const segment = path.slice(prefix.length)
        expect(segment).not.toMatch(/[/?#]/)
        expect(decodeURIComponent(segment)).toBe(value)
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })
})

describe('the access token only ever goes to an https Salesforce host', () => {
  const hosts = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTPS://', 'https://user:pw@', '//', 'javascript:', 'https:/'),
        fc.constantFrom('acme.my.salesforce.com', 'evil.com', 'salesforce.com', 'acme.force.com', 'x.salesforce.mil'),
        fc.constantFrom(
          '',
          '.evil.com',
          '@evil.com',
          '/x.salesforce.com',
          ':443',
          ':8443',
          '#.salesforce.com',
          '?a=.salesforce.com',
          '%2e',
          '\u0000',
          ' '
        ),
        fc.constantFrom('', '/', '/services', '\\@evil.com')
      )
      .map((p) => p.join('')),
    hostileValue
  )

  it('accepts a URL only when its host is one of Salesforce’s, over https, with nothing else in it', () => {
    fc.assert(
      fc.property(hosts, (url) => {
        const origin = salesforceOrigin(url, false)
        if (origin === undefined) return
        const parsed = new URL(origin)
        expect(parsed.protocol).toBe('https:')
        expect(parsed.username + parsed.password).toBe('')
        expect(parsed.pathname + parsed.search + parsed.hash).toBe('/')
        expect(parsed.hostname).toMatch(/\.(salesforce\.com|force\.com|salesforce\.mil)$/)
        expect(origin).toBe(parsed.origin)
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })
})

describe('any Salesforce answer maps to an actions-core error a person can read', () => {
  const codes = fc.constantFrom(
    'REQUEST_LIMIT_EXCEEDED',
    'UNABLE_TO_LOCK_ROW',
    'INVALID_SESSION_ID',
    'MALFORMED_QUERY',
    'INVALID_FIELD',
    'DUPLICATE_VALUE',
    'REQUIRED_FIELD_MISSING',
    'STRING_TOO_LONG',
    'INVALID_EMAIL_ADDRESS',
    'NOT_FOUND',
    '',
    'SOMETHING_NEW'
  )
  const message = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...SOQL_METACHARACTERS))
  const bodies = fc.oneof(
    fc.array(
      fc.record({ message, errorCode: codes, fields: fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }) }),
      {
        maxLength: 3
      }
    ),
    fc.record({ error: fc.constantFrom('invalid_grant', 'invalid_client'), error_description: message }),
    fc.string({ maxLength: 400 }),
    fc.constant(undefined),
    fc.constant(null),
    fc.jsonValue({ maxDepth: 2 })
  )
  const statuses = fc.oneof(
    fc.constantFrom(300, 400, 401, 403, 404, 409, 412, 413, 414, 429, 500, 502, 503),
    fc.integer({ min: 300, max: 599 })
  )

  it('classifies every answer, and never retries bad data or gives up on an outage', () => {
    fc.assert(
      fc.property(statuses, bodies, (status, body) => {
        const err = mapSalesforceError(status, body, 'upserting Contact by Email')
        expect(isActionsCoreError(err)).toBe(true)
        expect(unreadable(err.message)).toBeUndefined()
        if (status >= 500 && !(err instanceof InvalidAuthenticationError)) expect(err).toBeInstanceOf(RetryableError)
        if (status === 401) expect(err).toBeInstanceOf(InvalidAuthenticationError)
      }),
      { numRuns: RUNS, seed: SEED }
    )
  })
})
