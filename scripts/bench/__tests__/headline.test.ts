// The headline the README quotes comes from the per-event and per-1,000 tables, not from numbers of its own.
import { headlineTable } from '../index'
import type { Table } from '../table'

const perEvent: Table = {
  title: 'Salesforce API calls per event',
  headers: ['Preset', 'Sample', 'JLP calls', 'JLP again', 'Official calls'],
  rows: [
    ['New registration becomes a Lead', 'Registration Started / web', 2, 1, 2],
    ['Ticket purchase syncs the draw Campaign, buyer and an Opportunity per ticket', 'three-tickets', 1, 1, 9]
  ]
}

describe('bench headline', () => {
  it('quotes calls per event by preset and the stream totals per 1,000 events', () => {
    const table = headlineTable(perEvent, {
      events: 500,
      oneByOne: { ours: 800, official: 1200 },
      batched: { ours: 400, official: 25 },
      oursUnbatchable: 300
    })
    expect(table.rows).toEqual([
      ['Registration → Lead (new supporter)', 2, 2, '1×'],
      ['Purchase → supporter value', undefined, undefined, '–'],
      ['Ticket purchase, 3 tickets', 1, 9, '9×'],
      ['Product added → activity Task', undefined, undefined, '–'],
      ['Per 1,000 generated events, one by one', 1600, 2400, '1.5×'],
      ['Per 1,000 generated events, batched', 800, 50, '0.06×']
    ])
  })
})
