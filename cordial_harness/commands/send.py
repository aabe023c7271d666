"""``cordial-harness send``: one event, printed as the request production sends and the answer."""

from __future__ import annotations

import sys
from typing import Any

import click
import httpx

from cordial_harness.console import console, json_option, print_json
from cordial_harness.files import UsageFault, read_json_file
from cordial_harness.replay.keys import HEADER, idempotency_key
from reference import js_json
from reference.delivery import DEFAULT_TIMEOUT, error_for_response
from reference.destination import Destination
from reference.errors import CordialHarnessError, InvalidSettingsError
from reference.requests import PreparedRequest
from reference.settings import Settings

#: Stands in for the API key in ``--dry-run`` when none is given (nothing is sent).
DRY_RUN_KEY = "<api-key>"
_SHOWN_ANSWER_HEADERS = ("content-type", "retry-after", "idempotent-replayed")


def _read_event(path: str) -> dict[str, Any]:
    """The event of EVENT.json: an event object, or ``{"id", "event"}`` around one."""
    if path == "-":
        text = sys.stdin.read()
        try:
            value = js_json.loads(text)
        except ValueError as exc:
            raise UsageFault(f"stdin: invalid JSON: {exc}") from None
    else:
        value = read_json_file(path)
    if isinstance(value, dict) and isinstance(value.get("event"), dict):
        value = value["event"]
    if not isinstance(value, dict):
        raise UsageFault(f"{path}: an event must be a JSON object, got {js_json.type_name(value)}")
    return value


def _request_with_key(request: PreparedRequest, event: dict[str, Any], action: str) -> PreparedRequest:
    """The request plus ``Idempotency-Key: <messageId>:<action>`` when the event has a messageId."""
    message_id = event.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        return request
    headers = {**request.headers, HEADER: idempotency_key(message_id, action)}
    return PreparedRequest(request.method, request.url, headers, request.json, action=request.action)


def _answer_json(response: httpx.Response) -> dict[str, Any]:
    try:
        body: Any = js_json.loads(response.content) if response.content else None
    except ValueError:
        body = response.text
    headers = {name: response.headers[name] for name in _SHOWN_ANSWER_HEADERS if name in response.headers}
    status, reason = response.status_code, response.reason_phrase
    return {"status": status, "reason": reason, "headers": headers, "body": body}


def _deliver(request: PreparedRequest, client: httpx.Client) -> dict[str, Any]:
    """Send once (no retries: this is for looking at one exchange)."""
    try:
        response = client.request(
            request.method, request.url, headers=request.headers, content=request.content
        )
    except httpx.TransportError as exc:
        raise UsageFault(f"cannot reach {request.url}: {str(exc) or type(exc).__name__}") from None
    except httpx.InvalidURL as exc:
        raise UsageFault(f"{request.url} is not a valid URL: {exc}") from None
    result: dict[str, Any] = {"response": _answer_json(response)}
    error = error_for_response(response)
    if error is not None:
        result["error"] = {"type": error.kind, "message": error.message}
    return result


def _print_result(result: dict[str, Any]) -> None:
    out = console()
    action = result["action"]
    request = result.get("request")
    if request is None:
        rejected = f"[bold]{action}[/bold]: [red]rejected[/red] ({result['error']['type']})"
        out.print(rejected, markup=True, soft_wrap=True)
        out.print(f"  {result['error']['message']}", markup=False, soft_wrap=True)
        return
    out.print(f"[bold]{action}[/bold]: {request['method']} {request['url']}", markup=True, soft_wrap=True)
    for name, value in request["headers"].items():
        out.print(f"  {name}: {value}", markup=False, soft_wrap=True)
    out.print(f"  {result['body']}", markup=False, soft_wrap=True)
    response = result.get("response")
    if response is None:
        out.print("  (dry run: not sent)", soft_wrap=True)
        return
    colour = "green" if response["status"] < 400 else "red"
    status = f"answer: [{colour}]{response['status']} {response['reason']}[/{colour}]"
    out.print(status, markup=True, soft_wrap=True)
    for name, value in response["headers"].items():
        out.print(f"  {name}: {value}", markup=False, soft_wrap=True)
    body = response["body"]
    if body is not None:
        out.print(f"  {body if isinstance(body, str) else js_json.dumps(body)}", markup=False, soft_wrap=True)
    if "error" in result:
        out.print(f"  {result['error']['type']}: {result['error']['message']}", markup=False, soft_wrap=True)


