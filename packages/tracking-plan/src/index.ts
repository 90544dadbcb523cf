// @jlp/tracking-plan: the JLP event catalogue as data and small pure functions.
export * from './types'
export { propertiesSchemas, supporterTraits, contextTraits, context as contextSchema } from './schemas'
export { globalRule, identifyRule, trackRule, DRAFT_07 } from './schemas/event'
