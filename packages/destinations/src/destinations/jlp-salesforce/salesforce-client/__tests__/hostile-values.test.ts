// Values the reliability fuzzer (test/reliability) found the client mishandling: a very long name quoted whole in an
// error, a field mapped as `false` put in a SELECT list, a 5,000-character supporter id looked up in a URL no server
// takes, and half of a UTF-16 pair (a lone surrogate, e.g. a truncated emoji) crashing the URL encoding.
import { PayloadValidationError } from '@segment/actions-core'
import nock from 'nock'
import { NOT_PROVIDED } from '../../common-fields'
import {
  apiName,
  byEmail,
  byExternalId,
  instanceOrigin,
  mapSalesforceError,
  soqlEquals,
  soqlSelect,
  writableFields
} from '..'
import { V, client, record, rows, soqlOf } from './fixture'

const thrown = (fn: () => unknown): Error => {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('did not throw')
}

describe('a 5,000-character name or setting', () => {
  const long = 'a'.repeat(4_999) + '-'

  it('a mapped field name is refused with a short message that still says what is wrong', () => {
    const err = thrown(() => writableFields('Contact', { [long]: 'x' }))
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message.length).toBeLessThan(250)
    expect(err.message).toMatch(/^"a{60}…" \(5,000 characters\) is not a Salesforce field API name/)
  })

  it('an object name that is not a string is shown as what it is, not [object Object]', () => {
    expect(() => apiName({ name: 'Contact' }, 'object')).toThrow(
      /^\{"name":"Contact"\} is not a Salesforce object API name/
    )
  })

  it('an Instance URL setting is quoted short', () => {
    const err = thrown(() => instanceOrigin(`https://${long}.example.org`))
    expect(err.message.length).toBeLessThan(250)
    expect(err.message).toMatch(/^The Instance URL "https:\/\/a+…" \(5,0\d\d characters\) is not a Salesforce address/)
  })
})

describe('Salesforce answers that quote a 5,000-character value', () => {
  it('give a short message that keeps the code, the field and the start of Salesforce’s words', () => {
    const refused = {
      errorCode: 'JSON_PARSER_ERROR',
      message: `Cannot deserialize instance of int from VALUE_STRING value ${'a'.repeat(5_000)}`,
      fields: ['Amount__c']
    }
    const err = mapSalesforceError(400, Array(8).fill(refused), 'updating JLP_Subscription__c')
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message.length).toBeLessThan(2_000)
    expect(err.message).toContain(
      'JSON_PARSER_ERROR on Amount__c: Cannot deserialize instance of int from VALUE_STRING'
    )
    expect(err.message).toMatch(/a…; JSON_PARSER_ERROR/)
    expect(err.message).toMatch(/; and 3 more\)/)
  })
})

describe('a mapped field name that is a SOQL word', () => {
  it.each(['false', 'TRUE', 'null', 'From', 'where', 'Limit'])('%s is refused before it reaches a query', (name) => {
    expect(() => soqlSelect({ object: 'Contact', fields: [name], where: soqlEquals('Email', 'a@b.org') })).toThrow(
      new PayloadValidationError(
        `"${name}" is not a Salesforce field API name (letters, digits and _ only, starting with a letter, not a ` +
          'SOQL word such as NULL or FROM; e.g. JLP_Supporter_Id__c).'
      )
    )
  })

  it('objects called Group and Order are still names', () => {
    expect(apiName('Group', 'object')).toBe('Group')
    expect(apiName('Order', 'object')).toBe('Order')
  })
})

describe('a supporter id or email longer than any Salesforce field that identifies a record', () => {
  afterEach(() => nock.cleanAll())

  it('is refused per event before any request: it could never match, and would not fit in a URL', async () => {
    const { seen } = record(() => [500])
    const apostrophes = "'".repeat(5_002)
    const err = thrown(() => byExternalId('JLP_Supporter_Id__c', apostrophes))
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message).toBe(
      `The JLP_Supporter_Id__c value "${"'".repeat(60)}…" (5,002 characters) is too long to find a Salesforce ` +
        'record by: fields that identify records hold at most 255 characters.'
    )
    expect(() => byEmail(`${'x'.repeat(250)}@example.org`)).toThrow(/Email value .* is too long/)
    const results = await client().upsertMany('Contact', [err as PayloadValidationError])
    expect(results.map((r) => r.ok)).toEqual([false])
    expect(seen).toEqual([])
  })
})

describe('half of an emoji (a lone surrogate) in a value', () => {
  afterEach(() => nock.cleanAll())

  it('a supporter id with one is refused as bad data before anything is sent (no URIError)', async () => {
    const { seen } = record(() => [500])
    const upsert = client().upsert('Contact', byExternalId('JLP_Supporter_Id__c', 'SUP-\ud83d'), { Email: 'a@b.org' })
    await expect(upsert).rejects.toThrow(PayloadValidationError)
    await expect(upsert).rejects.toThrow(
      /^"SUP-\ud83d" contains a broken character \(half of an emoji .*\), so it cannot name a Salesforce record/
    )
    expect(seen).toEqual([])
  })

  it('an email with one is looked up with that character escaped in the SOQL literal, and the event goes through', async () => {
    const { seen } = record((req) =>
      req.method === 'POST' && req.path === `${V}/composite`
        ? [
            200,
            {
              compositeResponse: [
                { referenceId: 'lookup', httpStatusCode: 200, body: rows([{ Id: '003A' }]) },
                { referenceId: 'write', httpStatusCode: 204, body: null }
              ]
            }
          ]
        : [404]
    )
    const result = await client().upsert('Contact', byEmail('zo\udc00e@example.org'), { FirstName: 'Zoe' })
    expect(result).toMatchObject({ ok: true, change: 'updated', id: '003A' })
    expect(soqlOf(seen[0].body.compositeRequest[0].url)).toContain("Email = 'zo\\udc00e@example.org'")
  })

  it('in a batch, the lookup by email still runs for every event (the query URL is well formed)', async () => {
    const { seen } = record((req) =>
      req.method === 'GET'
        ? [200, rows([{ Id: '003A', Email: 'ok@example.org' }])]
        : [200, [{ id: '003A', success: true }]]
    )
    const results = await client().upsertMany('Contact', [
      { match: byEmail('ok@example.org'), fields: { FirstName: 'Ok' }, onCreate: { LastName: NOT_PROVIDED } },
      { match: byEmail('half\ud800@example.org'), fields: { FirstName: 'Half' }, onCreate: { LastName: NOT_PROVIDED } }
    ])
    expect(results.map((r) => r.ok)).toEqual([true, true])
    expect(soqlOf(seen[0].path)).toContain("Email IN ('ok@example.org','half\\ud800@example.org')")
  })
})
