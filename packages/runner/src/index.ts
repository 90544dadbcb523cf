export { presetSubscriptions, matchingPresets, presetNeeds, fillPreset, type PresetSubscription } from './presets'
export {
  runEvent,
  runBatch,
  describeError,
  destinationFor,
  type PresetRun,
  type BatchItemRun,
  type RunError
} from './run'
export { SANDBOX_PARTS } from './sandbox-upstream'
export { deliver, type Target, type DeliveredEvent, type DeliveredRun, type DeliverOptions } from './session'
export {
  buildReport,
  formatReport,
  exitCodeFor,
  objectLabel,
  type Report,
  type ReportInput,
  type ReportError,
  type DestinationTotals,
  type FormatOptions
} from './report'
export { parseEvents, readEventsFile, describeEvent } from './events'
export { progressBar, progressReporter, type ProgressStream } from './progress'
export {
  envPrefix,
  settingEnvVar,
  settingVariables,
  settingDefaults,
  liveSettings,
  liveVariablesSet,
  type SettingVariable
} from './targets'
export {
  createServeHandler,
  startServer,
  SEGMENT_ORIGINS,
  type ServeOptions,
  type RunningServer,
  type Exchange
} from './serve'
export {
  describeDestinations,
  catalogueMarkdown,
  catalogueHtml,
  catalogueFiles,
  touchesFromModules,
  DESTINATIONS_DIR,
  type Touches,
  type CatalogueDestination,
  type CatalogueFile
} from './catalogue'
export { fqlInWords, mappingInWords } from './words'
export { redactJson, redactBody, redactHeaders, REDACTED } from './redact'
export { UsageError, EXIT_USAGE, explainListenError } from './usage-error'
export { parseOptions, numberOption, listOption, chooseDestinations, choosePresets, runCli, type Console } from './cli'
export {
  startCommand,
  replayCommand,
  serveCommand,
  START_USAGE,
  REPLAY_USAGE,
  SERVE_USAGE,
  type CommandContext,
  type Upstream,
  type SandboxOptions,
  type Serving
} from './commands'
