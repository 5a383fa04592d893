"""Box: a kernel for learner code, and exactly what it can and cannot reach.

Used by `python -m ocr_lab grade`. Each submission gets a temporary folder (`work`)
laid out like a clone of the course, and an IPython kernel started in it:

    work/notebooks/   the submission's own copy (read-write: the kernel's working folder)
    work/ocr_lab/     the package, stripped of its reference implementations (`stripped`), read-only
    work/checkpoints/ work/data/   the course's, read-only, so `../data/...` paths work
    work/home/        the kernel's HOME; work/.kernel/ its connection files (read-write)

With bubblewrap (`bwrap`, Debian's `bubblewrap`) on Linux the kernel runs in new
namespaces (mount, PID, network, IPC, UTS, user) on an empty root, into which only
these are mounted, read-only unless said:

- `/usr` (and the `/bin`, `/lib*`, `/sbin` links to it), a few files of `/etc` that
  programs need to start (`BOX_ETC`), a private `/dev` and `/proc`;
- the Python the kernel runs on and the venv it runs from (their real paths, and a
  link where the venv's path is a link);
- the folder above, `work` read-write with the read-only parts mounted over it;
- a private `/tmp` and `/dev/shm`, RAM-backed and each capped at the memory limit.

So the repository, its solution notebooks, the installed source of `ocr_lab`, other
submissions, the instructor's home, `/run` and `/var/run` (docker.sock, D-Bus) are
not there: no path leads to them, so no Unix socket outside can be connected to, and
with its own network namespace the kernel has no network. Its own PID namespace means
killing the box kills every process it started, detached or not. Capabilities are
dropped when the grader runs as root.

Memory: where the grader may create a memory cgroup (cgroup v2 with the memory
controller delegated, or a writable cgroup v1 memory hierarchy), the notebook as a
whole (every process it starts, and what it writes to its `/tmp` and `/dev/shm`) is
limited to `memory_bytes`, and the kernel is killed when it goes over. Otherwise
each process is limited (RLIMIT_DATA: its heap and private mappings) and `/tmp` and
`/dev/shm` by their size; several processes, or shared mappings, can then use more
in all. `isolation()` says which applies here.

What the box does not protect: CPU time within the time limits; the disk space of
`work`; the files under the mounted paths (the venv, the Python, `/usr`) are readable,
so a secret kept there is not; the kernel can read the exam's inputs of the check it
is answering (not the truth). Grading as root: the kernel's user inside the box is
root too, without capabilities, so it can read root-only files under the mounted
paths (with bubblewrap, nothing else is mounted). Without bubblewrap nothing of this
holds: the kernel runs with the instructor's rights and network in `work`, in its own
process group, with the per-process memory limit; `isolation()` says so, and the grader.

The grader talks to the kernel over ZeroMQ sockets that are files in `work/.kernel`
(Jupyter's "ipc" transport), so no TCP port is opened, and reads no message larger
than `MAX_MESSAGE_BYTES`: a reply over it is reported as such, not waited for.
"""
from __future__ import annotations

import functools
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from ocr_lab.course.answers import printable

REPO = Path(__file__).resolve().parent.parent.parent
READ_ONLY_BESIDE = ("data", "checkpoints")  # mounted read-only next to the notebook's folder, as in the repo
BOX_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "passwd", "group",
           "nsswitch.conf", "fonts", "mime.types")  # what programs read at start-up; not /etc as a whole
MAX_MESSAGE_BYTES = 4 << 20
INTERRUPT_GRACE = 30  # seconds a kernel gets to stop after an interrupt before it is killed


