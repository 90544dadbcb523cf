import { fieldsToJsonSchema, transform, validateSchema, type JSONObject } from '@segment/actions-core'
import { generateFql, parseFql, validate } from '@segment/destination-subscriptions'
import { EVENT_NAMES, generateEvents, listSamples, propertiesSchemas, type JlpEvent } from '@jlp/tracking-plan'
import type { JSONSchema7 } from 'json-schema'
import destination from '..'
import { plannedActivities } from '../activity-definitions'
import { JOURNEY_PERSON_FIELDS } from '../common-fields'
import type { OrttoValueKind } from '../ortto-client'
import { buildActivity } from '../trackOrttoActivity'
import { ACTIVITY_ATTRIBUTES, sourceProperty, type ActivityAttribute } from '../trackOrttoActivity/attributes'
import type { Payload as ActivityPayload } from '../trackOrttoActivity/generated-types'
import { buildPerson } from '../upsertOrttoPerson'
import type { Payload as PersonPayload } from '../upsertOrttoPerson/generated-types'

const presets = destination.presets ?? []
const automatic = presets.flatMap((p) => (p.type === 'automatic' ? [p] : []))

/** Event properties that are not activity attributes, and where they go instead. */
const NOT_ATTRIBUTES: Record<string, string> = {
  email: 'person str::email',
  first_name: 'person str::first',
  last_name: 'person str::last',
  phone: 'person phn::phone',
  postcode: 'person location',
  email_opt_in: 'person bol::p',
  sms_opt_in: 'person bol::sp',
  tickets: 'one line per ticket is Salesforce’s business; Ortto gets the order totals'
}

/** The Ortto kind a tracking-plan property schema calls for. */
function kindFor(schema: JSONSchema7): OrttoValueKind[] {
  if (schema.type === 'integer') return ['integer']
  if (schema.type === 'number') return ['decimal']
  if (schema.type === 'boolean') return ['boolean']
  if (schema.type === 'array' || schema.type === 'object') return ['object']
  if (schema.format === 'date-time') return ['date']
  return ['text', 'longtext']
}

function presetFor(event: JlpEvent) {
  const matching = automatic.filter((p) => validate(parseFql(p.subscribe), event))
  expect(matching).toHaveLength(1)
  return matching[0]
}

/** The payload the preset gives the action, checked against the action's fields as actions-core checks it. */
function mapped<T>(event: JlpEvent): T {
  const preset = presetFor(event)
  const payload = transform(preset.mapping as JSONObject, event as never)
  const schema = fieldsToJsonSchema(destination.actions[preset.partnerAction].fields)
  validateSchema(payload, schema, { schemaKey: `jlp-ortto:${preset.partnerAction}`, throwIfInvalid: true })
  return payload as T
}

describe('jlp-ortto presets', () => {
  it('has one activity preset for every JLP event, with canonical FQL', () => {
    for (const event of EVENT_NAMES) {
      const mine = automatic.filter((p) => p.subscribe === `type = "track" and event = "${event}"`)
      expect(mine.map((p) => p.partnerAction)).toEqual(['trackOrttoActivity'])
    }
    for (const p of automatic) {
      const ast = parseFql(p.subscribe)
      expect(generateFql(ast as never)).toBe(p.subscribe)
    }
    expect(automatic.find((p) => p.subscribe === 'type = "identify"')?.partnerAction).toBe('upsertOrttoPerson')
  })

  it('sends every property of every event, typed as the tracking plan types it', () => {
    const catalogue = ACTIVITY_ATTRIBUTES as Record<string, { kind: OrttoValueKind }>
    const bySource = new Map(
      (Object.keys(ACTIVITY_ATTRIBUTES) as ActivityAttribute[]).map((key) => [sourceProperty(key), key])
    )
    for (const event of EVENT_NAMES) {
      const properties = propertiesSchemas[event].properties as Record<string, JSONSchema7>
      for (const [property, schema] of Object.entries(properties)) {
        const key = bySource.get(property)
        if (!key) {
          expect([event, property, NOT_ATTRIBUTES[property] ?? 'missing']).not.toContain('missing')
          continue
        }
        expect([event, property, kindFor(schema)]).toEqual([
          event,
          property,
          expect.arrayContaining([catalogue[key].kind])
        ])
      }
    }
  })

  it('keeps the four journeys’ person fields true', () => {
    const personFields = (event: string) =>
      automatic.find((p) => p.subscribe === `type = "track" and event = "${event}"`)?.mapping?.person_fields
    expect(personFields('Recurring Payment Created')).toMatchObject({ recurring_subscriber: true })
    expect(personFields('Subscription Cancelled')).toMatchObject({
      recurring_subscriber: false,
      subscription_cancelled_at: { '@path': '$.properties.cancelled_at' }
    })
    for (const event of ['Order Completed', 'Purchase Completed', 'Ticket Purchase Completed']) {
      expect(personFields(event)).toEqual({ last_purchase_at: { '@path': '$.timestamp' } })
    }
    const withValue = automatic.filter((p) => p.mapping?.value !== undefined).map((p) => p.name)
    expect(withValue).toEqual(['Order Completed → Ortto activity'])
    expect(Object.keys(JOURNEY_PERSON_FIELDS)).toEqual(
      expect.arrayContaining(['recurring_subscriber', 'subscription_cancelled_at', 'last_purchase_at'])
    )
  })

  it('every sample builds an activity inside its activity definition and Ortto’s limits', () => {
    const plan = new Map(plannedActivities(presets).map((p) => [p.activityId, p.fieldIds]))
    let built = 0
    for (const { sample } of listSamples()) {
      if (sample.type === 'identify') {
        expect(buildPerson(mapped<PersonPayload>(sample)).body.fields['str::email']).toBe(sample.traits.email)
        continue
      }
      const write = buildActivity(mapped<ActivityPayload>(sample))
      const ids = Object.keys(write.body.attributes)
      expect(ids.length).toBeLessThanOrEqual(15)
      expect(plan.get(write.body.activity_id)).toEqual(expect.arrayContaining(ids))
      expect(write.body.key).toBe(sample.messageId)
      built++
    }
    expect(built).toBeGreaterThan(20)
  })

  it('a seeded stream of 600 generated events all map without error', () => {
    const events = generateEvents({ seed: 20260601, count: 600 })
    const errors = events.flatMap((event) => {
      try {
        if (event.type === 'identify') buildPerson(mapped<PersonPayload>(event))
        else buildActivity(mapped<ActivityPayload>(event))
        return []
      } catch (err) {
        return [`${event.type === 'track' ? event.event : 'identify'}: ${(err as Error).message}`]
      }
    })
    expect(errors).toEqual([])
  })
})
