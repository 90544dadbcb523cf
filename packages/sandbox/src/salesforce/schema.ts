// The org's schema: objects, fields and flows, from the built-in standard objects plus JSON-able configs
// (see jlp-org.schema.json). Names are case-insensitive everywhere, as in Salesforce.
import { STANDARD_OBJECTS } from './standard'

export type SfFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'int'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference'

/** Values the store computes; such fields are read-only. */
export type ComputedKind = 'fullName' | 'stageClosed' | 'stageWon' | 'taskClosed' | 'rollupSum'

export interface RollupConfig {
  /** Child object summed, e.g. Opportunity. */
  object: string
  /** Child field summed, e.g. Amount. */
  field: string
  /** Child reference field pointing at this record, e.g. npsp__Primary_Contact__c. */
  via: string
  /** Only children whose fields equal these values (e.g. {"StageName": "Closed Won"}). */
  where?: Record<string, string | number | boolean>
}

export interface FieldConfig {
  type: SfFieldType
  label?: string
  /** Max characters for text types (default 255; textarea 32768). */
  length?: number
  /** Must be set on create (the store answers REQUIRED_FIELD_MISSING). */
  required?: boolean
  externalId?: boolean
  unique?: boolean
  caseSensitive?: boolean
  /** Usable to match an upsert (default: Id, external ids and unique fields; Salesforce also marks e.g. Email on
   * Contact and Lead). */
  idLookup?: boolean
  /** Default true (false for computed fields). */
  createable?: boolean
  updateable?: boolean
  defaultValue?: string | number | boolean
  /** Objects a reference field may point to. */
  referenceTo?: string[]
  /** Relationship name for SOQL parent paths (default: the field name without Id / __c → __r). */
  relationshipName?: string
  picklistValues?: string[]
  computed?: ComputedKind
  rollup?: RollupConfig
}

export interface ObjectConfig {
  label?: string
  labelPlural?: string
  /** 3-character id prefix (custom objects get a0A, a0B, … when left out; platform events e00). */
  keyPrefix?: string
  kind?: 'sobject' | 'platformEvent'
  fields: Record<string, FieldConfig>
  /** Groups of fields of which at least one must be set on create, e.g. [["ContactId", "LeadId"]]. */
  requireOneOf?: string[][]
  /** Field combinations unique across records (rows with a null in the combination are not compared). */
  uniqueTogether?: Array<{ fields: string[]; message: string }>
  createable?: boolean
}

export interface FlowConfig {
  label?: string
  /** Input variable names the flow accepts (any other input is an error). */
  inputs?: string[]
  /** Inputs that must be present in every invocation. */
  requiredInputs?: string[]
  /** Output variables returned with Flow__InterviewStatus. */
  outputs?: Record<string, string | number | boolean | null>
}

export interface SchemaConfig {
  objects?: Record<string, ObjectConfig>
  flows?: Record<string, FlowConfig>
}

export interface SfField {
  name: string
  label: string
  type: SfFieldType
  length: number
  externalId: boolean
  unique: boolean
  caseSensitive: boolean
  createable: boolean
  updateable: boolean
  nillable: boolean
  required: boolean
  defaultValue?: string | number | boolean
  referenceTo: string[]
  relationshipName?: string
  picklistValues: string[]
  computed?: ComputedKind
  rollup?: RollupConfig
  custom: boolean
  idLookup: boolean
}

export interface SfObject {
  name: string
  label: string
  labelPlural: string
  keyPrefix: string
  custom: boolean
  kind: 'sobject' | 'platformEvent'
  createable: boolean
  fields: Map<string, SfField>
  relationships: Map<string, SfField>
  requireOneOf: string[][]
  uniqueTogether: Array<{ fields: string[]; message: string }>
}

export interface SfFlow {
  name: string
  label: string
  inputs?: Set<string>
  requiredInputs: string[]
  outputs: Record<string, string | number | boolean | null>
}

const SYSTEM_FIELDS: Record<string, FieldConfig> = {
  Id: { type: 'id', label: 'Record ID', createable: false, updateable: false },
  IsDeleted: { type: 'boolean', label: 'Deleted', createable: false, updateable: false },
  CreatedDate: { type: 'datetime', label: 'Created Date', createable: false, updateable: false },
  CreatedById: {
    type: 'reference',
    referenceTo: ['User'],
    label: 'Created By ID',
    createable: false,
    updateable: false
  },
  LastModifiedDate: { type: 'datetime', label: 'Last Modified Date', createable: false, updateable: false },
  LastModifiedById: {
    type: 'reference',
    referenceTo: ['User'],
    label: 'Last Modified By ID',
    createable: false,
    updateable: false
  },
  SystemModstamp: { type: 'datetime', label: 'System Modstamp', createable: false, updateable: false }
}

