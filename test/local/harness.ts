// The real commands (registry, tracking plan, sandbox) with captured output, the report object and the sandbox
// kept open after the command so a test can compare the two.
import { type CommandContext, type Report } from '@jlp/runner'
import { realContext } from '@jlp/runner/src/context'
import { openSandboxUpstream, SANDBOX_PARTS } from '@jlp/runner/src/sandbox-upstream'
import type { Sandbox } from '@jlp/sandbox'

export interface Run {
  ctx: CommandContext
  out: string[]
  err: string[]
  report?: Report
  sandbox?: Sandbox
  stop(): Promise<void>
}

export function realRun(env: NodeJS.ProcessEnv = {}): Run {
  const run = { out: [], err: [] } as unknown as Run
  run.ctx = {
    ...realContext(env),
    stdout: { write: (s: string) => run.out.push(s) },
    stderr: { write: (s: string) => run.err.push(s) },
    openSandbox: async (options) => {
      const upstream = await openSandboxUpstream(options, process.env)
      run.sandbox = upstream.sandbox
      return { ...upstream, close: async () => undefined }
    },
    onReport: (report) => {
      run.report = report
    }
  }
  run.stop = async () => run.sandbox?.stop()
  return run
}

/** Records the report says were created, per object, for one destination. */
export const created = (report: Report, destination: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(report.totals.find((t) => t.key === destination)?.records ?? {}).map(([object, changes]) => [
      object,
      changes.created ?? 0
    ])
  )

/** Records the sandbox holds, per object name as the outcomes name them (Salesforce objects, ortto:person…). */
export function held(sandbox: Sandbox, destination: string): Record<string, number> {
  if (SANDBOX_PARTS[destination]?.vendor === 'ortto') {
    const { people, activities } = sandbox.records.ortto()
    return { 'ortto:person': people.length, 'ortto:activity': activities.length }
  }
  const counts: Record<string, number> = Object.fromEntries(
    Object.entries(sandbox.records.salesforce()).map(([o, records]) => [o, records.length])
  )
  // Platform events are published, not stored: count them under their event name.
  for (const e of sandbox.platformEvents()) counts[e.type] = (counts[e.type] ?? 0) + 1
  return counts
}

export const vendorOf = (destination: string) => SANDBOX_PARTS[destination].vendor
