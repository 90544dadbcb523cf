// The real world for the commands: the registry, the tracking plan's events, the sandbox, this process's
// streams. Kept out of index.ts so that bundles of the runner core (Destination Functions) do not pull in
// the sandbox; scripts import it as '@jlp/runner/src/context'.
import type { SegmentEvent } from '@segment/actions-core'
import { destinations } from '@jlp/destinations'
import { generateEvents, listSamples } from '@jlp/tracking-plan'
import type { Console } from './cli'
import type { CommandContext } from './commands'
import { openSandboxUpstream } from './sandbox-upstream'

export const processConsole: Console = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`)
}

/** The tracking plan's samples as the supporters lived them: in time order (ties keep the catalogue order). */
export function sampleJourneys(): SegmentEvent[] {
  return listSamples()
    .map((s, i) => ({ event: s.sample as unknown as SegmentEvent, i }))
    .sort((a, b) => Date.parse(a.event.timestamp as string) - Date.parse(b.event.timestamp as string) || a.i - b.i)
    .map((s) => s.event)
}

export function realContext(env: NodeJS.ProcessEnv = process.env): CommandContext {
  return {
    registry: destinations,
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    openSandbox: (options) => openSandboxUpstream(options, env),
    sampleEvents: sampleJourneys,
    generateEvents: (options) => generateEvents(options) as unknown as SegmentEvent[]
  }
}
