export type { AiSdkTools, AiSdkToolsOptions } from './create-ai-sdk-tools.js';
export { createAiSdkTools } from './create-ai-sdk-tools.js';
export { PROVIDER_TOOL_NAME } from './provider-tool-names.js';
export type { ToolModelOutput } from './tool-output.js';
export { toModelOutput } from './tool-output.js';
export type { ToolSearch, ToolSearchStepOptions } from './tool-search-step.js';
export { createToolSearchStep, DEFAULT_TOOL_SEARCH_LIMIT } from './tool-search-step.js';
