// @jlp/functions: each JLP destination as a Segment Destination Function (bundle, adapter, harness, deploy).
export {
  createHandlers,
  HANDLER_NAMES,
  INVOCATION_BUDGET_MS,
  type FunctionHandlers,
  type FunctionRuntime,
  type FunctionCache,
  type FunctionSettingValues,
  type HandledEvent
} from './adapter'
export {
  failureOf,
  batchStatus,
  FUNCTION_ERROR_NAMES,
  type FunctionErrorName,
  type FunctionErrorClasses,
  type FunctionFailure,
  type BatchStatus
} from './errors'
export {
  functionSettings,
  resolveSettings,
  PRESETS_SETTING,
  type FunctionSetting,
  type FunctionSettingType,
  type ResolvedSettings
} from './settings'
export { buildFunction, MAX_BUNDLE_BYTES, type BuildOptions, type BuiltFunction } from './build'
export { bundleCommand, BUNDLE_USAGE, DEFAULT_BUNDLE_DIR } from './bundle-command'
export {
  loadFunction,
  memoryCache,
  functionErrors,
  EventNotSupported,
  InvalidEventPayload,
  ValidationError,
  RetryError,
  type LoadOptions,
  type LoadedFunction,
  type HandlerName
} from './harness'
export {
  PublicApi,
  PublicApiError,
  PUBLIC_API_HOSTS,
  type DeployedFunction,
  type FunctionVersion,
  type CreateFunctionBody,
  type UpdateFunctionBody
} from './deploy/api'
export { diffCode, diffSettings, type CodeDiff, type SettingsDiff } from './deploy/diff'
export {
  deployCommand,
  parseDeployArgs,
  createBody,
  updateBody,
  DEPLOY_USAGE,
  DEFAULT_TOKEN_ENV,
  type DeployContext,
  type DeployOptions,
  type DeployOutcome
} from './deploy/run'
