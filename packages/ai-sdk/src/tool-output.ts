import type { Tool } from 'ai';
import type { CallToolResult } from './mcp-types.js';

/** What the AI SDK sends to the model for a tool result (the SDK's `ToolResultOutput`). */
export type ToolModelOutput = Awaited<ReturnType<NonNullable<Tool['toModelOutput']>>>;
type ContentPart = Extract<ToolModelOutput, { type: 'content' }>['value'][number];
type McpContent = CallToolResult['content'][number];

/**
 * An MCP tool result as the model reads it:
 * - `isError`: `error-text` (the content's text), so the model sees that the tool failed and
 *   why, and the loop goes on;
 * - content: one text block is `text`; anything else is `content` with text, `image-data` for
 *   images and `file-data` for audio and embedded binary resources (base64, with its media
 *   type); an embedded text resource is its text; a resource link is a line naming its URI;
 * - no content but `structuredContent`: `json`.
 */
export function toModelOutput(result: CallToolResult): ToolModelOutput {
  const content = result.content ?? [];
  if (result.isError === true) {
    const text = content.map(describe).join('\n');
    return { type: 'error-text', value: text === '' ? 'the tool reported an error' : text };
  }
  if (content.length === 0) {
    return result.structuredContent === undefined
      ? { type: 'text', value: '' }
      : { type: 'json', value: JSON.parse(JSON.stringify(result.structuredContent)) };
  }
  const [only] = content;
  if (content.length === 1 && only?.type === 'text') return { type: 'text', value: only.text };
  return { type: 'content', value: content.map(toPart) };
}

function toPart(part: McpContent): ContentPart {
  switch (part.type) {
    case 'image':
      return { type: 'image-data', data: part.data, mediaType: part.mimeType };
    case 'audio':
      return { type: 'file-data', data: part.data, mediaType: part.mimeType };
    case 'resource':
      if ('blob' in part.resource) {
        return {
          type: 'file-data',
          data: part.resource.blob,
          mediaType: part.resource.mimeType ?? 'application/octet-stream',
        };
      }
      return { type: 'text', text: part.resource.text };
    default:
      return { type: 'text', text: describe(part) };
  }
}

/** One content block as text, for error results and the blocks the model gets as text. */
function describe(part: McpContent): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'resource_link':
      return `resource ${part.uri}${part.description ? `: ${part.description}` : ''}`;
    case 'resource':
      return 'text' in part.resource
        ? part.resource.text
        : `[binary resource ${part.resource.uri}]`;
    default:
      return `[${part.type} ${part.mimeType}]`;
  }
}
