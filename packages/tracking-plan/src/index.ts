// @jlp/tracking-plan: the JLP event catalogue as data and small pure functions.
export * from './types'
export { catalogue, EVENT_NAMES, getEventDefinition, isEventName } from './catalogue'
export { propertiesSchemas, supporterTraits, contextTraits, context as contextSchema } from './schemas'
export { globalRule, identifyRule, trackRule, DRAFT_07 } from './schemas/event'
export {
  samples,
  samplesByEvent,
  getSample,
  getScenario,
  listSamples,
  ticketPurchaseScenarios,
  people,
  draws,
  superdrawRenamed,
  campaigns,
  type SampleGroups,
  type NamedSample,
  type TicketPurchaseScenario,
  type SampleSupporter,
  type SampleDraw
} from './samples'
export { validateEvent, type ValidationResult } from './validate'
export {
  toProtocolsTrackingPlan,
  toPublicApiRules,
  TRACKING_PLAN_NAME,
  type ProtocolsTrackingPlan,
  type ProtocolsEventRule,
  type PublicApiRule
} from './protocols'
export { generateEvents, type GenerateOptions } from './generator'
export { makeTrack, makeIdentify, kindOf, type Actor, type CallMeta } from './build'
export { PRODUCTS, BRAND, CURRENCY, type JlpProduct } from './products'
export { ticketPurchase, subscriptionOrder, ticketsOf, type Draw, type TicketOrder } from './orders'
export { Rng, mulberry32, hash32, uuidFrom } from './prng'
export {
  exportTrackingPlan,
  parseExportArgs,
  trackingPlanDocument,
  DEFAULT_EXPORT_PATH,
  EXPORT_FORMATS,
  EXPORT_USAGE,
  type ExportFormat,
  type ExportOptions
} from './export'
