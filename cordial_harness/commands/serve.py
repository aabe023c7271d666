"""``cordial-harness serve``: run the Cordial mock on a port until Ctrl-C."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=5555, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="SQLite file for the state (kept between runs; in memory when absent).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help="Accept only this API key (repeat for several); any non-empty key when absent.",
)
@click.option("--no-strict", is_flag=True, help="Journal contract violations instead of answering 422.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Threads per worker."
)
@click.option(
    "--max-body-bytes",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(1),
    help="Larger request bodies get 413.",
)
@click.option("--quiet", is_flag=True, help="No access log line per request.")
def serve(host, port, db_path, api_keys, no_strict, workers, threads, max_body_bytes, quiet) -> None:
    """Serve the Cordial mock: the ingest API under /api, REST API v2 under /v2, tools under /__admin.

    \b
    Example:
      cordial-harness serve --port 5555 --api-key KEY
      curl -H 'x-api-key: KEY' http://127.0.0.1:5555/api/checkAuth
      curl http://127.0.0.1:5555/__admin/state
    """
    from mock_cordial.server import ServerOptions
    from mock_cordial.server import serve as run_server

    if any(not key.strip() for key in api_keys):
        raise click.BadParameter("an API key cannot be empty", param_hint="--api-key")
    options = ServerOptions(
        host=host,
        port=port,
        db_path=db_path,
        api_keys=list(api_keys) or None,
        strict=not no_strict,
        workers=workers,
        threads=threads,
        max_body_bytes=max_body_bytes,
        access_log=not quiet,
    )
    run_server(options)
