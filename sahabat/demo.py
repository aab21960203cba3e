"""`sahabat demo`: the dev stack, every service as its own process, demo data, where to look."""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from sahabat.processes import ServiceProcess, start_service, wait_ready
from shared.devstack.stack import DevStack
from shared.regions import validate_region

ALL_SERVICES = ("partners", "programs", "outreach", "reporting")


def available_services() -> list[str]:
    """The services that exist as runnable packages (`services/<name>/__main__.py`)."""
    import importlib.util

    found = []
    for name in ALL_SERVICES:
        try:
            if importlib.util.find_spec(f"services.{name}.__main__") is not None:
                found.append(name)
        except ModuleNotFoundError:
            continue
    return found


def say(message: str) -> None:
    print(f"• {message}", flush=True)


def run_demo(state: Path, *, region: str = "jatim", wait: bool = True) -> int:
    region = validate_region(region)
    stack = DevStack(state)
    running: list[ServiceProcess] = []
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (`cmd &`)
    try:
        info = stack.start(progress=say)
        for name in available_services():
            say(f"starting {name} ({region})")
            running.append(
                start_service(
                    name,
                    region=region,
                    nats_url=info.nats_url,
                    database_url=info.database_url,
                    log_dir=state / "logs",
                )
            )
        for service in running:
            wait_ready(service)
            say(f"{service.name} ready at {service.url}")
        urls = {service.name: service.url for service in running}
        (state / "stack.json").write_text(
            json.dumps(
                {
                    "nats_url": info.nats_url,
                    "database_url": info.database_url,
                    "region": region,
                    "services": urls,
                },
                indent=2,
            )
            + "\n"
        )
        from sahabat.demo_data import load_demo_data

        load_demo_data(urls, region=region, progress=say)
        _print_where_to_look(state, info.nats_url, urls, region)
        if not wait:
            return 0
        print("\nTekan Ctrl-C untuk berhenti (press Ctrl-C to stop).", flush=True)
        while True:
            for service in running:
                if service.process.poll() is not None:
                    say(f"{service.name} stopped unexpectedly; see {service.log_path}")
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        stopping = True
        return 0
    finally:
        if stopping:
            print("\nstopping…", flush=True)
        for service in reversed(running):
            service.stop()
        stack.stop()
        say("everything stopped")


def _print_where_to_look(state: Path, nats_url: str, urls: dict[str, str], region: str) -> None:
    partners = urls.get("partners", "")
    print(
        f"""
Sahabat is running for region {region}.

  partners API   {partners}/docs
  programs API   {urls.get("programs", "")}/docs
  NATS           {nats_url}   (events on pas.events.{region}.>)
  stack file     {state / "stack.json"}
  service logs   {state / "logs"}/

Try:
  curl -s '{partners}/partners?limit=5' | python3 -m json.tool
  curl -s '{urls.get("programs", "")}/programs?limit=5' | python3 -m json.tool
  .venv/bin/sahabat events --subject 'pas.events.{region}.>' --last 3
  .venv/bin/sahabat verify --region {region} --service partners
  (the README walks through registering a partner and moving a program through the stages)
""",
        flush=True,
    )
    sys.stdout.flush()
