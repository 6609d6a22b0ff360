#!/usr/bin/env node
// The fault-injecting MCP server over stdio (the `mcpmx-fault-server` bin). See
// createFaultServer for its tools and faultOptionsFromEnv for its environment.
// FAULT_IGNORE_EOF=1 keeps it running after its stdin closes, like a careless server that
// would be orphaned unless its client kills it.
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { FaultGate, GatedTransport } from './fault-gate.js';
import { createFaultServer, createFaultState, faultOptionsFromEnv } from './fault-tools.js';

const options = faultOptionsFromEnv();
const gate = new FaultGate();
const state = createFaultState(options);
// `malformed` writes straight to stdout, past the SDK's serializer.
const writeRaw = (text: string) => void process.stdout.write(`${text}\n`);
serveStdio(() => createFaultServer({ ...options, state, gate, writeRaw }), {
  transport: new GatedTransport(new StdioServerTransport(), gate),
});
if (process.env.FAULT_IGNORE_EOF === '1') setInterval(() => undefined, 1 << 30);
