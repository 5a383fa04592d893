"""Box: a kernel for learner code that cannot touch the course, the network or other submissions.

Used by `python -m ocr_lab grade`. Each submission gets a temporary folder and an
IPython kernel started in it. With bubblewrap (`bwrap`, Debian's `bubblewrap`) on
Linux, the kernel sees the whole file system read-only except that folder and a
private /tmp, has no network (its own network namespace), its own process-ID
namespace (so killing the box kills every process it started, detached or not),
and the repository's `data/` and `checkpoints/` beside its notebook, read-only,
so `../data/...` paths work. Without bubblewrap the kernel still runs in the
temporary folder, in its own process group, with the memory limit, but with the
instructor's rights and network: `isolation()` says so, and so does the grader.

The grader talks to the kernel over ZeroMQ sockets that are files in the
temporary folder (Jupyter's "ipc" transport), so no TCP port is opened, and caps
the size of every message it accepts.
"""
from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

REPO = Path(__file__).resolve().parent.parent.parent
READ_ONLY_BESIDE = ("data", "checkpoints")  # mounted read-only next to the notebook's folder, as in the repo
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
        subprocess.run([path, *_bwrap_base(), "--", "true"], check=True, capture_output=True, timeout=30)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as err:
        detail = getattr(err, "stderr", b"") or b""
        return f"bwrap is installed but cannot create a box here ({detail.decode(errors='replace').strip()[:120] or err})"
    return None


def isolation() -> str:
    """One line: how learner code is boxed on this machine."""
    problem = _bwrap_problem()
    if problem is None:
        return "isolated with bubblewrap: read-only system and course files, no network, own process namespace"
    return f"NOT isolated: {problem}; learner code runs with your rights and network access"


def boxed() -> bool:
    return _bwrap_problem() is None


def _bwrap_base() -> list[str]:
    return ["--die-with-parent", "--new-session", "--unshare-all", "--ro-bind", "/", "/",
            "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]


@dataclass
class Reply:
    """How one execution ended: "ok", "error" (it raised), "timeout" (interrupted), "stuck" or "dead"."""

    status: str
    ename: str = ""
    evalue: str = ""


class Box:
    """A temporary folder and a kernel started in it.

    `work` must be a new, empty folder that the caller made; the notebook's folder is
    `work/notebooks`, the kernel's home `work/home`.
    """

    def __init__(self, work: Path, memory_bytes: int, env: dict[str, str] | None = None):
        self.work = Path(work)
        self.cwd = self.work / "notebooks"
        self.memory_bytes = memory_bytes
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.client = None
        self.boxed = boxed()
        self.interrupt_grace = INTERRUPT_GRACE
        for sub in ("notebooks", "home", ".kernel"):
            (self.work / sub).mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ start and stop

    def _env(self) -> dict[str, str]:
        """A small environment: not the instructor's (no tokens, no proxies), the course's settings, a private home."""
        from ocr_lab.course.learner import NOTEBOOK_ENV

        home = self.work / "home"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": os.environ.get("LANG", "C.UTF-8"),
               "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".matplotlib"),
               "JUPYTER_RUNTIME_DIR": str(self.work / ".kernel"), "XDG_CACHE_HOME": str(home / ".cache"),
               "TMPDIR": "/tmp" if self.boxed else str(home),
               "PYTHONPATH": str(REPO),  # the kernel imports the same ocr_lab as the grader
               **NOTEBOOK_ENV, **self.extra_env}
        return env

    def _command(self, connection_file: Path) -> list[str]:
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file),
                  "--IPKernelApp.capture_fd_output=False"]
        if not self.boxed:
            return kernel
        cmd = ["bwrap", *_bwrap_base(), "--bind", str(self.work), str(self.work)]
        for name in READ_ONLY_BESIDE:
            if (REPO / name).is_dir():
                cmd += ["--ro-bind", str(REPO / name), str(self.work / name)]
        return [*cmd, "--chdir", str(self.cwd), "--", *kernel]

    def _limits(self) -> None:  # runs in the child before exec
        import resource

        # RLIMIT_DATA, not RLIMIT_AS: TensorFlow reserves far more address space than it uses.
        resource.setrlimit(resource.RLIMIT_DATA, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def start(self, timeout: float = 120) -> None:
        """Start the kernel and wait until it answers."""
        import zmq
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        connection_file = self.work / ".kernel" / f"kernel-{time.monotonic_ns()}.json"
        write_connection_file(str(connection_file), transport="ipc", ip=str(self.work / ".kernel" / "ipc"))
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
        self.client = BlockingKernelClient(connection_file=str(connection_file), context=context)
        self.client.load_connection_file()
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=True)
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

    def _log_tail(self) -> str:
        try:
            lines = (self.work / ".kernel" / "kernel.log").read_text(errors="replace").strip().splitlines()
            return lines[-1][:200] if lines else "no output"
        except OSError:
            return "no output"

    def stop(self) -> None:
        """Kill the kernel and everything it started: its process group (and, boxed, its whole PID namespace)."""
        if self.client is not None:
            try:
                self.client.stop_channels()
            except Exception:
                pass
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
        if reply is not None and reply.status != "dead":
            return Reply("timeout", reply.ename, reply.evalue)
        return Reply("dead" if reply is not None else "stuck")

    def _wait(self, msg_id: str, deadline: float) -> Reply | None:
        while time.monotonic() < deadline:
            if not self.alive():
                return Reply("dead")
            try:
                msg = self.client.get_shell_msg(timeout=min(1.0, max(0.05, deadline - time.monotonic())))
            except Empty:
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if content.get("status") == "ok":
                return Reply("ok")
            return Reply("error", str(content.get("ename", ""))[:100], str(content.get("evalue", ""))[:300])
        return None
