// npm run deploy against the documented Public API shapes (nock intercepts global fetch): create, update, the EU
// host, name lookup, pagination, dry runs, and a readable message for each error — never the token.
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import nock from 'nock'
import { UsageError } from '@jlp/runner'
import { buildFunction, type BuiltFunction } from '../build'
import { deployCommand } from '../deploy/run'

const TOKEN = 'sgp_TOKEN_VALUE_that_must_never_be_printed'
const US = 'https://api.segmentapis.com'
const EU = 'https://eu1.api.segmentapis.com'
const KEY = 'jlp-ortto'

const builds = new Map<string, Promise<BuiltFunction>>()
const build: typeof buildFunction = async (key, options = {}) => {
  if (!builds.has(key)) builds.set(key, buildFunction(key))
  const built = await builds.get(key)!
  if (!options.outDir) return built
  const file = path.join(options.outDir, `${key}.js`)
  fs.mkdirSync(options.outDir, { recursive: true })
  fs.writeFileSync(file, built.code)
  return { ...built, file }
}

let outDir: string
beforeEach(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-deploy-'))
})
afterEach(() => fs.rmSync(outDir, { recursive: true, force: true }))

async function deploy(args: string[], env: NodeJS.ProcessEnv = { SEGMENT_TOKEN: TOKEN }) {
  const out: string[] = []
  const err: string[] = []
  const code = await deployCommand([...args, '--out-dir', outDir], {
    env,
    console: { out: (t) => out.push(t), err: (t) => err.push(t) },
    build
  })
  const text = [...out, ...err].join('\n')
  expect(text).not.toContain(TOKEN)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const fn = (over: Record<string, unknown> = {}) => ({
  id: 'dfn_123',
  displayName: 'JLP Ortto',
  resourceType: 'DESTINATION',
  code: 'async function onTrack() {}\n',
  settings: [],
  description: 'old',
  ...over
})

const authorized = { reqheaders: { authorization: `Bearer ${TOKEN}` } }

describe('npm run deploy', () => {
  it('writes the exact create and update bodies and sends nothing when no token is set', async () => {
    const { code, out } = await deploy(['--destination', KEY], {})
    const built = await build(KEY)
    expect(code).toBe(0)
    expect(out).toContain('$SEGMENT_TOKEN is not set: dry run, nothing sent.')
    expect(out).toContain(`POST  ${US}/functions`)
    const create = JSON.parse(fs.readFileSync(path.join(outDir, `${KEY}.create-request.json`), 'utf8'))
    const update = JSON.parse(fs.readFileSync(path.join(outDir, `${KEY}.update-request.json`), 'utf8'))
    expect(create).toEqual({
      code: built.code,
      displayName: 'JLP Ortto',
      resourceType: 'DESTINATION',
      settings: built.settings,
      description: built.description
    })
    expect(update).toEqual({ code: built.code, settings: built.settings, description: built.description })
    expect(fs.readFileSync(path.join(outDir, `${KEY}.js`), 'utf8')).toBe(built.code)
  })

  it('dry-runs every destination when none is named', async () => {
    const { code } = await deploy(['--dry-run'], {})
    expect(code).toBe(0)
    expect(fs.readdirSync(outDir).sort()).toEqual(
      ['jlp-ortto', 'jlp-salesforce'].flatMap((k) => [
        `${k}.create-request.json`,
        `${k}.js`,
        `${k}.update-request.json`
      ])
    )
  })

  it('updates a Function by id: reads it, shows the diff, patches code and settings, reports the version', async () => {
    const built = await build(KEY)
    const scope = nock(US, authorized)
      .get('/functions/dfn_123')
      .reply(200, { data: { function: fn() } })
      .patch('/functions/dfn_123', (body) => body.code === built.code && body.settings.length === built.settings.length)
      .reply(200, { data: { function: fn({ code: built.code }) } })
      .get('/functions/dfn_123/versions')
      .query({ 'pagination.count': '10' })
      .reply(200, { data: { versions: [{ id: 'ver_2', isDeployed: true }], pagination: { current: 'MA==' } } })
    const { code, out } = await deploy(['--destination', KEY, '--function-id', 'dfn_123'])
    expect(code).toBe(0)
    scope.done()
    expect(out).toMatch(/Code: \+\d+ −1 lines/)
    expect(out).toContain('-async function onTrack() {}')
    expect(out).toContain('Settings: + apiKey')
    expect(out).toContain('Settings: + presets')
    expect(out).toContain('Description: changed')
    expect(out).toContain('Updated dfn_123: version ver_2, deployed.')
    expect(out).toContain('Connect destination')
  })

  it('sends nothing when the deployed Function already runs this build', async () => {
    const built = await build(KEY)
    const scope = nock(US)
      .get('/functions/dfn_123')
      .reply(200, {
        data: { function: fn({ code: built.code, settings: built.settings, description: built.description }) }
      })
    const { code, out } = await deploy(['--destination', KEY, '--function-id', 'dfn_123'])
    expect(code).toBe(0)
    scope.done()
    expect(out).toContain('No changes: dfn_123 already runs this build.')
  })

  it('shows a setting whose description changed', async () => {
    const built = await build(KEY)
    const settings = built.settings.map((s) => (s.name === 'region' ? { ...s, description: 'old words' } : s))
    nock(US)
      .get('/functions/dfn_123')
      .reply(200, { data: { function: fn({ code: built.code, settings, description: built.description }) } })
    const { out } = await deploy(['--destination', KEY, '--function-id', 'dfn_123', '--dry-run'])
    expect(out).toContain('Code: unchanged')
    expect(out).toContain('Settings: ~ region (description)')
  })

  it('creates a Function with the documented body when none of that name exists', async () => {
    const built = await build(KEY)
    let posted: unknown
    const scope = nock(US, authorized)
      .get('/functions')
      .query({ resourceType: 'DESTINATION', 'pagination.count': '100' })
      .reply(200, {
        data: { functions: [fn({ id: 'dfn_other', displayName: 'Slack' })], pagination: { current: 'MA==' } }
      })
      .post('/functions', (body) => {
        posted = body
        return true
      })
      .reply(200, { data: { function: fn({ id: 'dfn_new' }) } })
    const { code, out } = await deploy(['--destination', KEY, '--create', '--logo-url', 'https://example.org/jlp.png'])
    expect(code).toBe(0)
    scope.done()
    expect(posted).toEqual({
      code: built.code,
      displayName: 'JLP Ortto',
      resourceType: 'DESTINATION',
      settings: built.settings,
      description: built.description,
      logoUrl: 'https://example.org/jlp.png'
    })
    expect(out).toContain('Created dfn_new.')
  })

  it('refuses --create when a Function of that name exists, naming its id', async () => {
    nock(US)
      .get('/functions')
      .query(true)
      .reply(200, { data: { functions: [fn({ id: 'dfn_old' })], pagination: {} } })
    const { code, err } = await deploy(['--destination', KEY, '--create'])
    expect(code).toBe(1)
    expect(err).toContain('exists already (dfn_old): update it with --function-id dfn_old')
  })

  it('without an id, finds the Function by name across pages and updates it', async () => {
    const scope = nock(US)
      .get('/functions')
      .query({ resourceType: 'DESTINATION', 'pagination.count': '100' })
      .reply(200, { data: { functions: [fn({ id: 'dfn_a', displayName: 'Slack' })], pagination: { next: 'Mg==' } } })
      .get('/functions')
      .query({ resourceType: 'DESTINATION', 'pagination.count': '100', 'pagination.cursor': 'Mg==' })
      .reply(200, { data: { functions: [fn({ id: 'dfn_b' })], pagination: { previous: 'MA==' } } })
      .get('/functions/dfn_b')
      .reply(200, { data: { function: fn({ id: 'dfn_b' }) } })
      .patch('/functions/dfn_b')
      .reply(200, { data: { function: fn({ id: 'dfn_b' }) } })
      .get('/functions/dfn_b/versions')
      .query(true)
      .reply(200, { data: { versions: [] } })
    const { code, out } = await deploy(['--destination', KEY])
    expect(code).toBe(0)
    scope.done()
    expect(out).toContain('Updated dfn_b.')
  })

  it('asks for --create when no Function has the name', async () => {
    nock(US)
      .get('/functions')
      .query(true)
      .reply(200, { data: { functions: [], pagination: {} } })
    const { code, err } = await deploy(['--destination', KEY])
    expect(code).toBe(1)
    expect(err).toContain('No destination Function is named "JLP Ortto" in this workspace: pass --create')
  })

  it('talks to the EU host with --eu', async () => {
    const scope = nock(EU, authorized)
      .get('/functions/dfn_123')
      .reply(200, { data: { function: fn() } })
      .patch('/functions/dfn_123')
      .reply(200, { data: { function: fn() } })
      .get('/functions/dfn_123/versions')
      .query(true)
      .reply(200, { data: { versions: [{ id: 'ver_9' }] } })
    const { code, out } = await deploy(['--destination', KEY, '--function-id', 'dfn_123', '--eu'])
    expect(code).toBe(0)
    scope.done()
    expect(out).toContain('Updated dfn_123: version ver_9.')
  })

  it('with a token and --dry-run reads and diffs but changes nothing', async () => {
    const scope = nock(US)
      .get('/functions/dfn_123')
      .reply(200, { data: { function: fn() } })
    const { code, out } = await deploy(['--destination', KEY, '--function-id', 'dfn_123', '--dry-run'])
    expect(code).toBe(0)
    scope.done()
    expect(out).toContain('Settings: + apiKey')
    expect(fs.existsSync(path.join(outDir, `${KEY}.update-request.json`))).toBe(true)
  })

  it.each([
    [401, 'Segment refused the token in $SEGMENT_TOKEN while reading Function dfn_123 (401 Unauthorized)'],
    [403, 'The token in $SEGMENT_TOKEN may not manage Functions (403 Forbidden)'],
    [404, 'There is no Function dfn_123 in this US (no --eu) workspace (404 Not Found)'],
    [429, "Segment's rate limit was reached (429)"],
    [500, 'Segment answered 500 while reading Function dfn_123.']
  ])('explains a %i from the Public API', async (status, message) => {
    nock(US)
      .get('/functions/dfn_123')
      .reply(status, { errors: [{ type: 'error', message: 'from Segment' }] })
    const { code, err } = await deploy(['--destination', KEY, '--function-id', 'dfn_123'])
    expect(code).toBe(1)
    expect(err).toContain(message)
    expect(err).toContain('Segment says: from Segment')
  })

  it('names the fields Segment rejects (422) and uses the chosen token variable', async () => {
    nock(US)
      .get('/functions')
      .query(true)
      .reply(200, { data: { functions: [], pagination: {} } })
      .post('/functions')
      .reply(422, { errors: [{ type: 'validation', field: 'settings', message: 'name is invalid' }] })
    const { code, err } = await deploy(['--destination', KEY, '--create', '--workspace-token-env', 'JLP_SEGMENT'], {
      JLP_SEGMENT: TOKEN
    })
    expect(code).toBe(1)
    expect(err).toContain('Segment rejected the request (422 Validation failure) while creating Function "JLP Ortto".')
    expect(err).toContain('Segment says: settings: name is invalid')
  })

  it('says when the Public API cannot be reached', async () => {
    nock(US).get('/functions/dfn_123').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
    const { code, err } = await deploy(['--destination', KEY, '--function-id', 'dfn_123'])
    expect(code).toBe(1)
    expect(err).toContain(`Could not reach ${US} while reading Function dfn_123`)
  })

  it('refuses contradictory or ambiguous options', async () => {
    await expect(deploy(['--function-id', 'dfn_1', '--create', '--destination', KEY])).rejects.toThrow(UsageError)
    await expect(deploy(['--function-id', 'dfn_1'])).rejects.toThrow('name its destination with --destination')
    await expect(deploy(['--destination', 'nope'])).rejects.toThrow('Unknown destination "nope"')
    await expect(deploy(['--workspace-token-env', 'sgp_abc def'])).rejects.toThrow('takes the NAME')
  })
})
