// The tracking plan as Segment Protocols stores it. Two shapes are offered:
// - toProtocolsTrackingPlan(): the Config API / Typewriter shape
//   { display_name, rules: { global, events: [{ name, description, version, rules }], identify, group } };
// - toPublicApiRules(): the Public API's rule list [{ type: 'TRACK' | 'IDENTIFY' | 'COMMON', key, version, jsonSchema }].
// Both carry the rules the validator uses (schemas/event.ts).
import type { JSONSchema7 } from 'json-schema'
import { catalogue } from './catalogue'
import { DRAFT_07, globalRule, identifyRule, trackRule } from './schemas/event'

export const TRACKING_PLAN_NAME = 'JLP Supporter Events'

export type ProtocolsEventRule = { name: string; description: string; version: number; rules: JSONSchema7 }

export type ProtocolsTrackingPlan = {
  display_name: string
  rules: {
    global: JSONSchema7
    events: ProtocolsEventRule[]
    identify: JSONSchema7
    group: JSONSchema7
  }
}

/** Group calls are not part of the JLP plan: an open schema keeps them unconstrained. */
const openGroup: JSONSchema7 = {
  $schema: DRAFT_07,
  type: 'object',
  properties: { context: {}, properties: {}, traits: {} }
}

export function toProtocolsTrackingPlan(): ProtocolsTrackingPlan {
  return {
    display_name: TRACKING_PLAN_NAME,
    rules: {
      global: globalRule,
      events: catalogue.map((d) => ({
        name: d.name,
        description: d.description,
        version: 1,
        rules: trackRule(d.name, d.description)
      })),
      identify: identifyRule,
      group: openGroup
    }
  }
}

export type PublicApiRule = {
  type: 'COMMON' | 'TRACK' | 'IDENTIFY'
  key: string | null
  version: number
  jsonSchema: JSONSchema7
}

export function toPublicApiRules(): PublicApiRule[] {
  const plan = toProtocolsTrackingPlan().rules
  return [
    { type: 'COMMON', key: null, version: 1, jsonSchema: plan.global },
    ...plan.events.map((e): PublicApiRule => ({ type: 'TRACK', key: e.name, version: e.version, jsonSchema: e.rules })),
    { type: 'IDENTIFY', key: null, version: 1, jsonSchema: plan.identify }
  ]
}