const EVENT_SYSTEM_FIELDS: Record<string, FieldConfig> = {
  ReplayId: { type: 'string', label: 'Replay ID', createable: false, updateable: false },
  CreatedDate: { type: 'datetime', label: 'Created Date', createable: false, updateable: false },
  EventUuid: { type: 'string', label: 'Event UUID', createable: false, updateable: false }
}

const DEFAULT_LENGTH: Partial<Record<SfFieldType, number>> = {
  textarea: 32768,
  email: 80,
  phone: 40,
  id: 18,
  reference: 18,
  picklist: 255,
  url: 255
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

const isCustomName = (name: string) => /__(c|e)$/i.test(name)

function relationshipNameOf(name: string): string | undefined {
  if (/__c$/i.test(name)) return name.replace(/__c$/i, '__r')
  if (/Id$/.test(name) && name.length > 2) return name.slice(0, -2)
  return undefined
}

function compileField(name: string, c: FieldConfig): SfField {
  const computed = c.computed ?? (c.rollup ? 'rollupSum' : undefined)
  const createable = c.createable ?? !computed
  const updateable = c.updateable ?? createable
  const required = !!c.required && createable
  return {
    name,
    label: c.label ?? name.replace(/__c$/i, '').replace(/_/g, ' '),
    type: c.type,
    length: c.length ?? DEFAULT_LENGTH[c.type] ?? (['string', 'multipicklist'].includes(c.type) ? 255 : 0),
    externalId: !!c.externalId,
    unique: !!c.unique,
    caseSensitive: !!c.caseSensitive,
    createable,
    updateable,
    nillable: !required && c.type !== 'boolean' && c.type !== 'id',
    required,
    defaultValue: c.defaultValue ?? (c.type === 'boolean' ? false : undefined),
    referenceTo: c.referenceTo ?? [],
    relationshipName: c.type === 'reference' ? (c.relationshipName ?? relationshipNameOf(name)) : undefined,
    picklistValues: c.picklistValues ?? [],
    computed,
    rollup: c.rollup,
    custom: isCustomName(name),
    idLookup: c.idLookup ?? (c.type === 'id' || !!c.externalId || (!!c.unique && c.type !== 'boolean'))
  }
}

/** Fields and objects a config adds must be custom (__c, __e), as in a real org; standard ones can be changed. */
function checkCustomNames(config: SchemaConfig): void {
  for (const [name, obj] of Object.entries(config.objects ?? {})) {
    const standard = Object.entries(STANDARD_OBJECTS).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
    if (!standard && !isCustomName(name)) {
      throw new Error(`Sandbox schema: object ${name} is not a standard object; custom objects end in __c or __e`)
    }
    const known = new Set(
      Object.keys({ ...SYSTEM_FIELDS, ...EVENT_SYSTEM_FIELDS, ...standard?.fields, Name: 1, OwnerId: 1 })
    )
    for (const field of Object.keys(obj.fields ?? {})) {
      if (!known.has(field) && !/__c$/.test(field)) {
        throw new Error(`Sandbox schema: ${name}.${field} is not a standard field; custom fields end in __c`)
      }
    }
  }
}

/** Field settings merge too, so a config can say {"WhatId": {"referenceTo": [...]}} without restating the type. */
function mergeFields(
  prev: Record<string, FieldConfig>,
  next: Record<string, FieldConfig>
): Record<string, FieldConfig> {
  const out = { ...prev }
  for (const [name, field] of Object.entries(next)) {
    const key = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name
    out[key] = { ...out[key], ...field }
  }
  return out
}

/** Merge configs: later configs add objects, add fields and override field settings. */
function mergeConfigs(configs: SchemaConfig[]): Required<SchemaConfig> {
  const objects: Record<string, ObjectConfig> = {}
  const flows: Record<string, FlowConfig> = {}
  for (const config of configs) {
    for (const [name, obj] of Object.entries(config.objects ?? {})) {
      const key = Object.keys(objects).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name
      const prev = objects[key]
      objects[key] = prev
        ? {
            ...prev,
            ...obj,
            fields: mergeFields(prev.fields, obj.fields),
            requireOneOf: [...(prev.requireOneOf ?? []), ...(obj.requireOneOf ?? [])],
            uniqueTogether: [...(prev.uniqueTogether ?? []), ...(obj.uniqueTogether ?? [])]
          }
        : obj
    }
    Object.assign(flows, config.flows ?? {})
  }
  return { objects, flows }
}

export class Schema {
  readonly objects = new Map<string, SfObject>()
  readonly flows = new Map<string, SfFlow>()
  private readonly byPrefix = new Map<string, SfObject>()

  constructor(...configs: SchemaConfig[]) {
    configs.forEach(checkCustomNames)
    const merged = mergeConfigs([{ objects: STANDARD_OBJECTS }, ...configs])
    // Custom objects without a prefix get the first free one from a0A on.
    let customPrefix = 10
    const taken = new Set(Object.values(merged.objects).flatMap((o) => (o.keyPrefix ? [o.keyPrefix] : [])))
    for (const [name, config] of Object.entries(merged.objects)) {
      const kind = config.kind ?? (/__e$/i.test(name) ? 'platformEvent' : 'sobject')
      const custom = isCustomName(name)
      let keyPrefix = config.keyPrefix ?? (kind === 'platformEvent' ? 'e00' : '')
      while (!keyPrefix || taken.has(keyPrefix)) {
        if (config.keyPrefix || kind === 'platformEvent') break
        keyPrefix = `a${BASE36[Math.floor(customPrefix / 36) % 36]}${BASE36[customPrefix % 36]}`
        customPrefix++
      }
      taken.add(keyPrefix)
      const fields = new Map<string, SfField>()
      const relationships = new Map<string, SfField>()
      const all = { ...(kind === 'platformEvent' ? EVENT_SYSTEM_FIELDS : SYSTEM_FIELDS), ...config.fields }
      if (custom && kind === 'sobject' && !Object.keys(all).some((f) => f.toLowerCase() === 'name')) {
        all.Name = { type: 'string', label: `${config.label ?? name} Name`, length: 80 }
      }
      for (const [fieldName, fc] of Object.entries(all)) {
        const field = compileField(fieldName, fc)
        fields.set(fieldName.toLowerCase(), field)
        if (field.relationshipName) relationships.set(field.relationshipName.toLowerCase(), field)
      }
      const obj: SfObject = {
        name,
        label: config.label ?? name.replace(/__[ce]$/i, '').replace(/_/g, ' '),
        labelPlural: config.labelPlural ?? `${config.label ?? name.replace(/__[ce]$/i, '').replace(/_/g, ' ')}s`,
        keyPrefix,
        custom,
        kind,
        createable: config.createable ?? true,
        fields,
        relationships,
        requireOneOf: config.requireOneOf ?? [],
        uniqueTogether: config.uniqueTogether ?? []
      }
      this.objects.set(name.toLowerCase(), obj)
      if (kind === 'sobject') this.byPrefix.set(keyPrefix, obj)
    }
    for (const [name, fc] of Object.entries(merged.flows)) {
      this.flows.set(name.toLowerCase(), {
        name,
        label: fc.label ?? name.replace(/_/g, ' '),
        inputs: fc.inputs ? new Set(fc.inputs) : undefined,
        requiredInputs: fc.requiredInputs ?? [],
        outputs: fc.outputs ?? {}
      })
    }
  }

  object(name: string): SfObject | undefined {
    return this.objects.get(name.toLowerCase())
  }

  objectOfId(id15: string): SfObject | undefined {
    return this.byPrefix.get(id15.slice(0, 3))
  }

  field(obj: SfObject, name: string): SfField | undefined {
    return obj.fields.get(name.toLowerCase())
  }

  flow(name: string): SfFlow | undefined {
    return this.flows.get(name.toLowerCase())
  }
}

const SOAP_TYPE: Record<SfFieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime'
}

