// #region readme
import { createToolIndex } from '@mcpmx/tool-search';

const index = createToolIndex();
index.update([
  {
    name: 'filesystem__read_text_file',
    description: 'Read the complete contents of a file as text.',
    inputSchema: { type: 'object', properties: { path: { description: 'Path of the file' } } },
  },
  { name: 'memory__delete_entities', description: 'Delete entities from the knowledge graph.' },
  { name: 'slack__slack_post_message', description: 'Post a new message to a Slack channel.' },
]);

// Words of any form, synonyms, a typo: no model and no network.
const [best] = index.search('remove people from my knowledge graph', { limit: 5 });
console.log(best?.tool.name, best?.score); // memory__delete_entities …
// #endregion readme
