// npm run sandbox: run the sandbox standalone and print where it is and the (fake, local) credentials.
//   --port <n>  --https  --https-port <n>  --seed <n>  --faults <rate 0-1>  --token-ttl <s>  --daily-limit <n>
//   --duplicate-rule  --strict-activities  --account-model household|individual|none
import { parseArgs } from 'util'
import { startSandbox, type Sandbox, type SandboxOptions } from './sandbox'
import type { AccountModel } from './salesforce/store'

const USAGE = `Usage: npm run sandbox -- [--port <n>] [--https] [--https-port <n>] [--seed <n>] [--faults <0-1>]
  [--token-ttl <seconds>] [--daily-limit <n>] [--duplicate-rule] [--strict-activities]
  [--account-model household|individual|none]`

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`)
  return n
}

export function optionsFromArgs(argv: string[]): SandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      https: { type: 'boolean' },
      'https-port': { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'token-ttl': { type: 'string' },
      'daily-limit': { type: 'string' },
      'duplicate-rule': { type: 'boolean' },
      'strict-activities': { type: 'boolean' },
      'account-model': { type: 'string' }
    }
  })
  const rate = number(values.faults, 'faults')
  if (rate !== undefined && rate > 1) throw new Error('--faults is a share of calls between 0 and 1')
  const accountModel = values['account-model'] as AccountModel | undefined
  if (accountModel && !['household', 'individual', 'none'].includes(accountModel)) {
    throw new Error('--account-model must be household, individual or none')
  }
  return {
    port: number(values.port, 'port'),
    https: values.https || values['https-port'] !== undefined,
    httpsPort: number(values['https-port'], 'https-port'),
    seed: number(values.seed, 'seed'),
    faults: rate ? { rate } : undefined,
    tokenTtlSeconds: number(values['token-ttl'], 'token-ttl'),
    dailyApiLimit: number(values['daily-limit'], 'daily-limit'),
    duplicateRuleOnEmail: values['duplicate-rule'],
    orttoStrictActivities: values['strict-activities'],
    accountModel
  }
}

export function describeSandbox(s: Sandbox): string {
  return [
    `JLP sandbox running (local, in memory; these credentials are fake and only work here)`,
    ``,
    `  URL                      ${s.url}${s.httpsUrl ? `   (HTTPS: ${s.httpsUrl})` : ''}`,
    ``,
    `Salesforce`,
    `  Instance URL             ${s.salesforce.url}`,
    `  Token URL                ${s.salesforce.tokenUrl}`,
    `  Client ID                ${s.salesforce.clientId}`,
    `  Client secret            ${s.salesforce.clientSecret}`,
    `  Refresh token            ${s.salesforce.refreshToken}`,
    `  Access token             ${s.salesforce.accessToken()}`,
    `  API version              ${s.salesforce.apiVersion} (any vNN.N works)`,
    ``,
    `Ortto`,
    `  Base URL                 ${s.ortto.url}   (set JLP_ALLOW_LOOPBACK=1 for the jlp-ortto destination)`,
    `  API key (X-Api-Key)      ${s.ortto.apiKey}`,
    ``,
    `Ctrl+C stops it.`
  ].join('\n')
}

async function main(): Promise<void> {
  let options: SandboxOptions
  try {
    options = optionsFromArgs(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`)
    process.exit(2)
  }
  const sandbox = await startSandbox(options).catch((err: NodeJS.ErrnoException) => {
    const busy = err.code === 'EADDRINUSE' ? ' (the port is busy: pass another --port, or none for any free port)' : ''
    process.stderr.write(`Could not start the sandbox: ${err.message}${busy}\n`)
    process.exit(1)
  })
  process.stdout.write(`${describeSandbox(sandbox)}\n`)
  const stop = () => {
    void sandbox.stop().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (require.main === module) void main()
