// @jlp/sandbox: stateful Salesforce + Ortto APIs on 127.0.0.1, in memory, with faults and an audit. See README.md.
export { startSandbox, JLP_ORG_SCHEMA, SANDBOX_DEFAULTS } from './sandbox'
export type { Sandbox, SandboxOptions, SandboxSalesforce, SandboxOrtto, SandboxRecords } from './sandbox'
export { FAULT_KINDS } from './faults'
export type { FaultConfig, FaultKind, FaultMix, FaultRule, Vendor } from './faults'
export type { AuditEntry, AuditFilter, EndpointStats } from './audit'
export type { Clock } from './clock'
export { routeHostsToSandbox, DEFAULT_SALESFORCE_HOSTS, SANDBOX_TLS } from './tls'
export type { HostRouting } from './tls'
export type {
  SchemaConfig,
  ObjectConfig,
  FieldConfig,
  FlowConfig,
  RollupConfig,
  SfFieldType
} from './salesforce/schema'
export type { AccountModel, FlowInvocation, PublishedEvent, SfRecord } from './salesforce/store'
export { parseSoql, tokenize as tokenizeSoql } from './salesforce/soql'
export type { SoqlQuery, Condition as SoqlCondition, Literal as SoqlLiteral } from './salesforce/soql'
export { ORTTO_LIMITS } from './ortto/fields'
export type { OrttoActivityDefinition, OrttoActivityRecord, OrttoPerson } from './ortto/store'
