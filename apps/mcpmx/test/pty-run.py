# Runs a command on a real pseudo-terminal, as a user at a terminal would: waits for each
# prompt text in turn and types its answer and Enter, then prints, as JSON, everything the
# terminal showed, how many answers were typed and the exit status.
# Usage: python3 pty-run.py PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND...
import json, os, pty, select, sys, time

split = sys.argv.index('--')
pairs = sys.argv[1:split]
exchanges = [(pairs[i].encode(), pairs[i + 1].encode()) for i in range(0, len(pairs), 2)]
command = sys.argv[split + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown, typed, searched, deadline = b'', 0, 0, time.monotonic() + 60
while time.monotonic() < deadline:
    ready, _, _ = select.select([fd], [], [], 1)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    while typed < len(exchanges):
        prompt, answer = exchanges[typed]
        found = shown.find(prompt, searched)
        if found == -1:
            break
        searched = found + len(prompt)
        os.write(fd, answer + b'\r')
        typed += 1
_, status = os.waitpid(pid, 0)
print(json.dumps({'shown': shown.decode('utf-8', 'replace'), 'typed': typed,
                  'code': os.waitstatus_to_exitcode(status)}))
