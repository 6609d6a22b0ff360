import { describe, expect, it } from 'vitest';
import { toModelOutput } from './tool-output.js';

describe('toModelOutput: an MCP tool result as the model reads it', () => {
  it('one text block is text', () => {
    expect(toModelOutput({ content: [{ type: 'text', text: 'hi' }] })).toEqual({
      type: 'text',
      value: 'hi',
    });
  });

  it('images, audio and embedded resources are content parts with their media types', () => {
    const output = toModelOutput({
      content: [
        { type: 'text', text: 'a picture:' },
        { type: 'image', data: 'aW1n', mimeType: 'image/png' },
        { type: 'audio', data: 'c25k', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside a' } },
        { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'Ymlu' } },
        { type: 'resource_link', uri: 'file:///c.md', name: 'c', description: 'the c file' },
      ],
    });
    expect(output).toEqual({
      type: 'content',
      value: [
        { type: 'text', text: 'a picture:' },
        { type: 'image-data', data: 'aW1n', mediaType: 'image/png' },
        { type: 'file-data', data: 'c25k', mediaType: 'audio/wav' },
        { type: 'text', text: 'inside a' },
        { type: 'file-data', data: 'Ymlu', mediaType: 'application/octet-stream' },
        { type: 'text', text: 'resource file:///c.md: the c file' },
      ],
    });
  });

  it('structured content with no content blocks is json', () => {
    expect(toModelOutput({ content: [], structuredContent: { total: 3 } })).toEqual({
      type: 'json',
      value: { total: 3 },
    });
    expect(toModelOutput({ content: [] })).toEqual({ type: 'text', value: '' });
  });

  it('an isError result is error-text, its blocks joined; an empty one still says it failed', () => {
    expect(
      toModelOutput({
        isError: true,
        content: [
          { type: 'text', text: 'quota exceeded' },
          { type: 'image', data: 'aW1n', mimeType: 'image/png' },
        ],
      }),
    ).toEqual({ type: 'error-text', value: 'quota exceeded\n[image image/png]' });
    expect(toModelOutput({ isError: true, content: [] })).toEqual({
      type: 'error-text',
      value: 'the tool reported an error',
    });
  });
});
