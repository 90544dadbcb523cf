import { diffCode, diffSettings } from '../deploy/diff'
import type { FunctionSetting } from '../settings'

const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => f(i)).join('\n')

describe('diffCode', () => {
  it('shows a changed line with two lines of context and where it is', () => {
    const d = diffCode(
      lines(20),
      lines(20, (i) => (i === 10 ? 'changed' : `line ${i}`))
    )
    expect(d).toMatchObject({ added: 1, removed: 1, truncated: 0 })
    expect(d.lines).toEqual(['@@ line 9 @@', ' line 8', ' line 9', '-line 10', '+changed', ' line 11', ' line 12'])
  })

  it('aligns insertions rather than reporting everything after them as changed', () => {
    const d = diffCode('a\nb\nc\nd', 'a\nb\nnew\nc\nd')
    expect(d).toMatchObject({ added: 1, removed: 0 })
    expect(d.lines).toEqual(['@@ line 1 @@', ' a', ' b', '+new', ' c', ' d'])
  })

  it('is empty for identical code and keeps separate hunks apart', () => {
    expect(diffCode('x\ny', 'x\ny')).toEqual({ added: 0, removed: 0, lines: [], truncated: 0 })
    const d = diffCode(
      lines(30),
      lines(30, (i) => (i === 3 || i === 25 ? `new ${i}` : `line ${i}`))
    )
    expect(d.lines.filter((l) => l.startsWith('@@'))).toEqual(['@@ line 2 @@', '@@ line 24 @@'])
  })

  it('cuts long output and long lines', () => {
    const d = diffCode(
      lines(200),
      lines(200, (i) => `other ${i} ${'x'.repeat(300)}`),
      10
    )
    expect(d.lines).toHaveLength(10)
    expect(d.truncated).toBeGreaterThan(0)
    expect(Math.max(...d.lines.map((l) => l.length))).toBeLessThanOrEqual(161)
  })

  it('reports a very large rewrite as removed then added without aligning it', () => {
    const d = diffCode(
      lines(3000),
      lines(3000, (i) => `new ${i}`)
    )
    expect(d).toMatchObject({ added: 3000, removed: 3000 })
  })
})

describe('diffSettings', () => {
  const s = (name: string, over: Partial<FunctionSetting> = {}): FunctionSetting => ({
    name,
    label: name,
    description: 'd',
    type: 'STRING',
    required: false,
    sensitive: false,
    ...over
  })

  it('lists added, removed and changed settings with what changed', () => {
    expect(diffSettings([s('a'), s('b'), s('c')], [s('a'), s('c', { sensitive: true, label: 'C' }), s('d')])).toEqual({
      added: ['d'],
      removed: ['b'],
      changed: { c: ['label', 'sensitive'] }
    })
  })
})
