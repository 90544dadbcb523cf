import type { JSONSchema7 } from 'json-schema'
import { BEHAVIOURAL_EVENTS, SERVER_EVENTS, catalogue, getEventDefinition, isEventName, propertiesSchemas } from '..'

describe('the JLP event catalogue', () => {
  it('lists the six behavioural and six server-side events, each once, behavioural first', () => {
    expect(catalogue.map((d) => d.name)).toEqual([...BEHAVIOURAL_EVENTS, ...SERVER_EVENTS])
    expect(catalogue.filter((d) => d.kind === 'behavioural').map((d) => d.name)).toEqual([...BEHAVIOURAL_EVENTS])
    expect(catalogue.filter((d) => d.kind === 'server').map((d) => d.name)).toEqual([...SERVER_EVENTS])
  })

  it.each(catalogue.map((d) => [d.name, d] as const))(
    '%s has a plain-words description, its properties schema and samples of itself',
    (name, d) => {
      expect(d.description.length).toBeGreaterThan(30)
      expect(d.schema).toBe(propertiesSchemas[name])
      expect(d.samples.length).toBeGreaterThan(0)
      for (const s of d.samples) expect(s.event).toBe(name)
    }
  )

  it('looks events up by exact name only', () => {
    expect(getEventDefinition('Ticket Purchase Completed')?.kind).toBe('server')
    expect(getEventDefinition('ticket purchase completed')).toBeUndefined()
    expect(isEventName('Cart Viewed')).toBe(true)
    expect(isEventName('Page Viewed')).toBe(false)
  })
})

/** Every property at any depth, with its path. */
function properties(schema: JSONSchema7, path = 'properties'): [string, JSONSchema7][] {
  const own = Object.entries(schema.properties ?? {}) as [string, JSONSchema7][]
  return own.flatMap(([key, child]) => {
    const here = `${path}.${key}`
    const nested = child.type === 'array' ? (child.items as JSONSchema7) : child
    return [[here, child] as [string, JSONSchema7], ...properties(nested, nested === child ? here : `${here}[]`)]
  })
}

describe('the schemas document every property for a CSM', () => {
  it.each(catalogue.map((d) => [d.name, d.schema] as const))(
    '%s: every property has a type and a description',
    (_, schema) => {
      const undocumented = properties(schema)
        .filter(([, s]) => !s.type || !s.description)
        .map(([path]) => path)
      expect(undocumented).toEqual([])
      expect(properties(schema).length).toBeGreaterThan(3)
    }
  )

  it('requires the ids the destinations match on', () => {
    expect(propertiesSchemas['Ticket Purchase Completed'].required).toEqual(
      expect.arrayContaining(['order_id', 'tickets', 'draw_id', 'draw_name', 'event_type', 'value', 'currency'])
    )
    expect(propertiesSchemas['Recurring Payment Failed'].required).toEqual(
      expect.arrayContaining(['subscription_id', 'payment_id', 'attempt_number', 'failure_reason'])
    )
    expect(propertiesSchemas['Purchase Completed'].required).not.toContain('tickets')
  })
})
