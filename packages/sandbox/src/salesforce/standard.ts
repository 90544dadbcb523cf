// The standard objects every org has (the fields our destinations and the official one touch, not all of them).
// System fields (Id, CreatedDate, LastModifiedDate, SystemModstamp, …) are added by the schema.
import type { FieldConfig, ObjectConfig } from './schema'

const text = (label?: string, length = 255): FieldConfig => ({ type: 'string', label, length })
const ref = (to: string[], extra: Partial<FieldConfig> = {}): FieldConfig => ({
  type: 'reference',
  referenceTo: to,
  ...extra
})
const picklist = (values: string[], defaultValue?: string): FieldConfig => ({
  type: 'picklist',
  picklistValues: values,
  defaultValue
})
const owner: FieldConfig = { type: 'reference', referenceTo: ['User'], label: 'Owner ID', relationshipName: 'Owner' }

const address = (prefix: string): Record<string, FieldConfig> => ({
  [`${prefix}Street`]: { type: 'textarea', length: 255 },
  [`${prefix}City`]: text(undefined, 40),
  [`${prefix}State`]: text(undefined, 80),
  [`${prefix}PostalCode`]: text(undefined, 20),
  [`${prefix}Country`]: text(undefined, 80)
})

const person = (): Record<string, FieldConfig> => ({
  Salutation: picklist(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.']),
  FirstName: text('First Name', 40),
  LastName: { type: 'string', label: 'Last Name', length: 80, required: true },
  Name: { type: 'string', label: 'Full Name', length: 121, computed: 'fullName' },
  // Salesforce marks Email idLookup on Contact and Lead: an upsert can match by it (PATCH …/Contact/Email/{email}).
  Email: { type: 'email', label: 'Email', idLookup: true },
  Phone: { type: 'phone' },
  MobilePhone: { type: 'phone' },
  Title: text('Title', 128),
  LeadSource: picklist(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
  Description: { type: 'textarea' },
  HasOptedOutOfEmail: { type: 'boolean', label: 'Email Opt Out' },
  DoNotCall: { type: 'boolean' },
  OwnerId: owner
})

const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Pledged',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost'
]

export const CLOSED_STAGES = new Set(['Closed Won', 'Closed Lost'])
export const WON_STAGES = new Set(['Closed Won'])

export const STANDARD_OBJECTS: Record<string, ObjectConfig> = {
  User: {
    keyPrefix: '005',
    fields: {
      Username: { type: 'string', length: 80, required: true, unique: true },
      FirstName: text('First Name', 40),
      LastName: { type: 'string', length: 80, required: true },
      Name: { type: 'string', length: 121, computed: 'fullName' },
      Email: { type: 'email', required: true },
      IsActive: { type: 'boolean', defaultValue: true }
    }
  },
  Account: {
    keyPrefix: '001',
    fields: {
      Name: { type: 'string', label: 'Account Name', required: true },
      Type: picklist(['Household', 'Organization', 'Customer', 'Partner', 'Other']),
      AccountNumber: text('Account Number', 40),
      Industry: picklist(['Nonprofit', 'Retail', 'Other']),
      NumberOfEmployees: { type: 'int', label: 'Employees' },
      Phone: { type: 'phone' },
      Website: { type: 'url' },
      Description: { type: 'textarea' },
      ParentId: ref(['Account'], { relationshipName: 'Parent' }),
      ...address('Billing'),
      ...address('Shipping'),
      OwnerId: owner
    }
  },
  Contact: {
    keyPrefix: '003',
    fields: {
      ...person(),
      AccountId: ref(['Account']),
      HomePhone: { type: 'phone' },
      Birthdate: { type: 'date' },
      ...address('Mailing')
    }
  },
  Lead: {
    keyPrefix: '00Q',
    fields: {
      ...person(),
      Company: { type: 'string', label: 'Company', required: true },
      Status: picklist(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted'], 'Open - Not Contacted'),
      Industry: picklist(['Nonprofit', 'Retail', 'Other']),
      Rating: picklist(['Hot', 'Warm', 'Cold']),
      Website: { type: 'url' },
      IsConverted: { type: 'boolean', createable: false, updateable: false },
      ConvertedContactId: ref(['Contact'], { createable: false, updateable: false }),
      Street: { type: 'textarea', length: 255 },
      City: text(undefined, 40),
      State: text(undefined, 80),
      PostalCode: text(undefined, 20),
      Country: text(undefined, 80)
    }
  },
  Campaign: {
    keyPrefix: '701',
    fields: {
      Name: { type: 'string', label: 'Campaign Name', length: 80, required: true },
      Type: picklist(['Event', 'Email', 'Fundraising', 'Lottery Draw', 'Raffle', 'Other']),
      Status: picklist(['Planned', 'In Progress', 'Completed', 'Aborted'], 'Planned'),
      IsActive: { type: 'boolean', label: 'Active' },
      StartDate: { type: 'date' },
      EndDate: { type: 'date' },
      Description: { type: 'textarea' },
      ParentId: ref(['Campaign'], { relationshipName: 'Parent' }),
      ExpectedRevenue: { type: 'currency' },
      BudgetedCost: { type: 'currency' },
      ActualCost: { type: 'currency' },
      OwnerId: owner
    }
  },
  CampaignMember: {
    keyPrefix: '00v',
    fields: {
      CampaignId: ref(['Campaign'], { required: true, updateable: false }),
      ContactId: ref(['Contact'], { updateable: false }),
      LeadId: ref(['Lead'], { updateable: false }),
      Status: { type: 'picklist', picklistValues: ['Sent', 'Responded', 'Purchased'], defaultValue: 'Sent' },
      HasResponded: { type: 'boolean', createable: false, updateable: false }
    },
    requireOneOf: [['ContactId', 'LeadId']],
    uniqueTogether: [
      { fields: ['CampaignId', 'ContactId'], message: 'Already a campaign member.' },
      { fields: ['CampaignId', 'LeadId'], message: 'Already a campaign member.' }
    ]
  },
  Opportunity: {
    keyPrefix: '006',
    fields: {
      Name: { type: 'string', label: 'Opportunity Name', length: 120, required: true },
      StageName: { type: 'picklist', label: 'Stage', picklistValues: OPPORTUNITY_STAGES, required: true },
      CloseDate: { type: 'date', label: 'Close Date', required: true },
      Amount: { type: 'currency' },
      AccountId: ref(['Account']),
      ContactId: ref(['Contact']),
      CampaignId: ref(['Campaign'], { label: 'Primary Campaign Source ID' }),
      Type: picklist(['Donation', 'Ticket', 'Membership', 'New Business', 'Other']),
      LeadSource: picklist(['Web', 'Phone Inquiry', 'Other']),
      Probability: { type: 'percent' },
      NextStep: text('Next Step'),
      Description: { type: 'textarea' },
      IsClosed: { type: 'boolean', computed: 'stageClosed' },
      IsWon: { type: 'boolean', computed: 'stageWon' },
      OwnerId: owner
    }
  },
  OpportunityContactRole: {
    keyPrefix: '00K',
    fields: {
      OpportunityId: ref(['Opportunity'], { required: true, updateable: false }),
      ContactId: ref(['Contact'], { required: true }),
      IsPrimary: { type: 'boolean', label: 'Primary' },
      Role: picklist(['Buyer', 'Donor', 'Decision Maker', 'Influencer', 'Other'])
    }
  },
  Task: {
    keyPrefix: '00T',
    fields: {
      Subject: { type: 'picklist', length: 255, picklistValues: ['Call', 'Email', 'Send Letter', 'Other'] },
      Status: {
        type: 'picklist',
        picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        defaultValue: 'Not Started'
      },
      Priority: { type: 'picklist', picklistValues: ['High', 'Normal', 'Low'], defaultValue: 'Normal' },
      ActivityDate: { type: 'date', label: 'Due Date Only' },
      WhoId: ref(['Contact', 'Lead'], { label: 'Name ID', relationshipName: 'Who' }),
      WhatId: ref(['Account', 'Opportunity', 'Campaign'], { label: 'Related To ID', relationshipName: 'What' }),
      Description: { type: 'textarea' },
      Type: picklist(['Call', 'Email', 'Meeting', 'Other']),
      TaskSubtype: picklist(['Task', 'Email', 'Call']),
      IsClosed: { type: 'boolean', computed: 'taskClosed' },
      OwnerId: owner
    }
  }
}
