// A mistake in what a person asked a local tool to do (an unknown destination, a malformed file, a missing
// variable, a busy port). CLIs print only its message, with no stack, and exit with code 2.
export class UsageError extends Error {
  override name = 'UsageError'
}

export const EXIT_USAGE = 2
