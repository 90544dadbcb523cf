// The reliability harness's own parts, without a vendor: the at-least-once stream, the state comparison, the SOQL
// tokenizer, the fuzz mutations and checks, and the request rewrites of the deliberately broken builds.
import fc from 'fast-check'
import { PayloadValidationError, RetryableError, type SegmentEvent } from '@segment/actions-core'
import { generateEvents, samples } from '@jlp/tracking-plan'
import { atLeastOnce } from './lib/stream'
import { compareStates, formatComparison, type CompareRules } from './lib/compare'
import { lexSoql, queriesInRequest, soqlLiterals, soqlShape } from './lib/soql-lexer'
import { applyMappingMutations, applyMutations, hostileValue, pathsOf } from './lib/fuzz'
import { isActionsCoreError, outcomeProblems, pollution, soqlProblems, unreadable } from './lib/checks'
import { dropOrttoActivityKeys, upsertsAsCreates } from './lib/builds'

const events = generateEvents({ seed: 7, count: 200 }) as unknown as SegmentEvent[]

describe('at-least-once stream', () => {
  it('delivers every event 1–3 times, shuffled, the same way for the same seed', () => {
    const stream = atLeastOnce(events, { seed: 1 })
    const copies = new Map<number, number>()
    for (const i of stream.origin) copies.set(i, (copies.get(i) ?? 0) + 1)
    expect(copies.size).toBe(events.length)
    expect(Math.min(...copies.values())).toBe(1)
    expect(Math.max(...copies.values())).toBe(3)
    expect(stream.duplicated).toBe([...copies.values()].filter((n) => n > 1).length)
    expect(stream.origin).not.toEqual([...stream.origin].sort((a, b) => a - b))
    expect(atLeastOnce(events, { seed: 1 }).origin).toEqual(stream.origin)
    expect(atLeastOnce(events, { seed: 2 }).origin).not.toEqual(stream.origin)
  })

  it('keeps the order when asked not to shuffle', () => {
    const { origin } = atLeastOnce(events, { seed: 3, shuffle: 'none' })
    expect(origin).toEqual([...origin].sort((a, b) => a - b))
  })
})

describe('state comparison', () => {
  const rules: CompareRules = {
    identity: { Contact: { fields: ['Email'] }, Opportunity: { fields: ['JLP_Ticket_Id__c'] } },
    systemFields: ['Id', 'CreatedDate'],
    totals: [{ label: 'ticket spend', object: 'Opportunity', field: 'Amount' }],
    isRecordId: (v) => typeof v === 'string' && /^00[0-9A-Z]{13}$/.test(v)
  }
  const clean = {
    Contact: [{ Id: '003000000000001', Email: 'a@x.org' }],
    Opportunity: [
      { Id: '006000000000001', JLP_Ticket_Id__c: 'T1', Amount: 5, ContactId: '003000000000001' },
      { Id: '006000000000002', JLP_Ticket_Id__c: 'T2', Amount: 5, ContactId: '003000000000001' }
    ],
    Task: [{ Id: '00T000000000001', Subject: 'Cart viewed', WhoId: '003000000000001' }]
  }

  it('finds no difference between equal states whose vendor ids differ', () => {
    const faulty = JSON.parse(JSON.stringify(clean).replace(/0000000000/g, '9999999999'))
    const c = compareStates(clean, faulty, rules)
    expect(c).toMatchObject({ ok: true, duplicates: 0, lost: 0, unexpected: 0 })
  })

  it('counts a duplicated record, a lost one and a different total', () => {
    const faulty = {
      Contact: clean.Contact,
      Opportunity: [clean.Opportunity[0], { ...clean.Opportunity[0], Id: '006000000000009' }],
      Task: [...clean.Task, { ...clean.Task[0], Id: '00T000000000002' }]
    }
    const c = compareStates(clean, faulty, rules)
    expect(c.ok).toBe(false)
    expect(c.objects.find((o) => o.object === 'Opportunity')).toMatchObject({ duplicates: 1, lost: 1 })
    // Tasks have no identity rule: they compare by content, with WhoId resolved to the Contact.
    expect(c.objects.find((o) => o.object === 'Task')).toMatchObject({ duplicates: 1, lost: 0 })
    expect(c.totals[0]).toMatchObject({ clean: 10, faulty: 10, equal: true })
    expect(formatComparison(c)).toMatch(/2 duplicates, 1 lost, 0 unexpected.*FAILED/)
  })

  it('reports a spend total that differs', () => {
    const faulty = { ...clean, Opportunity: [clean.Opportunity[0], { ...clean.Opportunity[1], Amount: 7 }] }
    const c = compareStates(clean, faulty, rules)
    expect(c.totals[0]).toMatchObject({ clean: 10, faulty: 12, equal: false })
    expect(c.ok).toBe(false)
  })
})

