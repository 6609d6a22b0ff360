import { describe, expect, it } from 'vitest';
import { toToolContent } from './tool-content.js';

describe('toToolContent: an MCP tool result as ToolMessage content', () => {
  it('text blocks are one string', () => {
    expect(
      toToolContent({
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      }),
    ).toBe('one\ntwo');
  });

  it('images, audio and resources are standard content blocks', () => {
    expect(
      toToolContent({
        content: [
          { type: 'text', text: 'a picture:' },
          { type: 'image', data: 'aW1n', mimeType: 'image/png' },
          { type: 'audio', data: 'c25k', mimeType: 'audio/wav' },
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside a' } },
          {
            type: 'resource',
            resource: { uri: 'file:///b.pdf', blob: 'cGRm', mimeType: 'application/pdf' },
          },
          { type: 'resource_link', uri: 'file:///c.md', name: 'c' },
        ],
      }),
    ).toEqual([
      { type: 'text', text: 'a picture:' },
      { type: 'image', mimeType: 'image/png', data: 'aW1n' },
      { type: 'audio', mimeType: 'audio/wav', data: 'c25k' },
      { type: 'text', text: 'inside a' },
      { type: 'file', mimeType: 'application/pdf', data: 'cGRm' },
      { type: 'text', text: 'resource file:///c.md' },
    ]);
  });

  it('structured content with no blocks is its JSON text; nothing at all is empty', () => {
    expect(toToolContent({ content: [], structuredContent: { total: 3 } })).toBe('{"total":3}');
    expect(toToolContent({ content: [] })).toBe('');
  });
});
