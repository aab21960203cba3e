"""`sahabat demo`: the dev stack, every service as its own process, demo data, where to look.

The multi-region shape: a hub and one NATS server per region (jatim and jabar
unless told otherwise), each region's services on its own server with its own
identity and data, reporting at the hub over all regions.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from sahabat import stackfile
from sahabat.processes import ServiceProcess, start_service, wait_ready
from shared.devstack.ports import remembered_port
from shared.devstack.stack import DevStack, StackInfo
from shared.devstack.topology import DEFAULT_REGIONS
from shared.regions import validate_region

REGIONAL_SERVICES = ("partners", "programs", "outreach")
HUB_SERVICES = ("reporting",)
ALL_SERVICES = (*REGIONAL_SERVICES, *HUB_SERVICES)
# the demo signs its logs' heads within 15 s, so a bundle exported right after loading is signed
DEMO_ENV = {"PAS_CHECKPOINT_EVERY_MINUTES": "0.25"}


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


def run_demo(state: Path, *, regions: Sequence[str] = DEFAULT_REGIONS, wait: bool = True) -> int:
    regions = [validate_region(region) for region in regions]
    stack = DevStack(state, regions)
    running: list[ServiceProcess] = []
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (`cmd &`)
    try:
        info = stack.start(progress=say)
        services, hub_services = _start_services(info, regions, state, running)
        document = stackfile.stack_document(info, regions, services, hub_services)
        stackfile.write(state, document)
        from sahabat.demo_data import load_demo_data

        for region in regions:
            say(f"demo data of {region}")
            load_demo_data(services[region], region=region, progress=say)
        _print_where_to_look(state, document)
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
        # The map points at nothing now: remove it, so that no script takes it for a live stack.
        (state / stackfile.FILE_NAME).unlink(missing_ok=True)
        say("everything stopped")


def _start_services(
    info: StackInfo, regions: list[str], state: Path, running: list[ServiceProcess]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Every region's services on its own server, reporting at the hub; wait until ready."""
    available = available_services()
    placed: list[tuple[str | None, ServiceProcess]] = []
    for region in regions:
        connection = stackfile.region_connection(info, region)
        for name in (n for n in REGIONAL_SERVICES if n in available):
            say(f"starting {name} ({region})")
            placed.append(
                (
                    region,
                    start_service(
                        name,
                        region=region,
                        nats_url=connection.nats_url,
                        database_url=info.database_url,
                        log_dir=state / "logs",
                        port=remembered_port(state, f"{name}-{region}"),
                        extra_env={**connection.env, **DEMO_ENV},
                    ),
                )
            )
    hub = stackfile.hub_connection(info)
    for name in (n for n in HUB_SERVICES if n in available):
        say(f"starting {name} (hub, all regions)")
        placed.append(
            (
                None,
                start_service(
                    name,
                    region=regions[0],
                    nats_url=hub.nats_url,
                    database_url=info.database_url,
                    log_dir=state / "logs",
                    port=remembered_port(state, f"{name}-hub"),
                    extra_env=hub.env,
                ),
            )
        )
    running.extend(service for _, service in placed)
    services: dict[str, dict[str, str]] = {region: {} for region in regions}
    hub_services: dict[str, str] = {}
    for region, service in placed:
        wait_ready(service)
        say(f"{service.name}{f' ({region})' if region else ''} ready at {service.url}")
        (services[region] if region else hub_services)[service.name] = service.url
    return services, hub_services


def _print_where_to_look(state: Path, document: dict[str, object]) -> None:
    regions: dict[str, dict[str, object]] = document["regions"]  # type: ignore[assignment]
    hub: dict[str, object] = document["hub"]  # type: ignore[assignment]
    lines = []
    for region, entry in regions.items():
        urls: dict[str, str] = entry["services"]  # type: ignore[assignment]
        lines.append(
            f"  {region:<8} NATS {entry['nats_url']}  (its own server, "
            f"events on pas.events.{region}.>)"
        )
        lines.extend(f"           {name:<9} {url}/docs" for name, url in urls.items())
    hub_urls: dict[str, str] = hub["services"]  # type: ignore[assignment]
    lines.append(f"  hub      NATS {hub['nats_url']}  (stream {hub['stream']}: every region)")
    lines.extend(f"           {name:<9} {url}/docs" for name, url in hub_urls.items())
    if "reporting" in hub_urls:
        lines.append(
            f"\n  DASHBOARD      {hub_urls['reporting']}/   (laporan evaluasi, every region; "
            f"JSON: {hub_urls['reporting']}/reports/evaluation)"
        )
    first = document["region"]
    services: dict[str, str] = document["services"]  # type: ignore[assignment]
    partners, programs = services.get("partners", ""), services.get("programs", "")
    outreach = services.get("outreach", "")
    print(
        f"""
Sahabat is running: regions {", ".join(regions)} and the hub.

{chr(10).join(lines)}
  stack file     {state / "stack.json"}   (URLs and each identity's NATS credentials)
  service logs   {state / "logs"}/

Try:
  curl -s '{partners}/partners?limit=5' | python3 -m json.tool
  curl -s '{programs}/programs?limit=5' | python3 -m json.tool
  curl -s '{outreach}/outreach?status=held&limit=5' | python3 -m json.tool
  curl -s '{outreach}/prospects?status=converted' | python3 -m json.tool
  .venv/bin/sahabat events --subject 'pas.events.>' --last 3      (the hub: all regions)
  .venv/bin/sahabat verify --region {first} --service partners
  (the README walks through registering a partner and moving a program through the stages)
""",
        flush=True,
    )
    sys.stdout.flush()
