# Runs a command on a real pseudo-terminal, as a user at a terminal would: waits for the prompt
# text (argv[1]), types the answer (argv[2]) and Enter, then prints, as JSON, everything the
# terminal showed and the exit status. Usage: python3 pty-run.py PROMPT ANSWER -- COMMAND...
import json, os, pty, select, sys, time

prompt, answer = sys.argv[1].encode(), sys.argv[2].encode()
command = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown, typed, deadline = b'', False, time.monotonic() + 60
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
    if not typed and prompt in shown:
        os.write(fd, answer + b'\r')
        typed = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'shown': shown.decode('utf-8', 'replace'), 'typed': typed,
                  'code': os.waitstatus_to_exitcode(status)}))
