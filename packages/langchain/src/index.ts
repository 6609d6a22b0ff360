export type { LangChainTools, LangChainToolsOptions } from './create-langchain-tools.js';
export { createLangChainTools } from './create-langchain-tools.js';
export type { ToolContentBlock } from './tool-content.js';
export { toToolContent } from './tool-content.js';
