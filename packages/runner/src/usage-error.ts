// A mistake in what a person asked a local tool to do (an unknown destination, a malformed file, a missing
// variable, a busy port). CLIs print only its message, with no stack, and exit with code 2.
export class UsageError extends Error {
  override name = 'UsageError'
}

export const EXIT_USAGE = 2

/** A listen error as a person reads it: a busy port says which and what to do; anything else is unchanged. */
export function explainListenError(err: unknown, what: string, port: number | undefined, hint: string): unknown {
  const code = (err as { code?: string })?.code
  if (code === 'EADDRINUSE')
    return new UsageError(`${what} port ${port} is busy (another program is using it): ${hint}`)
  if (code === 'EACCES') return new UsageError(`${what} port ${port} needs privileges: ${hint}`)
  return err
}
