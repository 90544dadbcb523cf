// `npm run ortto:activities`: the Ortto custom activities the jlp-ortto presets send, read off the presets
// themselves (see activity-definitions.ts), so the definitions cannot drift from what is sent.
//   npm run ortto:activities              print every activity and its attribute field ids
//   npm run ortto:activities -- --json    print the definitions as Ortto's definitions API takes them
//   npm run ortto:activities -- --create  create them in Ortto (ORTTO_API_KEY, ORTTO_REGION=default|au|eu,
//                                         ORTTO_BASE_URL for the sandbox); an existing one is modified instead
import { createRequestClient } from '@segment/actions-core'
import { jlpOrtto } from '@jlp/destinations'
import {
  plannedActivities,
  type PlannedActivity
} from '@jlp/destinations/src/destinations/jlp-ortto/activity-definitions'
import { OrttoClient, type OrttoActivityDefinition } from '@jlp/destinations/src/destinations/jlp-ortto/ortto-client'

export interface Io {
  env: NodeJS.ProcessEnv
  log: (line: string) => void
  error: (line: string) => void
}

export function describePlan(plan: readonly PlannedActivity[]): string[] {
  const lines = [`${plan.length} Ortto custom activities are sent by the jlp-ortto presets:`, '']
  for (const a of plan) {
    lines.push(`${a.activityId}${a.definition.track_conversion_value ? '  (tracks conversion value int::v)' : ''}`)
    for (const [i, attribute] of a.definition.attributes.entries()) {
      lines.push(`  ${(a.fieldIds[i] ?? attribute.name).padEnd(40)} ${attribute.display_type}`)
    }
  }
  return lines
}

/** Field ids Ortto says it made that differ from the ones the presets send. */
function drift(planned: PlannedActivity, answer: unknown): string[] {
  const attributes = (answer as { custom_activity?: { attributes?: Array<{ field_id?: string }> } })?.custom_activity
    ?.attributes
  if (!Array.isArray(attributes)) return []
  const made = attributes.map((a) => a.field_id).filter((id): id is string => typeof id === 'string')
  return planned.fieldIds.filter((id) => id !== 'int::v' && !made.includes(id))
}

async function createAll(plan: readonly PlannedActivity[], io: Io): Promise<number> {
  const apiKey = io.env.ORTTO_API_KEY
  if (!apiKey) {
    io.error('ortto:activities: set ORTTO_API_KEY (the key of a Custom API data source) to create the activities.')
    return 2
  }
  const client = new OrttoClient(createRequestClient(), {
    apiKey,
    region: io.env.ORTTO_REGION ?? 'default',
    baseUrl: io.env.ORTTO_BASE_URL
  })
  let failures = 0
  for (const planned of plan) {
    const definition: OrttoActivityDefinition = planned.definition
    try {
      let answer: unknown
      let verb = 'created'
      try {
        answer = await client.createActivityDefinition(definition)
      } catch (err) {
        if (!/exist|duplicate|already/i.test((err as Error).message)) throw err
        answer = await client.modifyActivityDefinition(definition)
        verb = 'updated'
      }
      const missing = drift(planned, answer)
      io.log(`✓ ${planned.activityId} ${verb}${missing.length ? ` — but Ortto made no ${missing.join(', ')}` : ''}`)
      if (missing.length) failures++
    } catch (err) {
      failures++
      io.error(`✗ ${planned.activityId}: ${(err as Error).message}`)
    }
  }
  io.log(`ortto:activities: ${plan.length - failures} of ${plan.length} activities ready in Ortto`)
  return failures > 0 ? 1 : 0
}

export async function run(args: readonly string[], io: Io): Promise<number> {
  const plan = plannedActivities(jlpOrtto.presets ?? [])
  if (args.includes('--json')) {
    io.log(
      JSON.stringify(
        plan.map((p) => p.definition),
        null,
        2
      )
    )
    return 0
  }
  if (args.includes('--create')) return createAll(plan, io)
  for (const line of describePlan(plan)) io.log(line)
  return 0
}

if (require.main === module) {
  run(process.argv.slice(2), { env: process.env, log: console.log, error: console.error }).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`ortto:activities: ${err instanceof Error ? err.message : String(err)}`)
      process.exit(1)
    }
  )
}
