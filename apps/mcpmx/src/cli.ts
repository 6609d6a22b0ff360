#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { runDemo } from './demo.js';
import { serve } from './serve.js';

const defaultDemoConfig = fileURLToPath(new URL('../demo/mcp.json', import.meta.url));

const program = new Command()
  .name('mcpmx')
  .description('Use many MCP servers as one: discovery, pooling, routing, federation.')
  .showHelpAfterError();

program
  .command('demo')
  .description('connect to the servers in a config file and print their merged tool list')
  .option('-c, --config <path>', 'an mcpServers config file', defaultDemoConfig)
  .action(async (options: { config: string }) => {
    await runDemo({ config: options.config });
  });

program
  .command('serve')
  .description('serve every configured server as one MCP server over stdio')
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .action(async (options: { config: string }) => {
    await serve({ config: options.config });
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`mcpmx: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
