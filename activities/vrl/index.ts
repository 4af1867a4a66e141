/**
 * The splunk input and VRL transform steps (DESIGN.md section 2) as plain async functions; the
 * Temporal activities wrap them.
 */
export { VrlCompileError, formatVrlDiagnostic } from './diagnostics.js';
export { dryRunVrl, type DryRunOptions, type DryRunReport } from './dry-run.js';
export { splunkInputKeys, splunkInputName } from './keys.js';
export { mapRecords, type MappingFailure, type MappedRecords } from './map-records.js';
export {
  parseVrlMappings,
  vrlMappingSchema,
  vrlMappingsSchema,
  type VrlMapping,
  type VrlMappingInput,
} from '../../core/vrl-mappings.js';
export {
  mergeTransformed,
  type MergeTransformedInput,
  type MergeTransformedResult,
} from './merge-transformed.js';
export {
  builtinPrograms,
  defaultVrlDir,
  loadVrlPrograms,
  programNamed,
  type VrlProgramSet,
} from './program-set.js';
export { compileVrlProgram, loadVrlProgram, type VrlProgram } from './program.js';
export { runVrl, type Outcome } from './runner.js';
export { selectProgram, sourcetypeOf } from './select-program.js';
export {
  readExportRecords,
  splitSplunkExport,
  SplunkExportError,
  type SplitFailure,
  type SplitOptions,
  type SplitResult,
  type SplunkChunk,
} from './split-splunk-export.js';
export {
  transformChunk,
  type TransformChunkInput,
  type TransformChunkResult,
} from './transform-chunk.js';
