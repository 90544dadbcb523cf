import { catalogueHtml, catalogueMarkdown, describeDestinations } from '../catalogue'
import { fqlInWords, mappingInWords } from '../words'
import { fixture, fixtureTouches } from './fixture'

describe('triggers in words', () => {
  it.each([
    ['type = "track" and event = "Cart Viewed"', 'the track event “Cart Viewed”'],
    [
      'type = "track" and (event = "Plan Changed" or event = "Plan Renewed")',
      'the track event “Plan Changed” or “Plan Renewed”'
    ],
    ['type = "identify"', 'any identify call'],
    ['event = "A" or event = "B"', 'the event “A” or “B”'],
    [
      'type = "track" and event = "Order Completed" and properties.total > 10',
      'the track event “Order Completed” when property total is more than 10'
    ],
    ['type = "track" and properties.recurring = true', 'any track call and property recurring is true'],
    ['properties.email exists', 'property email is present']
  ])('%s', (fql, words) => {
    expect(fqlInWords(fql)).toBe(words)
  })
})

describe('mappings in words', () => {
  it.each([
    [{ '@path': '$.properties.email' }, 'properties.email'],
    [{ '@template': 'JLP: {{event}}' }, 'text “JLP: {{event}}”'],
    ['Closed Won', '"Closed Won"'],
    [3, '3'],
    [
      {
        '@if': {
          exists: { '@path': '$.traits.email' },
          then: { '@path': '$.traits.email' },
          else: { '@path': '$.properties.email' }
        }
      },
      'first present of traits.email, properties.email'
    ],
    [
      { '@if': { exists: { '@path': '$.traits.phone' }, then: { '@path': '$.context.traits.phone' } } },
      'context.traits.phone if traits.phone is present'
    ],
    [{ first: { '@path': '$.traits.first_name' }, last: 'Doe' }, '{ first: traits.first_name, last: "Doe" }'],
    [
      { '@arrayPath': ['$.properties.tickets', { id: { '@path': '$.ticket_id' } }] },
      'each of properties.tickets as { id: ticket_id }'
    ]
  ])('%j', (mapping, words) => {
    expect(mappingInWords(mapping)).toBe(words)
  })
})

describe('catalogue', () => {
  const catalogue = describeDestinations({ fixture }, (d, a) =>
    d === 'fixture' && a === 'remember' ? fixtureTouches : undefined
  )

  it('describes presets, actions with the objects they touch, and settings with their variables', () => {
    const [d] = catalogue
    expect(d.presets.map((p) => [p.name, p.trigger, p.action])).toEqual([
      ['Remember signups', 'the track event “Signed Up”', 'remember'],
      ['Remember plan changes', 'the track event “Plan Changed” or “Plan Renewed”', 'remember']
    ])
    expect(d.presets[0].mapping).toEqual([
      { field: 'email', label: 'Email', source: 'properties.email', description: 'Supporter email.', own: false },
      {
        field: 'plan',
        label: 'Plan',
        source: 'properties.plan',
        description: 'Which plan the supporter is on.',
        own: false
      }
    ])
    expect(d.actions[0]).toMatchObject({ key: 'remember', batch: true, touches: fixtureTouches })
    expect(d.settings.map((s) => [s.variable, s.required, s.secret])).toEqual([
      ['FIXTURE_BASE_URL', true, false],
      ['FIXTURE_API_KEY', true, true],
      ['FIXTURE_REGION', false, false]
    ])
  })

  it('writes Markdown tables with every preset and field; a preset row shows what it maps differently', () => {
    const [signups, changes] = fixture.presets!
    const tuned = { ...changes, mapping: { ...changes.mapping, plan: { '@path': '$.properties.new_plan' } } }
    const md = catalogueMarkdown(
      describeDestinations({ fixture: { ...fixture, presets: [signups, tuned] } }, () => fixtureTouches)
    )
    expect(md).toContain(
      "| Remember signups | the track event “Signed Up” | Remember supporter (`remember`) | the action's default mapping (2 fields) |"
    )
    expect(md).toContain(
      "| Remember supporter (`remember`) | Plan ← `properties.new_plan`<br>1 more field as the action's defaults |"
    )
    expect(md).toContain('Touches: **fixture:supporter** — created, or updated when the email is known. Batches: yes.')
    expect(md).toContain('| Email (`email`) | string | yes | `properties.email` | Supporter email. |')
    expect(md).toContain('| apiKey | `FIXTURE_API_KEY` | yes | The key the fixture vendor expects. |')
  })

  it('says which required fields a preset leaves for whoever enables it', () => {
    const strict = {
      ...fixture,
      actions: {
        remember: {
          ...fixture.actions.remember,
          fields: {
            ...fixture.actions.remember.fields,
            plan: { ...fixture.actions.remember.fields.plan, required: true, default: undefined }
          }
        }
      },
      presets: [{ ...fixture.presets![0], mapping: { email: { '@path': '$.properties.email' } } }]
    }
    const [d] = describeDestinations({ fixture: strict }, () => undefined)
    expect(d.presets[0].needs).toEqual(['Plan (plan)'])
    expect(catalogueMarkdown([d])).toContain('| **You fill in:** Plan (plan)<br>')
    expect(catalogueHtml([d])).toContain('<p class="needs">You fill in: <strong>Plan (plan)</strong></p>')
  })

  it('escapes HTML and is the same every time (so CI can compare it)', () => {
    const tricky = { ...fixture, presets: [{ ...fixture.presets![0], name: 'Signups <b>& friends</b>' }] }
    const html = catalogueHtml(describeDestinations({ fixture: tricky }, () => undefined))
    expect(html).toContain('<strong>Signups &lt;b&gt;&amp; friends&lt;/b&gt;</strong>')
    expect(catalogueHtml(catalogue)).toBe(catalogueHtml(describeDestinations({ fixture }, () => fixtureTouches)))
  })
})
