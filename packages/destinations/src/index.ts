import type { DestinationDefinition } from '@segment/actions-core'
import jlpSalesforce from './destinations/jlp-salesforce'
import jlpOrtto from './destinations/jlp-ortto'

/** Every destination this package ships, keyed by folder name. Runtimes and tools only know this registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const destinations: Record<string, DestinationDefinition<any>> = {
  'jlp-salesforce': jlpSalesforce,
  'jlp-ortto': jlpOrtto
}

export type DestinationKey = keyof typeof destinations

export { jlpSalesforce, jlpOrtto }
export type { ActionOutcome, TouchedRecord } from './lib/outcome'
export { outcome } from './lib/outcome'
