"""The replay engine: a large events file through routing, mapping and delivery, in constant memory.

One reader turns lines into requests and feeds a bounded queue; N workers,
each with one keep-alive connection (see :mod:`.wire`), deliver with retries.  Reading
may run at most ``window`` lines ahead of the checkpoint's watermark, so
memory does not grow with the file even when one request is retried for a
long time.  Every request carries an ``Idempotency-Key`` derived from the
event, so whatever a kill makes the resumed run send again is applied once.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cordial_harness.replay.checkpoint import (
    Checkpoint,
    CheckpointError,
    CompletionTracker,
    SourceIdentity,
    read_checkpoint,
    write_checkpoint,
)
from cordial_harness.replay.dead_letter import (
    FAILED,
    REJECTED,
    DeadLetterFile,
    malformed_entry,
    outcome_entry,
)
from cordial_harness.replay.keys import HEADER, event_base, idempotency_key
from cordial_harness.replay.plan import DeliveryPlan, Target
from cordial_harness.replay.rate import TokenBucket
from cordial_harness.replay.retry import RetryPolicy
from cordial_harness.replay.source import RawLine, is_blank, iter_lines, parse_line
from cordial_harness.replay.stats import DELIVERED, LineResult, RunStats
from cordial_harness.replay.wire import BadRequestTarget, RequestTemplate, WireSession
from reference.errors import CordialHarnessError, DeliveryError, InvalidCredentialsError, RetryableError
from reference.requests import PreparedRequest, action_request, check_auth_request

HEADER_BYTES = HEADER.encode("ascii")
INTERRUPTED = "interrupted"
INVALID_CREDENTIALS = "invalid-credentials"
BROKEN = "error"


class ReplaySetupError(CordialHarnessError):
    """The run cannot start: a file, the checkpoint or the endpoint is not usable."""

    kind = "ReplaySetupError"


class EndpointUnreachable(ReplaySetupError):
    """Nothing answers at the endpoint."""

    kind = "EndpointUnreachable"


class ReplayBroken(CordialHarnessError):
    """The run cannot go on (a file cannot be read or written); progress so far is kept."""

    kind = "ReplayBroken"


@dataclass(frozen=True)
class ReplayOptions:
    """Where to read and write, and how hard to push."""

    events_path: Path
    checkpoint_path: Path
    dead_letter_path: Path
    concurrency: int = 16
    rate: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 10.0
    resume: bool = False
    checkpoint_interval: float = 0.5
    #: How many lines reading may run ahead of the watermark (bounds memory and the checkpoint).
    window: int | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.rate is not None and not self.rate > 0:
            raise ValueError("rate must be a positive number")
        if not self.timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")

    @property
    def effective_window(self) -> int:
        return self.window or max(8192, 64 * self.concurrency)


@dataclass
class ReplayResult:
    """How the run ended, with the counters of the whole file so far (earlier runs included)."""

    stats: RunStats
    complete: bool
    stop_reason: str | None = None
    stop_error: CordialHarnessError | None = None
    elapsed: float = 0.0
    lines_this_run: int = 0
    resumed_at_line: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.lines_this_run / self.elapsed if self.elapsed > 0 else 0.0


class _Line:
    """One line in flight: its requests still pending, their results, its dead letters."""

    __slots__ = ("number", "line_id", "event", "pending", "results", "dead", "malformed")

    def __init__(self, number: int) -> None:
        self.number = number
        self.line_id: Any = None
        self.event: dict[str, Any] | None = None
        self.pending = 0
        self.results: list[LineResult] = []
        self.dead: list[dict[str, Any]] = []
        self.malformed = False


class _Request:
    """One request of a line, rendered once to the bytes every attempt sends."""

    __slots__ = ("line", "target", "template", "data", "key")

    def __init__(self, line: _Line, target: Target, template: RequestTemplate, data: bytes, key: str) -> None:
        self.line = line
        self.target = target
        self.template = template
        self.data = data
        self.key = key


class ReplayEngine:
    """Replays one events file with one delivery plan.

    Construction reads the checkpoint and checks the files without writing
    anything; :meth:`run` checks the endpoint, then delivers.
    """

    def __init__(
        self,
        plan: DeliveryPlan,
        options: ReplayOptions,
        *,
        configuration_sha256: str = "",
    ) -> None:
        self.plan = plan
        self.options = options
        self._configuration_sha256 = configuration_sha256
        self.stats = RunStats([(target.name, target.action) for target in plan.targets])
        self.notes: list[str] = []
        self.total_bytes = 0
        self.read_offset = 0
        self.started = time.monotonic()
        self.lines_this_run = 0
        self._stop_reason: str | None = None
        self._stop_error: CordialHarnessError | None = None
        self._stopped = asyncio.Event()
        self._reading_done = False
        self._dead: DeadLetterFile | None = None
        self._bucket = TokenBucket(options.rate) if options.rate else None
        self._window: asyncio.Semaphore | None = None
        self._templates = self._request_templates()
        self._prepare()

    def _request_templates(self) -> list[RequestTemplate]:
        """Each target's request line and constant headers, encoded once."""
        templates = []
        for target in self.plan.targets:
            probe = action_request(self.plan.settings, target.compiled.name, {})
            try:
                templates.append(RequestTemplate(probe.method, probe.url, probe.headers))
            except BadRequestTarget as exc:
                raise ReplaySetupError(str(exc)) from None
        return templates

    # -- setup -----------------------------------------------------------------

    def _prepare(self) -> None:
        path = self.options.events_path
        checkpoint_path = self.options.checkpoint_path
        try:
            existing = read_checkpoint(checkpoint_path)
        except CheckpointError as exc:
            if self.options.resume:
                message = f"{checkpoint_path}: cannot resume from this checkpoint: {exc}"
                raise ReplaySetupError(message) from None
            raise ReplaySetupError(
                f"{checkpoint_path}: {exc}; delete it, or pass another --checkpoint path"
            ) from None
        try:
            with open(path, "rb") as stream:
                self._identity = SourceIdentity.of(path, stream)
                stream.seek(0, 2)
                self.total_bytes = stream.tell()
                if existing is not None and self.options.resume:
                    then = SourceIdentity.of(path, stream, existing.source.head_length)
                    existing.check_source(then, self.total_bytes)
        except FileNotFoundError:
            raise ReplaySetupError(f"{path}: file not found") from None
        except IsADirectoryError:
            raise ReplaySetupError(f"{path}: is a directory, not an events file") from None
        except OSError as exc:
            raise ReplaySetupError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except CheckpointError as exc:
            raise ReplaySetupError(f"{checkpoint_path}: cannot resume from this checkpoint: {exc}") from None
        self._resumed: Checkpoint | None = None
        if existing is not None and not self.options.resume and not existing.complete:
            raise ReplaySetupError(
                f"{checkpoint_path} holds an interrupted run of {existing.source.path} "
                f"({existing.stats.get('lines', 0)} lines done); "
                "pass --resume to continue it, or delete the checkpoint to start over"
            )
        if self.options.resume:
            if existing is None:
                self.notes.append(f"no checkpoint at {checkpoint_path}: starting from the first line")
            else:
                self._resumed = existing
                self.stats.restore(existing.stats)
                if existing.configuration_sha256 != self._configuration_sha256:
                    self.notes.append(
                        "the configuration differs from the interrupted run's: the rest of the file "
                        "is delivered with the new one"
                    )
        start = self._resumed
        self._tracker = CompletionTracker(start.line, start.offset) if start else CompletionTracker()
        self._done_ahead: set[int] = set(start.completed_above) if start else set()
        self.read_offset = start.offset if start else 0

    @property
    def already_complete(self) -> bool:
        """Resuming a run that had finished, over a file that has not grown since: nothing to send."""
        resumed = self._resumed
        return resumed is not None and resumed.complete and self.total_bytes <= resumed.offset

    def stop(self, reason: str, error: CordialHarnessError | None = None) -> None:
        """Stop reading and sending; what is not complete stays for ``--resume``."""
        if self._stop_reason is None:
            self._stop_reason = reason
            self._stop_error = error
        self._stopped.set()

    # -- the run ---------------------------------------------------------------

    async def run(self) -> ReplayResult:
        """Deliver the file (or what is left of it).

        Raises ReplaySetupError or InvalidCredentialsError before anything is sent.
        """
        self.started = time.monotonic()
        resumed_at = self._resumed.line if self._resumed else None
        if self.already_complete:
            return self._result(True, resumed_at)
        loop = asyncio.get_running_loop()
        handled = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.stop, INTERRUPTED)
                handled.append(signum)
        try:
            await self._preflight()
            self._open_outputs()
            try:
                await self._deliver_all()
            finally:
                complete = self._reading_done and self._tracker.pending == 0 and self._stop_reason is None
                self._save(complete=complete)
                assert self._dead is not None
                self._dead.close()
        finally:
            for signum in handled:
                loop.remove_signal_handler(signum)
        return self._result(complete, resumed_at)

    def _result(self, complete: bool, resumed_at: int | None) -> ReplayResult:
        return ReplayResult(
            stats=self.stats,
            complete=complete,
            stop_reason=self._stop_reason,
            stop_error=self._stop_error,
            elapsed=time.monotonic() - self.started,
            lines_this_run=self.lines_this_run,
            resumed_at_line=resumed_at,
            notes=self.notes,
        )

    async def _preflight(self) -> None:
        """GET /api/checkAuth once: an unreachable endpoint or a refused key stops the run at once."""
        request = check_auth_request(self.plan.settings)
        try:
            template = RequestTemplate(request.method, request.url, request.headers)
        except BadRequestTarget as exc:
            raise ReplaySetupError(str(exc)) from None
        session = WireSession(self.options.timeout)
        try:
            answer, error = await session.send(template, template.render(b"", b""))
        finally:
            session.close()
        if answer is None and error is not None:
            endpoint = self.plan.settings.endpoint
            raise EndpointUnreachable(f"cannot reach the endpoint {endpoint}: {error.message}")
        if isinstance(error, InvalidCredentialsError):
            raise error

    def _open_outputs(self) -> None:
        resume_size = self._resumed.dead_letter_size if self._resumed else None
        try:
            self._dead = DeadLetterFile(self.options.dead_letter_path, resume_size=resume_size)
            self._save(complete=False)
        except OSError as exc:
            where = exc.filename or self.options.dead_letter_path
            raise ReplaySetupError(f"cannot write {where}: {exc.strerror or exc}") from None

    async def _deliver_all(self) -> None:
        concurrency = self.options.concurrency
        queue: asyncio.Queue[_Request] = asyncio.Queue(maxsize=2 * concurrency)
        self._window = asyncio.Semaphore(self.options.effective_window)
        workers = [asyncio.create_task(self._worker(queue)) for _ in range(concurrency)]
        finished = asyncio.create_task(self._read_then_drain(queue))
        stopped = asyncio.create_task(self._stopped.wait())
        saver = asyncio.create_task(self._save_periodically())
        try:
            await asyncio.wait({finished, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (finished, stopped, saver, *workers):
                task.cancel()
            await asyncio.gather(finished, stopped, saver, *workers, return_exceptions=True)
        if finished.done() and not finished.cancelled() and finished.exception() is not None:
            raise finished.exception()  # type: ignore[misc]

    async def _read_then_drain(self, queue: asyncio.Queue[_Request]) -> None:
        try:
            await self._read(queue)
        except OSError as exc:
            self.stop(BROKEN, ReplayBroken(f"cannot read {self.options.events_path}: {exc.strerror or exc}"))
            return
        self._reading_done = True
        await queue.join()

    async def _save_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.options.checkpoint_interval)
            try:
                self._save(complete=False)
            except OSError as exc:
                self.stop(BROKEN, ReplayBroken(f"cannot save progress: {exc}"))
                return

    def _save(self, *, complete: bool) -> None:
        assert self._dead is not None
        tracker = self._tracker
        checkpoint = Checkpoint(
            source=self._identity,
            configuration_sha256=self._configuration_sha256,
            line=tracker.line,
            offset=tracker.offset,
            completed_above={*tracker.completed_above(), *self._done_ahead},
            dead_letter_size=self._dead.sync(),
            stats=self.stats.to_json(),
            complete=complete,
        )
        write_checkpoint(self.options.checkpoint_path, checkpoint)

    # -- reading ---------------------------------------------------------------

    async def _read(self, queue: asyncio.Queue[_Request]) -> None:
        tracker, window, done_ahead = self._tracker, self._window, self._done_ahead
        assert window is not None
        since_yield = 0
        with open(self.options.events_path, "rb") as stream:
            for raw in iter_lines(stream, start_offset=tracker.offset, start_number=tracker.line + 1):
                self.read_offset = raw.end
                if is_blank(raw.data):
                    continue
                await window.acquire()
                tracker.dispatch(raw.number, raw.end)
                if raw.number in done_ahead:  # completed by the interrupted run
                    done_ahead.discard(raw.number)
                    self._release(tracker.complete(raw.number))
                    continue
                line, requests = self._prepare_line(raw)
                self.lines_this_run += 1
                if not requests:
                    self._complete(line)
                else:
                    for request in requests:
                        await queue.put(request)
                since_yield += 1
                if since_yield >= 64:  # let workers, signals and the checkpoint timer run
                    since_yield = 0
                    await asyncio.sleep(0)

    def _prepare_line(self, raw: RawLine) -> tuple[_Line, list[_Request]]:
        line = _Line(raw.number)
        parsed = parse_line(raw.data, raw.number)
        if parsed.error is not None:
            line.malformed = True
            line.dead.append(malformed_entry(raw.number, raw.data, parsed.error, parsed.line_id))
            return line, []
        event = parsed.event
        assert event is not None
        line.event, line.line_id = event, parsed.line_id
        requests: list[_Request] = []
        base: str | None = None
        for outcome in self.plan.outcomes(event):
            target = outcome.target
            if outcome.error is not None:
                line.results.append(LineResult(target.index, REJECTED))
                line.dead.append(
                    outcome_entry(
                        REJECTED, raw.number, event, line.line_id, target.name, target.action, outcome.error
                    )
                )
                continue
            request = outcome.request
            assert request is not None
            if base is None:
                base = event_base(event, raw.number, raw.data)
            key = idempotency_key(base, target.key_name)
            template = self._template(target, request)
            data = template.render(b"%s: %s\r\n" % (HEADER_BYTES, key.encode("ascii")), request.content)
            requests.append(_Request(line, target, template, data, key))
        line.pending = len(requests)
        return line, requests

    def _template(self, target: Target, request: PreparedRequest) -> RequestTemplate:
        template = self._templates[target.index]
        if template.url != request.url or template.method != request.method:  # settings are fixed: rare
            template = RequestTemplate(request.method, request.url, request.headers)
        return template

    # -- completion ------------------------------------------------------------

    def _release(self, moved: int) -> None:
        window = self._window
        assert window is not None
        for _ in range(moved):
            window.release()

    def _complete(self, line: _Line) -> None:
        """A line is done: write its dead letters, count it, let the watermark move."""
        if line.dead:
            assert self._dead is not None
            self._dead.write(line.dead)
        self.stats.add_line(line.results, malformed=line.malformed, dead_letters=len(line.dead))
        self._release(self._tracker.complete(line.number))

    def _finish(self, job: _Request, result: str, attempts: int, error: DeliveryError | None = None) -> None:
        line = job.line
        line.results.append(LineResult(job.target.index, result, attempts))
        if error is not None:
            assert line.event is not None
            line.dead.append(
                outcome_entry(
                    FAILED,
                    line.number,
                    line.event,
                    line.line_id,
                    job.target.name,
                    job.target.action,
                    error,
                    key=job.key,
                    attempts=attempts,
                )
            )
        line.pending -= 1
        if line.pending == 0:
            self._complete(line)

    # -- delivery --------------------------------------------------------------

    async def _worker(self, queue: asyncio.Queue[_Request]) -> None:
        session = WireSession(self.options.timeout)
        try:
            while True:
                job = await queue.get()
                try:
                    await self._deliver(session, job)
                except Exception as exc:  # a defect must cost one request, not hang the run
                    self._fail(job, exc)
                finally:
                    queue.task_done()
        finally:
            session.close()

    def _fail(self, job: _Request, exc: Exception) -> None:
        try:
            self._finish(job, FAILED, 0, DeliveryError(f"unexpected {type(exc).__name__}: {exc}"))
        except Exception as again:  # e.g. the dead-letter file cannot be written: stop, keep progress
            self.stop(BROKEN, ReplayBroken(f"replay cannot go on: {type(again).__name__}: {again}"))

    async def _deliver(self, session: WireSession, job: _Request) -> None:
        policy, bucket = self.options.retry, self._bucket
        attempts = 0
        while True:
            if bucket is not None:
                wait = bucket.reserve()
                if wait > 0:
                    await asyncio.sleep(wait)
            attempts += 1
            _, error = await session.send(job.template, job.data)
            if error is None:
                self._finish(job, DELIVERED, attempts)
                return
            if isinstance(error, InvalidCredentialsError):
                self.stop(INVALID_CREDENTIALS, error)
                return
            if isinstance(error, RetryableError) and policy.should_retry(attempts - 1):
                await asyncio.sleep(policy.delay(attempts, error.retry_after))
                continue
            self._finish(job, FAILED, attempts, error)
            return

