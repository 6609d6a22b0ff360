import { InvalidOptionError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createToolIndex, type SearchableTool } from './tool-index.js';

const tool = (
  name: string,
  description: string,
  properties: Record<string, { description?: string }> = {},
): SearchableTool => ({ name, description, inputSchema: { type: 'object', properties } });

const TOOLS = [
  tool('filesystem__read_text_file', 'Read the complete contents of a file as text.', {
    path: { description: 'Path of the file' },
  }),
  tool('filesystem__list_directory', 'Get a detailed listing of all files and directories.', {
    path: {},
  }),
  tool('memory__create_entities', 'Create multiple new entities in the knowledge graph.'),
  tool('memory__delete_entities', 'Delete multiple entities and their relations.'),
  tool('everything__echo', 'Echoes back the input.', { message: { description: 'Text to echo' } }),
  tool('weather__get_forecast', 'Forecast for a city.', {
    city: { description: 'City name' },
    days: { description: 'How many days ahead' },
  }),
];
const names = (hits: { tool: SearchableTool }[]) => hits.map((hit) => hit.tool.name);

describe('createToolIndex', () => {
  it('ranks by words in the name, title, description and parameters', () => {
    const index = createToolIndex();
    index.update(TOOLS);
    expect(index.size).toBe(6);
    expect(names(index.search('read a file'))[0]).toBe('filesystem__read_text_file');
    expect(names(index.search('show what is in a directory'))[0]).toBe(
      'filesystem__list_directory',
    );
    expect(names(index.search('remove entities from the graph'))[0]).toBe(
      'memory__delete_entities',
    );
    // A parameter's description is searched too.
    expect(names(index.search('how many days ahead'))[0]).toBe('weather__get_forecast');
  });

  it('a match in the name counts more than the same word in a description', () => {
    const index = createToolIndex();
    index.update([
      tool('notes__archive', 'Moves a note to the echo chamber.'),
      tool('everything__echo', 'Returns its input.'),
    ]);
    expect(names(index.search('echo'))).toEqual(['everything__echo', 'notes__archive']);
  });

  it('tolerates a typo and a word cut short', () => {
    const index = createToolIndex();
    index.update(TOOLS);
    expect(names(index.search('forcast'))[0]).toBe('weather__get_forecast');
    expect(names(index.search('direct'))[0]).toBe('filesystem__list_directory');
    const strict = createToolIndex({ fuzzy: 0 });
    strict.update(TOOLS);
    expect(names(strict.search('forcast'))).toEqual([]);
  });

  it('prefixes, typos and synonyms match in names and titles; long text matches exact words', () => {
    const index = createToolIndex();
    index.update([
      tool('weather__get_forecast', 'Forecast for a city.'),
      tool('calendar__add_event', 'Adds an event.', {
        expected: { description: 'Forecasted attendance' },
      }),
      tool('cache__purge', 'Empties the cache.'),
      tool('files__archive', 'Moves old files away; nothing is deleted.'),
    ]);
    // A typo and a word cut short find the name, not a longer word in a parameter.
    expect(names(index.search('forcast'))).toEqual(['weather__get_forecast']);
    expect(names(index.search('forec'))).toEqual(['weather__get_forecast']);
    // The parameter's own words still match, exactly.
    expect(names(index.search('attendance'))).toEqual(['calendar__add_event']);
    // 'erase' searches 'purge' and 'delete' too, in names: not the description saying "deleted".
    expect(names(index.search('erase'))).toEqual(['cache__purge']);
    // The description's own word still matches, exactly.
    expect(names(index.search('deleted'))).toContain('files__archive');
  });

  it('limit and filter', () => {
    const index = createToolIndex();
    index.update(TOOLS);
    expect(index.search('entities', { limit: 1 })).toHaveLength(1);
    const onlyMemory = index.search('entities', {
      filter: (t) => t.name.startsWith('memory__') && t.name.includes('create'),
    });
    expect(names(onlyMemory)).toEqual(['memory__create_entities']);
    expect(index.search('zzzq qqxv')).toEqual([]);
    expect(index.search('')).toEqual([]);
  });

  it('update holds exactly the tools given: added, changed and removed ones', () => {
    const index = createToolIndex();
    index.update(TOOLS);
    const echo = tool('everything__echo', 'Repeats a message, like a parrot.');
    index.update([TOOLS[0], TOOLS[1], TOOLS[5], echo] as SearchableTool[]);
    expect(index.size).toBe(4);
    expect(names(index.search('entities'))).toEqual([]);
    expect(names(index.search('parrot'))).toEqual(['everything__echo']);
    expect(names(index.search('echoes back'))).toEqual(['everything__echo']); // the name still
    // An unchanged definition in a new object: the hit is the new object.
    const fresh = { ...TOOLS[0] } as SearchableTool;
    index.update([fresh]);
    expect(index.search('read file')[0]?.tool).toBe(fresh);
    index.update([]);
    expect(index.size).toBe(0);
    expect(index.search('file')).toEqual([]);
  });

  it('bad input is named: duplicate or missing names, a bad limit, a non-string query', () => {
    const index = createToolIndex();
    const error = (run: () => unknown) => {
      try {
        run();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    };
    const duplicate = error(() => index.update([TOOLS[0], TOOLS[0]] as SearchableTool[]));
    expect(InvalidOptionError.isInstance(duplicate)).toBe(true);
    expect((duplicate as Error).message).toContain('unique tool names');
    expect(index.size).toBe(0); // nothing half-applied
    expect((error(() => index.update([{} as SearchableTool])) as Error).message).toContain(
      'string "name"',
    );
    expect((error(() => index.search('x', { limit: 0 })) as Error).message).toContain('limit');
    expect((error(() => index.search(7 as unknown as string)) as Error).message).toContain('query');
    expect((error(() => createToolIndex({ fuzzy: 2 })) as Error).message).toContain('fuzzy');
  });

  it('a huge description or query is cut, not a cost per character', () => {
    const index = createToolIndex();
    index.update([tool('big__tool', `${'word '.repeat(200_000)}needle`)]);
    expect(index.search('word')).toHaveLength(1);
    expect(index.search('needle')).toEqual([]); // past the indexed 1 KiB
    expect(index.search('word '.repeat(100_000))).toHaveLength(1);
  });
});
