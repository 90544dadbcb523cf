import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import type { DestinationDefinition } from '@segment/actions-core'
import { generatedFilesFor, staleFiles } from '../lib/generate-types'

const def: DestinationDefinition<Record<string, unknown>> = {
  name: 'Fixture',
  mode: 'cloud',
  authentication: {
    scheme: 'custom',
    fields: { apiKey: { label: 'API key', description: 'Secret key.', type: 'password', required: true } }
  },
  actions: {
    sendIt: {
      title: 'Send it',
      description: 'Sends it.',
      fields: {
        email: { label: 'Email', description: 'Supporter email.', type: 'string', required: true },
        amount: { label: 'Amount', description: 'Amount in pounds.', type: 'number' }
      },
      perform: () => undefined
    }
  }
}

describe('generate-types', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-types-'))

  it('writes Settings and Payload with required and optional members and doc comments', async () => {
    const files = await generatedFilesFor(dir, def)
    expect(files.map((f) => path.relative(dir, f.file))).toEqual([
      'generated-types.ts',
      path.join('sendIt', 'generated-types.ts')
    ])
    expect(files[0].content).toContain('export interface Settings {')
    expect(files[0].content).toMatch(/apiKey: string/)
    expect(files[1].content).toMatch(/\* Supporter email\.\s+\*\/\s+email: string/)
    expect(files[1].content).toMatch(/amount\?: number/)
  })

  it('reports a missing or stale file, and nothing once written', async () => {
    const files = await generatedFilesFor(dir, def)
    expect(staleFiles(files)).toHaveLength(2)
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true })
      fs.writeFileSync(f.file, f.content)
    }
    expect(staleFiles(files)).toEqual([])
    fs.appendFileSync(files[1].file, '// edited by hand\n')
    expect(staleFiles(files)).toEqual([files[1].file])
  })
})
