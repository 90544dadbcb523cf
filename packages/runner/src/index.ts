export { presetSubscriptions, matchingPresets, type PresetSubscription } from './presets'
export {
  runEvent,
  runBatch,
  describeError,
  destinationFor,
  type PresetRun,
  type BatchItemRun,
  type RunError
} from './run'
