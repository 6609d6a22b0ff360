import { parseServersConfig } from '@mcpmx/registry';

const text = '{ "mcpServers": { "a": { "command": "node" } }, "naming": { "policy": "none" } }';

// #region readme
import { z } from 'zod';

const settings = z.object({ naming: z.strictObject({ policy: z.enum(['prefix', 'none']) }).partial() });
const config = parseServersConfig(text, { env: process.env, source: 'mcp.json', settings });
config.settings.naming?.policy; // 'prefix' | 'none' | undefined
// #endregion readme