@functools.lru_cache(maxsize=1)
def _bwrap_problem() -> str | None:
    """None when bubblewrap can box a process here, else why not."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})"
    path = shutil.which("bwrap")
    if path is None:
        return "bubblewrap is not installed (Debian: `apt-get install bubblewrap`)"
    try:
        subprocess.run([path, *_namespaces(), *_system_mounts(), "--", "true"], check=True, capture_output=True,
                       timeout=30)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as err:
        detail = getattr(err, "stderr", b"") or b""
        return f"bwrap is installed but cannot create a box here ({detail.decode(errors='replace').strip()[:120] or err})"
    return None


def isolation() -> str:
    """One line: how learner code is boxed on this machine."""
    memory = ("memory limited for the whole notebook (cgroup)" if MemoryCgroup.available() else
              "memory limited per process only (no memory cgroup here)")
    problem = _bwrap_problem()
    if problem is None:
        return ("isolated with bubblewrap: only the venv, the Python, /usr and the course's read-only files mounted, "
                f"no network, own process namespace, {memory}")
    return f"NOT isolated: {problem}; learner code runs with your rights and network access"


def boxed() -> bool:
    return _bwrap_problem() is None


def _namespaces() -> list[str]:
    args = ["--die-with-parent", "--new-session", "--unshare-all"]
    if os.geteuid() == 0:
        args += ["--cap-drop", "ALL"]  # bwrap run by root keeps root's capabilities unless told
    return args


def _system_mounts() -> list[str]:
    """What every program needs: /usr and its links, a few /etc files, /dev, /proc."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in BOX_ETC:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return [*args, "--dev", "/dev", "--proc", "/proc"]


def _path_mounts(path: Path, seen: set[str]) -> list[str]:
    """Mount `path`'s real folder read-only at its real path, and a link at `path` where it is a link."""
    path = Path(os.path.abspath(path))
    real = path.resolve()
    args = []
    if str(real) not in seen:
        seen.add(str(real))
        args += ["--ro-bind", str(real), str(real)]
    if path != real and str(path) not in seen:
        seen.add(str(path))
        args += ["--symlink", str(real), str(path)]
    return args


@dataclass
class Reply:
    """How one execution ended: "ok", "error" (it raised), "timeout" (interrupted), "stuck", "dead" or
    "unread" (it ended, but its reply was larger than the grader reads)."""

    status: str
    ename: str = ""
    evalue: str = ""


