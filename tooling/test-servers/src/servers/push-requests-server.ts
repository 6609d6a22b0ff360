// The push-requests test server (see ../push-requests-server.ts) over stdio.
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createPushRequestsServer } from '../push-requests-server.js';

await createPushRequestsServer().connect(new StdioServerTransport());
