/**
 * Minimal structural MCP shapes, so core needs no SDK dependency. The SDK's own types are
 * assignable to these.
 */

export type ToolAnnotations = {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};

export type ToolDescriptor = {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  /** JSON Schema of `structuredContent`; servers may send any schema object. */
  outputSchema?: { [key: string]: unknown };
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
};

export type ResourceDescriptor = {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
};

export type ResourceTemplateDescriptor = {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
};

export type PromptDescriptor = {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
};

export type CallToolResult = {
  content: unknown[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
};

/** One page of a list call. `ttlMs` and `cacheScope` are 2026-07-28 caching hints. */
export type ListPage<K extends string, T> = { [P in K]: T[] } & {
  nextCursor?: string;
  ttlMs?: number;
  cacheScope?: string;
};

export type CapabilityKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

export type Progress = { progress: number; total?: number; message?: string };
