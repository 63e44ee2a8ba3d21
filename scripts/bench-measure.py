#!/usr/bin/env python3
"""Runs one command and reports, as JSON: wall seconds, peak RSS (KiB) of its largest process,
exit status, and (with --pty) the seconds until a marker first appears on the terminal.

Python is used because it exposes RUSAGE_CHILDREN and a pseudo-terminal without extra packages.
usage: bench-measure.py [--pty] [--marker TEXT] [--kill-after-marker] [--keys TEXT]
                        [--then TEXT KEYS]... -- CMD...
--keys is typed when --marker appears; each --then types KEYS once TEXT appears after that.
"""
import json, os, pty, resource, select, signal, subprocess, sys, time

args = sys.argv[1:]
use_pty = marker = keys = None
kill_after = False
then = []
while args and args[0] != '--':
    flag = args.pop(0)
    if flag == '--pty': use_pty = True
    elif flag == '--marker': marker = args.pop(0).encode()
    elif flag == '--kill-after-marker': kill_after = True
    elif flag == '--keys': keys = args.pop(0).encode().decode('unicode_escape').encode()
    elif flag == '--then': then.append((args.pop(0).encode(), args.pop(0).encode().decode('unicode_escape').encode()))
    else: sys.exit(f'unknown flag {flag}')
cmd = args[1:]

start = time.perf_counter()
first = None
if use_pty:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['COLUMNS'], os.environ['LINES'] = '120', '40'
        os.execvp(cmd[0], cmd)
    import fcntl, struct, termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    seen = b''
    status = None
    while True:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b''
            if not data:
                break
            seen = (seen + data)[-8192:]
            if marker and first is None:
                if marker in seen:
                    first = time.perf_counter() - start
                    seen = b''
                    if keys:
                        os.write(fd, keys)
                    if kill_after:
                        os.kill(pid, signal.SIGTERM)
            elif then and (first is not None or not marker) and then[0][0] in seen:
                os.write(fd, then.pop(0)[1])
                seen = b''
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            # drain what is left
            try:
                while select.select([fd], [], [], 0.05)[0] and os.read(fd, 65536):
                    pass
            except OSError:
                pass
            break
    if status is None:
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
else:
    code = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({'wall': wall, 'rssKiB': rss, 'code': code, 'marker': first}))
