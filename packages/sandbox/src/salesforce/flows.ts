// Autolaunched Flows as invocable actions: POST /actions/custom/flow/{Name} with {inputs: [...]}. Each input is
// one interview: its variables are checked against the flow's declared inputs, and a successful one is recorded
// (flowInvocations()) with Flow__InterviewStatus "Finished" and the flow's declared outputs.
import { isObject, reply, type Reply } from '../http'
import { badRequest, notFound } from './errors'
import type { SalesforceStore } from './store'

export function listFlows(store: SalesforceStore): Reply {
  const actions = [...store.schema.flows.values()].map((f) => ({ label: f.label, name: f.name, type: 'FLOW' }))
  return reply(200, { actions })
}

export function invokeFlow(store: SalesforceStore, name: string, body: unknown): Reply {
  const flow = store.schema.flow(name)
  if (!flow) throw notFound()
  if (!isObject(body) || !Array.isArray(body.inputs) || body.inputs.length === 0) {
    throw badRequest('JSON_PARSER_ERROR', 'The request body must have a non-empty inputs array')
  }
  const results = body.inputs.map((input) => {
    const vars = isObject(input) ? input : {}
    const unknown = flow.inputs ? Object.keys(vars).filter((k) => !flow.inputs!.has(k)) : []
    const missing = flow.requiredInputs.filter((k) => vars[k] === undefined || vars[k] === null || vars[k] === '')
    const errors = [
      ...unknown.map((k) => ({ statusCode: 'INVALID_INPUT', message: `Invalid input variable: ${k}`, fields: [] })),
      ...missing.map((k) => ({
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: `Missing required input parameter: ${k}`,
        fields: []
      }))
    ]
    if (errors.length === 0) store.recordFlowRun(flow.name, { ...vars })
    return {
      actionName: flow.name,
      errors: errors.length > 0 ? errors : null,
      isSuccess: errors.length === 0,
      outputValues: errors.length > 0 ? null : { ...flow.outputs, Flow__InterviewStatus: 'Finished' },
      sortOrder: -1,
      version: 1
    }
  })
  return reply(results.some((r) => r.isSuccess) ? 200 : 400, results)
}
