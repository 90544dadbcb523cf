import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import {
  EVENT_NAMES,
  exportTrackingPlan,
  listSamples,
  parseExportArgs,
  propertiesSchemas,
  samples,
  supporterTraits,
  toProtocolsTrackingPlan,
  toPublicApiRules,
  type ProtocolsTrackingPlan
} from '..'

describe('the Segment Protocols tracking plan', () => {
  const plan = toProtocolsTrackingPlan()

  it('has a rule for every event with its description and its properties schema', () => {
    expect(plan.rules.events.map((e) => e.name)).toEqual([...EVENT_NAMES])
    for (const rule of plan.rules.events) {
      expect(rule.version).toBe(1)
      expect(rule.description.length).toBeGreaterThan(30)
      expect(rule.rules).toMatchObject({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          context: {},
          traits: {},
          properties: propertiesSchemas[rule.name as keyof typeof propertiesSchemas]
        },
        required: ['properties']
      })
    }
  })

  it('validates identify traits and, in the common rule, ids, timestamp and context', () => {
    expect(plan.rules.identify.properties?.traits).toBe(supporterTraits)
    expect(plan.rules.identify.required).toEqual(['userId', 'traits'])
    expect(plan.rules.global.required).toEqual(['messageId', 'timestamp'])
    expect(plan.rules.global.anyOf).toEqual([{ required: ['userId'] }, { required: ['anonymousId'] }])
  })

  it('offers the Public API rule list with the same schemas', () => {
    const rules = toPublicApiRules()
    expect(rules.map((r) => r.type)).toEqual(['COMMON', ...EVENT_NAMES.map(() => 'TRACK'), 'IDENTIFY'])
    expect(rules.filter((r) => r.type === 'TRACK').map((r) => r.key)).toEqual([...EVENT_NAMES])
    expect(rules[1].jsonSchema).toEqual(plan.rules.events[0].rules)
  })
})

describe('npm run tracking-plan:export', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-tracking-plan-'))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('writes a file that holds every event, and whose rules accept the samples and reject a bad one', () => {
    const out = path.join(dir, 'nested', 'plan.json')
    const result = exportTrackingPlan({ out, format: 'config-api' })
    expect(result).toMatchObject({ path: out, events: EVENT_NAMES.length })
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as ProtocolsTrackingPlan
    expect(written.display_name).toBe('JLP Supporter Events')
    expect(written.rules.events.map((e) => e.name)).toEqual([...EVENT_NAMES])

    // The file alone is enough to validate events the way Protocols would.
    const ajv = new Ajv({ allErrors: true })
    addFormats(ajv)
    const common = ajv.compile(written.rules.global)
    const byName = new Map(written.rules.events.map((e) => [e.name, ajv.compile(e.rules)]))
    const identify = ajv.compile(written.rules.identify)
    for (const { sample } of listSamples()) {
      const rule = sample.type === 'identify' ? identify : byName.get(sample.event)
      expect([sample.messageId, common(sample) && rule?.(sample)]).toEqual([sample.messageId, true])
    }
    const bad = { ...samples.cartViewed.oneLine, properties: { ...samples.cartViewed.oneLine.properties, value: '3' } }
    expect(byName.get('Cart Viewed')?.(bad)).toBe(false)
  })

  it('writes the Public API shape on request', () => {
    const out = path.join(dir, 'rules.json')
    exportTrackingPlan({ out, format: 'public-api' })
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as { rules: { type: string; key: string | null }[] }
    expect(written.rules.filter((r) => r.type === 'TRACK').map((r) => r.key)).toEqual([...EVENT_NAMES])
  })

  it('reads its arguments: an optional file and --format', () => {
    expect(parseExportArgs([])).toEqual({ out: path.join('dist', 'tracking-plan.json'), format: 'config-api' })
    expect(parseExportArgs(['x.json', '--format', 'public-api'])).toEqual({ out: 'x.json', format: 'public-api' })
    expect(parseExportArgs(['--format=config-api', 'y.json'])).toEqual({ out: 'y.json', format: 'config-api' })
    expect(() => parseExportArgs(['--format', 'yaml'])).toThrow('--format must be config-api or public-api (got yaml)')
    expect(() => parseExportArgs(['a.json', 'b.json'])).toThrow(/one output file only/)
    expect(() => parseExportArgs(['--out'])).toThrow('unknown option --out')
  })
})
