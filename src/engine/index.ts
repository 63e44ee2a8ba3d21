// The engine's public face: run a runbook, and the pieces the CLI needs before it does.
export { runEngine, type EngineResult } from './engine';
export { RunAborted, type EngineOptions } from './context';
export { parseSets, validateSets, declaredInputs, validateInput } from './inputs';
export { createAutoPrompter } from './auto-prompter';
export { EventBus } from '../core/bus';
export { PASSED_THROUGH, PASSED_THROUGH_PREFIXES } from './env';
