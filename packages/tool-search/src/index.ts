export type {
  FieldBoosts,
  SearchableTool,
  ToolIndex,
  ToolIndexOptions,
  ToolSearchHit,
  ToolSearchOptions,
} from './tool-index.js';
export { createToolIndex, DEFAULT_FIELD_BOOSTS } from './tool-index.js';
