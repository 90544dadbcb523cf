// Every bad input a person can give the local tools gets a message that says what and where.
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { parseEvents, readEventsFile } from '../events'
import { presetSubscriptions } from '../presets'
import { liveSettings, liveVariablesSet, settingEnvVar } from '../targets'
import { UsageError } from '../usage-error'
import { fixture } from './fixture'

describe('event files', () => {
  const line = (o: unknown) => JSON.stringify(o)
  const ok = { type: 'track', event: 'Signed Up', properties: { email: 'a@x.org' } }

  it('reads NDJSON, skipping blank lines, and a JSON array', () => {
    expect(parseEvents(`${line(ok)}\n\n${line({ type: 'identify', userId: 'u1' })}\n`, 'e.ndjson')).toHaveLength(2)
    expect(parseEvents(JSON.stringify([ok, ok]), 'e.json')).toHaveLength(2)
  })

  it('names the line that is not JSON', () => {
    expect(() => parseEvents(`${line(ok)}\n${line(ok)}\n{"type": "track",`, 'events.ndjson')).toThrow(
      /^events\.ndjson line 3: not valid JSON \(/
    )
  })

  it('names the line that is not a Segment event, and why', () => {
    expect(() => parseEvents(`${line(ok)}\n[1,2]`, 'e.ndjson')).toThrow(
      'e.ndjson line 2: the event is not a JSON object'
    )
    expect(() => parseEvents(line({ event: 'X' }), 'e.ndjson')).toThrow(
      'e.ndjson line 1: the event has no "type" (track, identify, …)'
    )
    expect(() => parseEvents(line({ type: 'click' }), 'e.ndjson')).toThrow(
      'e.ndjson line 1: the event has type "click", not one of track, identify, page, screen, group, alias'
    )
    expect(() => parseEvents(line({ type: 'track' }), 'e.ndjson')).toThrow(
      'e.ndjson line 1: the event is a track without "event"'
    )
    expect(() => parseEvents(JSON.stringify([ok, 3]), 'e.json')).toThrow('e.json: item 2 is not a JSON object')
  })

  it('says when the file is empty or missing', () => {
    expect(() => parseEvents('\n\n', 'empty.ndjson')).toThrow(
      'empty.ndjson: no events (expected one JSON event a line)'
    )
    expect(() => readEventsFile('/no/such/events.ndjson')).toThrow('/no/such/events.ndjson: no such file')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-events-'))
    const file = path.join(dir, 'bad.ndjson')
    fs.writeFileSync(file, 'not json\n')
    expect(() => readEventsFile(file)).toThrow(UsageError)
    expect(() => readEventsFile(file)).toThrow(`${file} line 1: not valid JSON`)
  })
})

describe('presets by name', () => {
  it('names an unknown preset and lists the available ones', () => {
    expect(() => presetSubscriptions(fixture, ['Remember everything'])).toThrow(
      'Unknown preset for Fixture: "Remember everything". Available: "Remember signups", "Remember plan changes"'
    )
  })
})

describe('live credentials', () => {
  it('names each setting’s variable after the destination and the setting', () => {
    expect(settingEnvVar('jlp-salesforce', 'instanceUrl')).toBe('JLP_SALESFORCE_INSTANCE_URL')
    expect(settingEnvVar('jlp-ortto', 'apiKey')).toBe('JLP_ORTTO_API_KEY')
  })

  it('reads settings from the environment, with the definition’s defaults', () => {
    const env = { FIXTURE_BASE_URL: 'https://vendor.example', FIXTURE_API_KEY: 'k' }
    expect(liveSettings('fixture', fixture, env)).toEqual({
      baseUrl: 'https://vendor.example',
      apiKey: 'k',
      region: 'default'
    })
    expect(liveVariablesSet('fixture', fixture, env)).toEqual(['FIXTURE_BASE_URL', 'FIXTURE_API_KEY'])
  })

  it('names every missing variable', () => {
    expect(() => liveSettings('fixture', fixture, { FIXTURE_BASE_URL: 'https://vendor.example' })).toThrow(
      'Missing credentials for fixture (live target): set FIXTURE_API_KEY. See docs/presets.md#fixture for every variable.'
    )
    expect(() => liveSettings('fixture', fixture, {})).toThrow('set FIXTURE_BASE_URL, FIXTURE_API_KEY.')
  })
})
