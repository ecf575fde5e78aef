/**
 * `@lifeline/doctor`: probes a Socket.IO deployment layer by layer and says which layer is broken,
 * how to fix it, and what the Lifeline client will do. The `lifeline-doctor` bin wraps `diagnose`.
 */
export { diagnose } from './diagnose';
export { formatReport, formatJson, LAYER_TITLES } from './report';
export { summarize } from './summary';
export type { ReportOptions } from './report';
export type { DiagnoseOptions, Diagnosis, LayerName, LayerResult, LayerStatus, Summary, Target } from './types';
