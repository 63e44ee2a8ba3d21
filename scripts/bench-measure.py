#!/usr/bin/env python3
"""Runs one command and prints, as JSON: wall seconds, peak RSS (KiB) of its largest process (itself or
any descendant it waited for), exit status, and the seconds at which each --wait text appeared.

Python, because it exposes RUSAGE_CHILDREN and a pseudo-terminal without extra packages.

usage: bench-measure.py [--stdout devnull|pipe] [--pty COLSxROWS]
                        [--wait TEXT [--pause S] [--send KEYS] [--resend S]]...
                        [--kill-after-last] [--timeout SECONDS] [--dump] -- CMD...

--stdout pipe   the command's stdout is a pipe this script reads and throws away as fast as it can.
--pty           the command runs in a pseudo-terminal of that size; its screen output is read.
--wait TEXT     waits (in order) until TEXT appears on the terminal, with escape sequences removed, in
                output that arrived after the previous wait; records the time, then types --send's KEYS
                (Python escapes: \\r, \\x1b) --pause seconds later, reading the terminal meanwhile.
                A wait's time counts from when the previous keys were typed. --resend types them again
                every S seconds until the next wait matches (a key typed before the program reads the
                terminal can be lost).
--kill-after-last  sends SIGTERM to the command's process group once the last wait has matched.
--timeout       kills the command's process group after this many seconds (default 120): a bench never hangs.
"""
import json, os, re, resource, select, signal, subprocess, sys, time

ANSI = re.compile(rb'\x1b(\[[0-9;?<>=!]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[@-_])')

args = sys.argv[1:]
stdout_mode, pty_size, waits, kill_after, timeout, dump = 'devnull', None, [], False, 120.0, False
while args and args[0] != '--':
    flag = args.pop(0)
    if flag == '--stdout': stdout_mode = args.pop(0)
    elif flag == '--pty': pty_size = tuple(int(n) for n in args.pop(0).split('x'))
    elif flag == '--wait': waits.append([args.pop(0).encode(), b'', 0.0, None])
    elif flag == '--pause': waits[-1][2] = float(args.pop(0))
    elif flag == '--resend': waits[-1][3] = float(args.pop(0))
    elif flag == '--send': waits[-1][1] = args.pop(0).encode().decode('unicode_escape').encode('latin-1')
    elif flag == '--kill-after-last': kill_after = True
    elif flag == '--timeout': timeout = float(args.pop(0))
    elif flag == '--dump': dump = True
    else: sys.exit(f'unknown flag {flag}')
cmd = args[1:]

start = time.perf_counter()
deadline = start + timeout
marks = []
timed_out = False
screen = b''  # the end of what the terminal showed, for a report when a wait never matched


def kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


if pty_size:
    import fcntl, pty, struct, termios
    pid, fd = pty.fork()
    if pid == 0:
        cols, rows = pty_size
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        os.environ['COLUMNS'], os.environ['LINES'] = str(cols), str(rows)
        os.execvp(cmd[0], cmd)
    seen = b''
    since = start
    status = None
    pending = list(waits)
    send_at, keys, resend, resend_at = None, b'', None, None
    while status is None:
        now = time.perf_counter()
        if resend_at is not None and now >= resend_at:
            os.write(fd, keys)
            resend_at = now + resend
        if send_at is not None and now >= send_at:
            os.write(fd, keys)
            send_at, seen, since = None, b'', time.perf_counter()
            resend_at = since + resend if resend else None
            if not pending and kill_after:
                kill_group(pid, signal.SIGTERM)
        if now > deadline:
            timed_out = True
            kill_group(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                data = b''
            if data:
                seen = (seen + data)[-(1 << 16):]
                screen = (screen + data)[-4096:]
                if dump:
                    sys.stderr.buffer.write(ANSI.sub(b'', data))
                if send_at is None and pending and pending[0][0] in ANSI.sub(b'', seen):
                    text, keys, pause, resend = pending.pop(0)
                    resend_at = None
                    at = time.perf_counter()
                    marks.append(at - since)
                    seen, since = b'', at
                    if keys:
                        send_at = at + pause
                    elif not pending and kill_after:
                        kill_group(pid, signal.SIGTERM)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
    code = os.waitstatus_to_exitcode(status)
else:
    out = subprocess.PIPE if stdout_mode == 'pipe' else subprocess.DEVNULL
    # stderr is dropped: a baseline such as markdownlint-cli2 reports every finding there.
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL, start_new_session=True)
    if out == subprocess.PIPE:
        reader = child.stdout.fileno()
        while True:
            if time.perf_counter() > deadline:
                timed_out = True
                kill_group(child.pid, signal.SIGKILL)
                break
            r, _, _ = select.select([reader], [], [], 0.5)
            if r and not os.read(reader, 1 << 20):
                break
    try:
        code = child.wait(timeout=max(0.1, deadline - time.perf_counter()))
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(child.pid, signal.SIGKILL)
        code = child.wait()
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
tail = ANSI.sub(b' ', screen).decode('utf-8', 'replace').split()[-60:] if timed_out else []
print(json.dumps({'wall': wall, 'rssKiB': rss, 'code': code, 'marks': marks, 'timedOut': timed_out, 'screen': ' '.join(tail)}))
