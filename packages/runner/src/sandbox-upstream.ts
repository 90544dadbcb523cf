// The sandbox as an upstream: a fresh in-memory Salesforce org and Ortto account per run, the settings that
// point each destination at it, and its audit for the report. This table is the one place that knows which
// sandbox part stands in for which destination.
import type { JSONObject } from '@segment/actions-core'
import { startSandbox, type Sandbox, type Vendor } from '@jlp/sandbox'
import type { SandboxOptions, Upstream } from './commands'

interface SandboxPart {
  vendor: Vendor
  settings(sandbox: Sandbox): JSONObject
  /** Values for required preset fields a CSM fills in (see the catalogue's "You fill in"). */
  fills?(sandbox: Sandbox): JSONObject
}

export const SANDBOX_PARTS: Record<string, SandboxPart> = {
  'jlp-salesforce': {
    vendor: 'salesforce',
    // Self-managed sign-in with the sandbox's app, and the JLP org's supporter-id fields (one call per match).
    settings: ({ salesforce }) => ({
      instanceUrl: salesforce.url,
      authMode: 'client_credentials',
      clientId: salesforce.clientId,
      clientSecret: salesforce.clientSecret,
      contactExternalIdField: 'JLP_Supporter_Id__c',
      leadExternalIdField: 'JLP_Supporter_Id__c'
    }),
    // Follow-up Tasks go to the org's one user (the integration user) in the demo.
    fills: ({ salesforce }) => ({ owner_id: String(salesforce.query('SELECT Id FROM User LIMIT 1')[0]?.Id ?? '') })
  },
  'jlp-ortto': {
    vendor: 'ortto',
    settings: ({ ortto }) => ({ apiKey: ortto.apiKey, baseUrl: ortto.url })
  }
}

const counts = (entries: Array<[string, number]>) =>
  entries
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label} ${n}`)
    .join(' · ') || 'none'

/** What the sandbox saw and holds, as report lines. */
export function sandboxAudit(sandbox: Sandbox): Array<[string, string | number]> {
  const faults = Object.entries(sandbox.audit.faults()) as Array<[string, number]>
  const injected = faults.reduce((n, [, k]) => n + k, 0)
  const held = sandbox.records.salesforce()
  const ortto = sandbox.records.ortto()
  const usage = sandbox.salesforce.apiUsage()
  return [
    [
      'Salesforce API calls',
      `${sandbox.audit.cost('salesforce')} (${sandbox.audit.calls('salesforce')} HTTP requests; daily usage ${usage.used}/${usage.limit})`
    ],
    ['Ortto API calls', sandbox.audit.cost('ortto')],
    ['Faults injected', injected === 0 ? 0 : `${injected} (${counts(faults)})`],
    ['Salesforce records', counts(Object.entries(held).map(([object, records]) => [object, records.length]))],
    [
      'Ortto',
      counts([
        ['people', ortto.people.length],
        ['activities', ortto.activities.length]
      ])
    ]
  ]
}

export async function openSandboxUpstream(
  options: SandboxOptions,
  env: NodeJS.ProcessEnv
): Promise<Upstream & { sandbox: Sandbox }> {
  // The destinations accept loopback hosts only when the runtime says so (never a setting).
  env.JLP_ALLOW_LOOPBACK = '1'
  const sandbox = await startSandbox({
    port: options.port,
    faults: options.faults ? { rate: options.faults.rate, seed: options.faults.seed } : undefined,
    seed: options.faults?.seed
  })
  return {
    kind: 'sandbox',
    description: `the in-memory sandbox at ${sandbox.url}`,
    settingsFor: (key) => SANDBOX_PARTS[key]?.settings(sandbox) ?? {},
    fills: (key) => SANDBOX_PARTS[key]?.fills?.(sandbox) ?? {},
    auditedApiCalls: () =>
      Object.fromEntries(Object.entries(SANDBOX_PARTS).map(([key, part]) => [key, sandbox.audit.cost(part.vendor)])),
    audit: () => sandboxAudit(sandbox),
    close: () => sandbox.stop(),
    sandbox
  }
}