class MemoryCgroup:
    """A memory cgroup for one box: every process in it, and the tmpfs pages they write, count against one limit."""

    def __init__(self, path: Path, version: int):
        self.path, self.version = path, version

    @staticmethod
    def _parent() -> tuple[Path, int] | None:
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return None
        for line in lines:
            _, controllers, rel = line.split(":", 2)
            if "memory" in controllers.split(","):  # cgroup v1
                mount = Path("/sys/fs/cgroup/memory")
                parent = mount / rel.lstrip("/")
                return (parent if parent.is_dir() else mount), 1
        for line in lines:
            if line.startswith("0::"):
                parent = Path("/sys/fs/cgroup") / line[3:].lstrip("/")
                controllers = parent / "cgroup.subtree_control"
                if controllers.exists() and "memory" in controllers.read_text().split():
                    return parent, 2
        return None

    @classmethod
    @functools.lru_cache(maxsize=1)
    def available(cls) -> bool:
        probe = cls.create(1 << 30)
        if probe is None:
            return False
        probe.remove()
        return True

    @classmethod
    def create(cls, limit_bytes: int) -> "MemoryCgroup | None":
        """A new cgroup limited to `limit_bytes`, or None where this process may not make one."""
        found = cls._parent()
        if found is None:
            return None
        parent, version = found
        path = parent / f"ocr_lab_box_{os.getpid()}_{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except OSError:
            return None
        group = cls(path, version)
        try:
            if version == 2:
                (path / "memory.max").write_text(str(limit_bytes))
                if (path / "memory.swap.max").exists():
                    (path / "memory.swap.max").write_text("0")
            else:
                (path / "memory.limit_in_bytes").write_text(str(limit_bytes))
                if (path / "memory.memsw.limit_in_bytes").exists():
                    (path / "memory.memsw.limit_in_bytes").write_text(str(limit_bytes))
        except OSError:
            group.remove()
            return None
        return group

    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    def out_of_memory(self) -> bool:
        """True once the kernel killed a process of this cgroup for going over the limit."""
        try:
            if self.version == 2:
                events = dict(line.split() for line in (self.path / "memory.events").read_text().splitlines())
                return int(events.get("oom_kill", 0)) > 0
            control = dict(line.split() for line in (self.path / "memory.oom_control").read_text().splitlines())
            if "oom_kill" in control:
                return int(control["oom_kill"]) > 0
            return int((self.path / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False

    def remove(self) -> None:
        for _ in range(50):  # the processes are killed; the cgroup empties a moment later
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.1)


class Box:
    """A temporary folder laid out as a course clone, and a kernel started in it (see the module docstring).

    `work` must be a new, empty folder that the caller made; `package` a folder holding the
    `ocr_lab` the kernel imports (`stripped.strip_package`), with `overlays` to mount over
    other installed files and `hidden` ones to hide.
    """

    def __init__(self, work: Path, memory_bytes: int, env: dict[str, str] | None = None, stripped=None):
        self.work = Path(work)
        self.cwd = self.work / "notebooks"
        self.memory_bytes = memory_bytes
        self.extra_env = env or {}
        self.stripped = stripped
        self.proc: subprocess.Popen | None = None
        self.client = None
        self.cgroup: MemoryCgroup | None = None
        self.boxed = boxed()
        self.interrupt_grace = INTERRUPT_GRACE
        for sub in ("notebooks", "home", ".kernel"):
            (self.work / sub).mkdir(parents=True, exist_ok=True)
        self._lay_out()

    def _lay_out(self) -> None:
        """work/ocr_lab, work/checkpoints, work/data: mount points in a box; copies and links without one."""
        if self.stripped is not None and not (self.work / "ocr_lab").exists():
            if self.boxed:
                (self.work / "ocr_lab").mkdir()
            else:
                shutil.copytree(self.stripped.root / "ocr_lab", self.work / "ocr_lab")
        for name in READ_ONLY_BESIDE:
            target = self.work / name
            if (REPO / name).is_dir() and not target.exists():
                if self.boxed:
                    target.mkdir()
                else:
                    target.symlink_to(REPO / name)  # not isolated anyway: the grader says so

    # ------------------------------------------------------------------ start and stop

    def _env(self) -> dict[str, str]:
        """A small environment: not the instructor's (no tokens, no proxies), the course's settings, a private home."""
        from ocr_lab.course.learner import NOTEBOOK_ENV

        home = self.work / "home"
        package_root = self.work if self.stripped is not None else REPO
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": os.environ.get("LANG", "C.UTF-8"),
               "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".matplotlib"),
               "JUPYTER_RUNTIME_DIR": str(self.work / ".kernel"), "XDG_CACHE_HOME": str(home / ".cache"),
               "TMPDIR": "/tmp" if self.boxed else str(home), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": str(package_root),  # the kernel's ocr_lab: the stripped copy in work/ocr_lab
               **NOTEBOOK_ENV, **self.extra_env}
        return env

    def mounts(self) -> list[str]:
        """bubblewrap's arguments: the namespaces and every path the kernel sees (the module docstring)."""
        size = str(max(self.memory_bytes, 16 << 20))
        args = [*_namespaces(), *_system_mounts(),
                "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm"]
        seen: set[str] = set()
        for path in {Path(sys.base_prefix), Path(sys.prefix)}:  # the Python, and the venv (maybe under /tmp)
            args += _path_mounts(path, seen)
        args += _path_mounts(Path(sys.executable).parent, seen) if not Path(sys.executable).is_relative_to(
            sys.prefix) else []
        args += ["--bind", str(self.work), str(self.work)]
        if self.stripped is not None:
            args += ["--ro-bind", str(self.stripped.root / "ocr_lab"), str(self.work / "ocr_lab")]
            for copy, original in self.stripped.overlays.items():
                args += ["--ro-bind", str(copy), str(original)]
            for hidden in self.stripped.hidden:
                args += ["--ro-bind", "/dev/null", str(hidden)]
        for name in READ_ONLY_BESIDE:
            if (REPO / name).is_dir():
                args += ["--ro-bind", str((REPO / name).resolve()), str(self.work / name)]
        return [*args, "--chdir", str(self.cwd)]

    def _command(self, connection_file: Path) -> list[str]:
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file),
                  "--IPKernelApp.capture_fd_output=False"]
        if not self.boxed:
            return kernel
        return ["bwrap", *self.mounts(), "--", *kernel]

    def _limits(self) -> None:  # runs in the child before exec
        import resource

        if self.cgroup is not None:
            with open(self.cgroup.procs_file(), "w") as f:
                f.write(str(os.getpid()))  # this process and all it starts: the notebook as a whole
        # RLIMIT_DATA, not RLIMIT_AS: TensorFlow reserves far more address space than it uses.
        resource.setrlimit(resource.RLIMIT_DATA, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def start(self, timeout: float = 120) -> None:
        """Start the kernel and wait until it answers."""
        import zmq
        from jupyter_client.connect import write_connection_file

        connection_file = self.work / ".kernel" / f"kernel-{time.monotonic_ns()}.json"
        write_connection_file(str(connection_file), transport="ipc", ip=str(self.work / ".kernel" / "ipc"))
        # a little over the limit: the kernel process is killed before the tmpfs pages it wrote are
        self.cgroup = MemoryCgroup.create(self.memory_bytes + (64 << 20))
        log = open(self.work / ".kernel" / "kernel.log", "ab")
        try:
            self.proc = subprocess.Popen(self._command(connection_file), cwd=self.cwd, env=self._env(),
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True, preexec_fn=self._limits)
        finally:
            log.close()
        context = zmq.Context()
        context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)  # a kernel cannot flood the grader's memory
        self.context = context
        self.connection_file = connection_file
        self._connect()
        deadline = time.monotonic() + timeout
        msg_id = self.client.kernel_info()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the kernel exited at start-up (code {self.proc.returncode}): "
                                   f"{self._log_tail()}")
            try:
                msg = self.client.get_shell_msg(timeout=1)
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return
        raise RuntimeError(f"the kernel did not answer within {timeout:g} s")

    def _connect(self) -> None:
        """A client on the kernel's shell and control channels, and a monitor that sees the shell
        connection drop: ZeroMQ drops it, with the message, when a reply is over MAX_MESSAGE_BYTES."""
        import zmq
        from jupyter_client.blocking import BlockingKernelClient

        self.client = BlockingKernelClient(connection_file=str(self.connection_file), context=self.context)
        self.client.load_connection_file()
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=True)
        self.monitor = self.client.shell_channel.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)

    def _dropped(self) -> bool:
        """True when the shell connection dropped since the last look (then a fresh client is connected)."""
        import zmq

        dropped = False
        while self.monitor.poll(0):
            self.monitor.recv_multipart(zmq.NOBLOCK)  # only EVENT_DISCONNECTED is asked for
            dropped = True
        if dropped:
            self._disconnect()
            self._connect()
        return dropped

    def _disconnect(self) -> None:
        try:
            self.client.shell_channel.socket.disable_monitor()
            self.monitor.close(linger=0)
        except Exception:
            pass
        try:
            self.client.stop_channels()
        except Exception:
            pass

    def _log_tail(self) -> str:
        try:
            lines = (self.work / ".kernel" / "kernel.log").read_text(errors="replace").strip().splitlines()
            return lines[-1][:200] if lines else "no output"
        except OSError:
            return "no output"

    def out_of_memory(self) -> bool:
        """True when the notebook went over its memory limit and the kernel killed one of its processes."""
        return self.cgroup is not None and self.cgroup.out_of_memory()

    def stop(self) -> None:
        """Kill the kernel and everything it started: its process group (and, boxed, its whole PID namespace)."""
        if self.client is not None:
            self._disconnect()
            self.client = None
            self.context.destroy(linger=0)
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # ------------------------------------------------------------------ running code

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.client is not None

    def run(self, code: str, timeout: float) -> Reply:
        """Execute `code`; after `timeout` seconds interrupt it, and give up on the kernel if that does not work."""
        if not self.alive():
            return Reply("dead")
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False, stop_on_error=False)
        reply = self._wait(msg_id, time.monotonic() + timeout)
        if reply is not None:
            return reply
        if not self.alive():
            return Reply("dead")
        self.client.control_channel.send(self.client.session.msg("interrupt_request", {}))
        reply = self._wait(msg_id, time.monotonic() + self.interrupt_grace)
        if reply is not None and reply.status not in ("dead", "unread"):
            return Reply("timeout", reply.ename, reply.evalue)
        if reply is not None and reply.status == "unread":
            return reply
        return Reply("dead" if reply is not None else "stuck")

    def _wait(self, msg_id: str, deadline: float) -> Reply | None:
        while time.monotonic() < deadline:
            if not self.alive():
                return Reply("dead")
            if self._dropped():  # the kernel is alive, and its reply was too large to read
                return Reply("unread", "", f"its reply was larger than the {MAX_MESSAGE_BYTES >> 20} MB the grader "
                                           "reads (a very large error message?), so it was not read")
            try:
                msg = self.client.get_shell_msg(timeout=min(0.5, max(0.05, deadline - time.monotonic())))
            except Empty:
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if content.get("status") == "ok":
                return Reply("ok")
            return Reply("error", printable(content.get("ename", ""))[:100], printable(content.get("evalue", ""))[:300])
        return None
