"""Shared by the gdb tests (tests/boot/gdb_check.py,
tests/system/gdb_user.py): boot an image on QEMU virt halted with its
gdbstub on a free local port, run a batch gdb session against it, and
check the transcript for the expected strings."""
import socket
import subprocess


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_session(qemu, image, gdb, elf, commands, timeout):
    """Start QEMU halted (-S) with `image`, run `gdb -batch elf` with
    "target remote" followed by `commands`; return gdb's transcript. QEMU
    is always killed, and a gdb that outlives `timeout` is reported in the
    transcript."""
    port = free_port()
    proc = subprocess.Popen([qemu, "-machine", "virt", "-nographic", "-bios", "default",
                             "-monitor", "none", "-serial", "null", "-kernel", image,
                             "-gdb", "tcp:127.0.0.1:%d" % port, "-S"],
                            stdin=subprocess.DEVNULL)
    gdb_cmd = [gdb, "-q", "-nx", "-batch", elf,
               "-ex", "target remote 127.0.0.1:%d" % port]
    for c in commands:
        gdb_cmd += ["-ex", c]
    print(" ".join(gdb_cmd), flush=True)
    try:
        out = subprocess.run(gdb_cmd, capture_output=True, text=True, timeout=timeout)
        text = out.stdout + out.stderr
    except subprocess.TimeoutExpired as e:
        text = "gdb timed out\n" + str(e.stdout or "")
    finally:
        proc.kill()
        proc.wait()
    print(text)
    return text


def expect(name, text, want):
    """0 if every string of `want` is in the transcript, else 1."""
    missing = [w for w in want if w not in text]
    if missing:
        print("%s: FAIL, missing: %r" % (name, missing))
        return 1
    print("%s: PASS" % name)
    return 0
