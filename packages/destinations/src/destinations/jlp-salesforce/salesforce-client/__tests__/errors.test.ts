import {
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import { errorStatus, errorType, mapSalesforceError, mapTransportError, salesforceErrorsOf, sfErrors } from '..'

const body = (errorCode: string, message: string, fields: string[] = []) => [{ message, errorCode, fields }]
const WHAT = 'upserting Contact by Email "a@b.org"'

describe('Salesforce errors → actions-core errors', () => {
  it.each([
    [500, body('UNKNOWN_EXCEPTION', 'An unexpected error occurred'), 500, 'UNKNOWN_EXCEPTION'],
    [503, body('SERVER_UNAVAILABLE', 'Server unavailable'), 503, 'SERVER_UNAVAILABLE'],
    [502, '<html>Bad gateway</html>', 502, 'Bad gateway'],
    [429, body('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded'), 429, 'REQUEST_LIMIT_EXCEEDED'],
    [403, body('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 429, 'REQUEST_LIMIT_EXCEEDED'],
    [400, body('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'), 503, 'UNABLE_TO_LOCK_ROW'],
    [412, body('PRECONDITION_FAILED', 'modified since'), 423, 'PRECONDITION_FAILED']
  ])('%s %j is retried, with the code in the message', (status, answer, retryStatus, code) => {
    const err = mapSalesforceError(status, answer, WHAT)
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.status).toBe(retryStatus)
    expect(err.message).toContain(code)
    expect(err.message).toContain(WHAT)
    expect(errorType(err)).toBe('RETRYABLE_ERROR')
  })

  it.each([
    [401, body('INVALID_SESSION_ID', 'Session expired or invalid')],
    [401, undefined],
    [400, body('INVALID_AUTH_HEADER', 'INVALID_HEADER_TYPE')]
  ])('%s %j asks for a new token (status 401, so the framework refreshes it)', (status, answer) => {
    const err = mapSalesforceError(status, answer, WHAT)
    expect(err).toBeInstanceOf(InvalidAuthenticationError)
    expect(errorStatus(err)).toBe(401)
    expect(errorType(err)).toBe('INVALID_AUTHENTICATION')
  })

  it.each([
    ['REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', ['LastName']],
    ['STRING_TOO_LONG', 'Phone: data value too large', ['Phone']],
    ['MALFORMED_ID', 'Account ID: id value of incorrect type: 001xx', ['AccountId']],
    ['DUPLICATES_DETECTED', 'Use one of these records?', []],
    ['INVALID_EMAIL_ADDRESS', 'Email: invalid email address: not-an-email', ['Email']],
    [
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'bad value for restricted picklist field: Gold',
      ['JLP_Product_Type__c']
    ],
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Postcode must be UK format', ['MailingPostalCode']]
  ])('%s is bad data: not retried, names the field', (code, message, fields) => {
    const err = mapSalesforceError(400, body(code, message, fields), WHAT)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.status).toBe(400)
    expect(err.message).toContain(code)
    for (const f of fields) expect(err.message).toContain(`on ${f}`)
    expect(err.message).toContain(message)
  })

  it.each([
    [
      400,
      'INVALID_FIELD',
      "No such column 'JLP_Total_Spend__c' on sobject of type Contact",
      'object and field API names'
    ],
    [404, 'NOT_FOUND', 'The requested resource does not exist', 'object and field API names'],
    [400, 'INVALID_TYPE', "sObject type 'JLP_Thing__c' is not supported", 'object and field API names'],
    [403, 'INSUFFICIENT_ACCESS', 'insufficient access rights on object id', 'API access and permission'],
    [400, 'MALFORMED_QUERY', 'unexpected token', '']
  ])('%s %s is a configuration problem: IntegrationError with the code, not retried', (status, code, message, hint) => {
    const err = mapSalesforceError(status, body(code, message), WHAT) as IntegrationError
    expect(err).toBeInstanceOf(IntegrationError)
    expect(err).not.toBeInstanceOf(PayloadValidationError)
    expect(err.code).toBe(code)
    expect(err.status).toBe(status)
    expect(err.message).toContain(`${code}: ${message}`)
    expect(err.message).toContain(hint)
  })

  it('calls several matches on an external id a setup problem (300)', () => {
    const err = mapSalesforceError(
      300,
      ['/services/data/v66.0/sobjects/Contact/003A', '/services/data/v66.0/sobjects/Contact/003B'],
      WHAT
    ) as IntegrationError
    expect(err.code).toBe('MULTIPLE_CHOICES')
    expect(err.message).toMatch(/not unique/)
  })

  it('reads the Collections shape (statusCode) and keeps the entries for decisions', () => {
    const answer = {
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName']
        }
      ]
    }
    const err = mapSalesforceError(400, answer.errors, WHAT)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(salesforceErrorsOf(err)).toEqual([
      { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }
    ])
    expect(sfErrors({ error: 'invalid_grant', error_description: 'expired access/refresh token' })).toEqual([
      { errorCode: 'invalid_grant', message: 'expired access/refresh token', fields: [] }
    ])
  })

  it('turns a timeout or a reset connection into a retry, without request details', () => {
    const timeout = Object.assign(new Error('Request timed out after 10000ms'), { name: 'TimeoutError' })
    const reset = Object.assign(new Error('socket hang up Authorization: Bearer SECRET'), { code: 'ECONNRESET' })
    expect(mapTransportError(timeout, WHAT)).toMatchObject({ status: 408 })
    expect(mapTransportError(timeout, WHAT).message).toMatch(/timeout/)
    const mapped = mapTransportError(reset, WHAT)
    expect(mapped).toBeInstanceOf(RetryableError)
    expect(mapped.message).toContain('ECONNRESET')
    expect(mapped.message).not.toContain('SECRET')
  })
})
