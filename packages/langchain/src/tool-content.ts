import type { MultiServerClient } from '@mcpmx/client';

/** A tool result, as `client.callTool()` resolves it. */
export type CallToolResult = Awaited<ReturnType<MultiServerClient['callTool']>>;
type McpContent = CallToolResult['content'][number];

/** A LangChain content block (standard v1 shapes) for a ToolMessage. */
export type ToolContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio' | 'file'; mimeType: string; data: string };

/**
 * An MCP tool result as a ToolMessage's content: a string when every block is text (joined by
 * newlines), else standard content blocks (text, and image, audio and file blocks with base64
 * `data` and `mimeType`); no blocks but `structuredContent` is that content as JSON text.
 */
export function toToolContent(result: CallToolResult): string | ToolContentBlock[] {
  const content = result.content ?? [];
  if (content.length === 0) {
    return result.structuredContent === undefined ? '' : JSON.stringify(result.structuredContent);
  }
  const blocks = content.map(toBlock);
  if (blocks.every((block) => block.type === 'text')) {
    return blocks.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
  }
  return blocks;
}

/** The result's content as text only: for an error message. */
export function toText(result: CallToolResult): string {
  return (result.content ?? [])
    .map((part) => {
      const block = toBlock(part);
      return block.type === 'text' ? block.text : `[${block.type} ${block.mimeType}]`;
    })
    .join('\n');
}

function toBlock(part: McpContent): ToolContentBlock {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
    case 'audio':
      return { type: part.type, mimeType: part.mimeType, data: part.data };
    case 'resource':
      return 'blob' in part.resource
        ? {
            type: 'file',
            mimeType: part.resource.mimeType ?? 'application/octet-stream',
            data: part.resource.blob,
          }
        : { type: 'text', text: part.resource.text };
    default:
      return {
        type: 'text',
        text: `resource ${part.uri}${part.description ? `: ${part.description}` : ''}`,
      };
  }
}
