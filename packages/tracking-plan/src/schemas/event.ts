// Whole-event rules, in the form Segment Protocols uses: a common ("global") rule for every call, one rule
// per track event (its properties) and one for identify (its traits). The validator and the exporter both
// use these, so what we validate is what we export.
import type { JSONSchema7 } from 'json-schema'
import type { EventName } from '../types'
import { context, supporterTraits } from './common'
import { propertiesSchemas } from './index'

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#'

const userId: JSONSchema7 = { type: 'string', minLength: 1, description: 'JLP supporter id, once known.' }

/** Applies to every call: ids, timestamp and context. */
export const globalRule: JSONSchema7 = {
  $schema: DRAFT_07,
  type: 'object',
  description: 'Every JLP call: who (userId or anonymousId), when, a unique messageId, and the context.',
  properties: {
    messageId: { type: 'string', minLength: 1, description: 'Unique id of the call (Segment deduplicates on it).' },
    timestamp: { type: 'string', format: 'date-time', description: 'When the supporter acted.' },
    userId,
    anonymousId: { type: 'string', minLength: 1, description: 'Device id before the supporter is known.' },
    context
  },
  required: ['messageId', 'timestamp'],
  anyOf: [{ required: ['userId'] }, { required: ['anonymousId'] }]
}

export function trackRule(name: EventName, description: string): JSONSchema7 {
  return {
    $schema: DRAFT_07,
    type: 'object',
    description,
    properties: { context: {}, traits: {}, properties: propertiesSchemas[name] },
    required: ['properties']
  }
}

export const identifyRule: JSONSchema7 = {
  $schema: DRAFT_07,
  type: 'object',
  description: 'Who the supporter is: sent when they register and whenever their details or consents change.',
  properties: {
    userId,
    context: {},
    properties: {},
    traits: supporterTraits
  },
  required: ['userId', 'traits']
}
