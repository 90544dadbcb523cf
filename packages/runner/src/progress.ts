// A progress bar on a terminal (redrawn in place), occasional counter lines elsewhere (CI logs).
export interface ProgressStream {
  write(chunk: string): unknown
  isTTY?: boolean
  columns?: number
}

export function progressBar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} events`
}

/** Returns an onProgress callback and a finish function that clears the bar. */
export function progressReporter(
  stream: ProgressStream,
  label: string
): { update: (done: number, total: number) => void; finish: () => void } {
  let lastDecile = -1
  let drawn = false
  return {
    update(done, total) {
      if (stream.isTTY) {
        stream.write(`\r${label} ${progressBar(done, total)}`)
        drawn = true
        return
      }
      const decile = total === 0 ? 10 : Math.floor((done / total) * 10)
      if (total >= 100 && decile !== lastDecile) {
        lastDecile = decile
        stream.write(`${label} ${done}/${total} events\n`)
      }
    },
    finish() {
      if (drawn) stream.write(`\r${' '.repeat(label.length + 48)}\r`)
    }
  }
}
