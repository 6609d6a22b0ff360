// A broken "MCP server": it reads stdin and never answers anything, initialize included.
process.stdin.resume();
process.stderr.write('silent-server: reading stdin, answering nothing\n');
