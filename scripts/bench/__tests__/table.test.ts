// The benchmark table writer: Markdown and text from the same rows, numbers formatted once, percentiles by rank.
import {
  fmt,
  markdownTable,
  percentiles,
  ratio,
  resultsMarkdown,
  textTable,
  withoutEmptyColumns,
  type Table
} from '../table'

const table: Table = {
  title: 'API calls per event',
  note: 'From the sandbox audit.',
  headers: ['Use case', 'JLP', 'Official'],
  rows: [
    ['Ticket purchase (3 tickets)', 1, 9],
    ['Lead | upsert', 1, 2.5]
  ]
}

describe('bench tables', () => {
  it('writes a Markdown table with numeric columns right-aligned and pipes escaped', () => {
    expect(markdownTable(table).split('\n')).toEqual([
      '### API calls per event',
      '',
      'From the sandbox audit.',
      '',
      '| Use case | JLP | Official |',
      '| --- | ---: | ---: |',
      '| Ticket purchase (3 tickets) | 1 | 9 |',
      '| Lead \\| upsert | 1 | 2.5 |'
    ])
  })

  it('right-aligns a numeric column with missing values in it', () => {
    const gaps: Table = {
      title: 'g',
      headers: ['Use case', 'Official'],
      rows: [
        ['Lead', 2],
        ['Flow', undefined]
      ]
    }
    expect(markdownTable(gaps).split('\n')[3]).toBe('| --- | ---: |')
    expect(markdownTable(gaps).split('\n')[5]).toBe('| Flow | – |')
  })

  it('writes the same rows as padded text', () => {
    expect(textTable(table).split('\n')[3]).toBe('Ticket purchase (3 tickets)  1    9       ')
  })

  it('formats numbers, missing values and ratios', () => {
    expect(fmt(12345.678)).toBe('12,345.7')
    expect(fmt(undefined)).toBe('–')
    expect(ratio(300, 100)).toBe('3×')
    expect(ratio(2, 8, false)).toBe('4×')
    expect(ratio(undefined, 3)).toBe('–')
  })

  it('takes the median and 95th percentile by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95 })
    expect(percentiles([])).toEqual({ p50: NaN, p95: NaN })
  })

  it('drops columns that are empty in every row, and keeps one that is empty in some', () => {
    const notes: Table = {
      title: 't',
      headers: ['A', 'Notes', 'B'],
      rows: [
        [1, '', undefined],
        [2, '', 'x']
      ]
    }
    expect(withoutEmptyColumns(notes)).toEqual({
      title: 't',
      headers: ['A', 'B'],
      rows: [
        [1, undefined],
        [2, 'x']
      ]
    })
  })

  it('dates the document and names the machine and command', () => {
    const doc = resultsMarkdown({
      date: new Date('2026-11-23T09:41:00Z'),
      machine: 'Test CPU, 2 cores',
      commit: 'abc1234',
      command: 'npm run bench',
      tables: [table]
    })
    expect(doc).toMatch(/^# Benchmark results\n\nMeasured 2026-11-23 09:41 UTC on Test CPU, 2 cores at commit abc1234/)
    expect(doc).toContain('| Ticket purchase (3 tickets) | 1 | 9 |')
  })
})