@click.command("send")
@click.argument("event_file", metavar="EVENT.json")
@click.option(
    "--action", help="Send to this action only (default: every action whose default subscription matches)."
)
@click.option(
    "--mapping", "mapping_file", metavar="MAPPING.json", help="Mapping for --action, on top of its defaults."
)
@click.option(
    "--no-default-mappings", is_flag=True, help="Use only --mapping, not the action's default mapping."
)
@click.option("--endpoint", help="Ingest endpoint URL (default: production's).")
@click.option("--api-key", envvar="CORDIAL_API_KEY", help="Cordial API key (or CORDIAL_API_KEY).")
@click.option("--segment-id-key", help="Contact attribute that stores the user id.")
@click.option("--dry-run", is_flag=True, help="Print the request without sending it.")
@click.option("--show-secrets", is_flag=True, help="Print the API key instead of ***.")
@click.option(
    "--timeout",
    default=DEFAULT_TIMEOUT,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for the answer.",
)
@json_option
def send(
    event_file,
    action,
    mapping_file,
    no_default_mappings,
    endpoint,
    api_key,
    segment_id_key,
    dry_run,
    show_secrets,
    timeout,
    as_json,
) -> None:
    """Send one event as production would, and print the request and the answer.

    EVENT.json holds one event (or {"id", "event"}); "-" reads stdin.  Without
    --action the event goes to every action whose default subscription
    matches it.  An event with a messageId is sent with the Idempotency-Key
    "<messageId>:<action>", as replay sends it.  Each request is sent once.

    Exit status: 0 when every request was answered below 400 (or built, with
    --dry-run), 1 when the event was rejected, matched nothing or an answer
    was an error, 2 for usage errors (bad file, unreachable endpoint).

    \b
    Example:
      cordial-harness send event.json --endpoint http://127.0.0.1:5555 --api-key KEY
      cordial-harness send event.json --action upsertContact --mapping mapping.json --dry-run
    """
    event = _read_event(event_file)
    mapping = read_json_file(mapping_file) if mapping_file else None
    if mapping is not None and action is None:
        raise UsageFault("--mapping needs --action: it is the mapping of one action")
    if mapping is not None and not isinstance(mapping, dict):
        raise UsageFault(f"{mapping_file}: a mapping must be a JSON object of field names to values")
    if not api_key and not dry_run:
        raise UsageFault("no API key: pass --api-key or set CORDIAL_API_KEY (or use --dry-run)")
    try:
        settings = Settings.from_json(
            {
                "apiKey": api_key or DRY_RUN_KEY,
                **({"endpoint": endpoint} if endpoint is not None else {}),
                **({"segmentIdKey": segment_id_key} if segment_id_key is not None else {}),
            }
        )
    except InvalidSettingsError as exc:
        raise UsageFault(exc.message) from None
    destination = Destination(settings)
    try:
        actions = [action] if action is not None else destination.route(event)
    except CordialHarnessError as exc:
        raise UsageFault(f"{event_file}: {exc.message}") from None
    results: list[dict[str, Any]] = []
    with httpx.Client(timeout=timeout) as client:
        for name in actions:
            result: dict[str, Any] = {"action": name}
            try:
                request = destination.build_request(
                    name, event, mapping, use_default_mappings=not no_default_mappings
                )
            except CordialHarnessError as exc:
                if action is not None and exc.kind in ("UnknownAction", "InvalidMapping"):
                    raise UsageFault(exc.message) from None
                result["error"] = exc.to_json()
                results.append(result)
                continue
            request = _request_with_key(request, event, name)
            result["request"] = request.to_json(show_secrets=show_secrets)
            result["body"] = request.content.decode("utf-8", "surrogatepass")
            if not dry_run:
                result.update(_deliver(request, client))
            results.append(result)
    ok = bool(results) and all("error" not in result for result in results)
    if as_json:
        print_json({"event": event, "dryRun": dry_run, "results": results})
    elif not results:
        message = "no action's default subscription matches this event: nothing was sent"
        console().print(message, soft_wrap=True)
    else:
        for result in results:
            _print_result(result)
    if not ok:
        sys.exit(1)