describe('SOQL tokenizer', () => {
  it('reads escaped literals and gives the same shape whatever they hold', () => {
    const q = "SELECT Id FROM Contact WHERE Email = 'o\\'brien@x.org' AND Name LIKE 'a\\_b\\%' LIMIT 1"
    const tokens = lexSoql(q)
    expect(soqlLiterals(tokens)).toEqual(["o'brien@x.org", 'a\\_b\\%'])
    expect(soqlShape(tokens)).toBe(
      soqlShape(lexSoql("select Id from Contact where Email = 'x' and Name like 'y' limit 1"))
    )
  })

  it('sees an injection as a different shape, and refuses what Salesforce refuses', () => {
    const injected = lexSoql("SELECT Id FROM Contact WHERE Email = 'x' OR Name != '' LIMIT 1")
    expect(soqlShape(injected)).not.toBe(soqlShape(lexSoql("SELECT Id FROM Contact WHERE Email = 'x' LIMIT 1")))
    expect(() => lexSoql("SELECT Id FROM Contact WHERE Email = 'x")).toThrow(/unterminated/)
    expect(() => lexSoql("SELECT Id FROM Contact WHERE Email = 'x\\q'")).toThrow(/invalid escape/)
  })

  it('finds the queries of a request and of its composite subrequests', () => {
    const q = encodeURIComponent("SELECT Id FROM Lead WHERE Email = 'a+b@x.org'")
    const body = { compositeRequest: [{ url: `/services/data/v66.0/query/?q=${q}`, method: 'GET' }] }
    expect(queriesInRequest(`https://x.my.salesforce.com/services/data/v66.0/query?q=${q}`, body)).toEqual([
      "SELECT Id FROM Lead WHERE Email = 'a+b@x.org'",
      "SELECT Id FROM Lead WHERE Email = 'a+b@x.org'"
    ])
  })

  it('flags a payload that left its literal or was split, and a query Salesforce could not lex', () => {
    const seen = (literal: string) => [
      {
        method: 'GET',
        url: `/services/data/v66.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Email = '${literal}'`)}`,
        status: 200,
        errorCodes: []
      }
    ]
    const payload = "zq' OR Name != 'zq"
    expect(soqlProblems(seen("zq\\' OR Name != \\'zq"), [payload])).toEqual([])
    expect(soqlProblems(seen(payload), [payload])).toEqual([
      expect.stringMatching(/split across literals/),
      expect.stringMatching(/split across literals/)
    ])
    expect(soqlProblems(seen("x' OR zq1 = 'y"), ["x' OR zq1 = 'y"])).toEqual([expect.stringMatching(/became part of/)])
    expect(soqlProblems(seen("o'b"), ["o'b"])).toEqual([expect.stringMatching(/malformed/)])
    expect(soqlProblems(seen("o\\'brien+zq@x.org"), ["O'Brien+zq@x.org "])).toEqual([])
  })
})

describe('fuzz mutations and checks', () => {
  const event = samples.identify.priya as unknown as SegmentEvent

  it('sets, deletes and pollutes paths of a copy, leaving the original alone', () => {
    const before = JSON.stringify(event)
    const { event: mutated, notes } = applyMutations(event, [
      { kind: 'set', at: pathsOf(event).indexOf('traits.email'), value: "o'brien" },
      { kind: 'delete', at: pathsOf(event).indexOf('userId') },
      { kind: 'pollute', at: 0, key: '__proto__' }
    ])
    expect(JSON.stringify(event)).toBe(before)
    expect((mutated.traits as Record<string, unknown>).email).toBe("o'brien")
    expect(mutated.userId).toBeUndefined()
    expect(Object.keys(mutated)).toContain('__proto__')
    expect(notes).toHaveLength(3)
    expect(pollution()).toEqual([])
  })

  it('mutates mappings: literals, missing paths and dropped fields', () => {
    const { mapping, notes } = applyMappingMutations({ email: { '@path': '$.traits.email' }, name: 'x' }, [
      { kind: 'drop', at: 0 },
      { kind: 'missing-path', at: 0, name: 'nope' }
    ])
    expect(notes).toEqual(['mapping -email', 'mapping name = {"@path":"$.properties.nope"}'])
    expect(mapping).toEqual({ name: { '@path': '$.properties.nope' } })
  })

  it('every hostile value survives JSON, as a Segment event must', () => {
    fc.assert(
      fc.property(hostileValue, (v) => {
        expect(() => JSON.stringify({ v })).not.toThrow()
      }),
      { numRuns: 300, seed: 9 }
    )
  })

  it('tells an actions-core error with a readable message from a crash', () => {
    expect(isActionsCoreError(new PayloadValidationError('The event has no email.'))).toBe(true)
    expect(isActionsCoreError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false)
    expect(unreadable('The event has no email to find the Contact by.')).toBeUndefined()
    expect(unreadable('Expected [object Object]')).toMatch(/object Object/)
    expect(unreadable('x'.repeat(5000))).toMatch(/5000 characters/)
    expect(outcomeProblems({ thrown: new TypeError('x is not a function'), items: [] })).toEqual([
      expect.stringMatching(/not an actions-core error/),
      expect.stringMatching(/a JS crash/)
    ])
    expect(outcomeProblems({ thrown: new RetryableError('Salesforce is busy (503).'), items: [] })).toEqual([
      expect.stringMatching(/vendor trouble/)
    ])
    expect(outcomeProblems({ items: [{ ok: false, errortype: 'PAYLOAD_VALIDATION_FAILED', message: '' }] })).toEqual([
      expect.stringMatching(/too short/)
    ])
  })
})

describe('broken builds', () => {
  it('turns an external-id upsert into a create, directly and inside a composite request', () => {
    const url = 'https://x.my.salesforce.com/services/data/v66.0/sobjects/Contact/JLP_Supporter_Id__c/SUP%201'
    expect(upsertsAsCreates(url, { method: 'PATCH', json: { LastName: 'A' } })).toEqual({
      url: 'https://x.my.salesforce.com/services/data/v66.0/sobjects/Contact',
      options: { method: 'POST', json: { LastName: 'A', JLP_Supporter_Id__c: 'SUP 1' } }
    })
    const composite = upsertsAsCreates('https://x.my.salesforce.com/services/data/v66.0/composite', {
      method: 'POST',
      json: {
        compositeRequest: [
          {
            method: 'PATCH',
            url: '/services/data/v66.0/sobjects/Campaign/JLP_Draw_Id__c/D1',
            body: {},
            referenceId: 'c'
          },
          { method: 'PATCH', url: '/services/data/v66.0/sobjects/Contact/003000000000001', body: {}, referenceId: 'p' }
        ]
      }
    })
    const subs = (composite.options.json as { compositeRequest: Array<Record<string, unknown>> }).compositeRequest
    expect(subs[0]).toMatchObject({
      method: 'POST',
      url: '/services/data/v66.0/sobjects/Campaign',
      body: { JLP_Draw_Id__c: 'D1' }
    })
    expect(subs[1]).toMatchObject({ method: 'PATCH', url: '/services/data/v66.0/sobjects/Contact/003000000000001' })
  })

  it('drops the Ortto activity key that makes a redelivery merge', () => {
    const out = dropOrttoActivityKeys('https://api.ap3api.com/v1/activities/create', {
      method: 'POST',
      json: { activities: [{ activity_id: 'act:cm:x', key: 'm1', created: '2026-01-01T00:00:00Z' }] }
    })
    expect(out.options.json).toEqual({ activities: [{ activity_id: 'act:cm:x', created: '2026-01-01T00:00:00Z' }] })
  })
})