/** One field as GET /sobjects/{Obj}/describe lists it. */
export function describeField(f: SfField) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPE[f.type],
    length: f.length,
    custom: f.custom,
    externalId: f.externalId,
    unique: f.unique,
    caseSensitive: f.caseSensitive,
    idLookup: f.idLookup,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    defaultedOnCreate: f.defaultValue !== undefined || f.type === 'id' || f.name === 'OwnerId',
    defaultValue: f.defaultValue ?? null,
    calculated: !!f.computed,
    filterable: true,
    sortable: f.type !== 'textarea' && f.type !== 'multipicklist',
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName ?? null,
    picklistValues: f.picklistValues.map((v) => ({
      active: true,
      defaultValue: v === f.defaultValue,
      label: v,
      value: v
    }))
  }
}

export function objectUrls(obj: SfObject, version: string) {
  const base = `/services/data/${version}/sobjects/${obj.name}`
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` }
}

/** An object as GET /sobjects lists it. */
export function describeGlobalItem(obj: SfObject, version: string) {
  const isEvent = obj.kind === 'platformEvent'
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: obj.labelPlural,
    keyPrefix: obj.keyPrefix,
    custom: obj.custom,
    createable: obj.createable,
    updateable: !isEvent && obj.createable,
    deletable: !isEvent && obj.createable,
    queryable: !isEvent,
    searchable: !isEvent,
    retrieveable: !isEvent,
    layoutable: !isEvent,
    triggerable: true,
    urls: objectUrls(obj, version)
  }
}

export function describeObject(obj: SfObject, version: string) {
  return {
    ...describeGlobalItem(obj, version),
    fields: [...obj.fields.values()].map(describeField),
    childRelationships: [],
    recordTypeInfos: []
  }
}
