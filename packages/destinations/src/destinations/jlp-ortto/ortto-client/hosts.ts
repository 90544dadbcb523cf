// Where requests go. The API key only ever travels to one of Ortto's three regional hosts, or — for tests and the
// local sandbox, when JLP_ALLOW_LOOPBACK=1 — to a loopback address. Any other base URL is refused before a request.
import { IntegrationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'

export const ORTTO_API_VERSION = 'v1'

export type OrttoRegion = 'default' | 'au' | 'eu'

export const ORTTO_HOSTS: Record<OrttoRegion, string> = {
  default: 'https://api.ap3api.com',
  au: 'https://api.au.ap3api.com',
  eu: 'https://api.eu.ap3api.com'
}

export interface HostSettings {
  region?: string
  baseUrl?: string
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/

/** The base URL (no trailing slash, no version) for the settings; throws when an override is not allowed. */
export function orttoBaseUrl(settings: HostSettings, env: NodeJS.ProcessEnv = process.env): string {
  const override = settings.baseUrl?.trim().replace(/\/+$/, '')
  if (override) {
    if (Object.values(ORTTO_HOSTS).includes(override)) return override
    if (LOOPBACK.test(override) && env.JLP_ALLOW_LOOPBACK === '1') return override
    throw new IntegrationError(
      `The API base URL ${quoted(override)} is not an Ortto host. Leave it empty and choose the region, or use one of ` +
        `${Object.values(ORTTO_HOSTS).join(', ')}.`,
      'INVALID_BASE_URL',
      400
    )
  }
  const region = (settings.region ?? 'default') as OrttoRegion
  const host = ORTTO_HOSTS[region]
  if (!host) {
    throw new IntegrationError(
      `Unknown Ortto region ${quoted(settings.region)}: choose default, au or eu.`,
      'INVALID_REGION',
      400
    )
  }
  return host
}
