import { createRedactor } from '@mcpmx/core';
import { parseServersConfig } from '@mcpmx/registry';

const text = '{ "mcpServers": { "api": { "url": "http://bot:${TOKEN}@api.example/v1" } } }';
const config = parseServersConfig(text, { env: { TOKEN: 'hunter2-token' } });

// #region readme
const redactor = createRedactor(config.secrets); // the values ${NAME} read, from @mcpmx/registry
redactor.redact('401 from http://bot:hunter2-token@api.example/v1?key=hunter2-token');
// '401 from http://api.example/v1?…'
// #endregion readme
