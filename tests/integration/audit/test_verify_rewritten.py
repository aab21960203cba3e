"""`sahabat verify`: a rewritten, rehashed log is caught by its signed checkpoints and by NATS."""

from __future__ import annotations

import asyncpg
import pytest

from sahabat import verify_cmd
from sahabat.audit_keys import NatsTarget
from shared.devstack.stack import StackInfo
from tests.integration.audit.kit import CHECKPOINTS, STREAM, SignedLog, rewrite_and_rehash

pytestmark = pytest.mark.integration


def target(stack: StackInfo) -> NatsTarget:
    return NatsTarget(stack.nats_url, {}, STREAM, CHECKPOINTS)


async def run(
    signed: SignedLog,
    database_url: str,
    stack: StackInfo,
    capsys: pytest.CaptureFixture[str],
    keys: bool = True,
) -> tuple[int, str]:
    by_id = {k["key_id"]: k for k in signed.keys.public_keys()} if keys else None
    code = await verify_cmd._verify(
        database_url, target(stack), signed.kit.region, signed.kit.service, by_id
    )
    return code, capsys.readouterr().out


async def test_an_intact_log_agrees_everywhere(
    signed: SignedLog, database_url: str, stack: StackInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = await run(signed, database_url, stack, capsys)
    assert code == 0, out
    assert f"OK {signed.log} in PostgreSQL: 260 events" in out
    assert f"OK {signed.log} in NATS (PAS_EVENTS): 260 events" in out
    assert "3 signed checkpoints compared (last at position 260)" in out
    assert "3 checkpoint signatures valid" in out


async def test_a_rewritten_and_rehashed_log_is_reported_rewritten(
    signed: SignedLog,
    pool: asyncpg.Pool,
    database_url: str,
    stack: StackInfo,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await rewrite_and_rehash(pool, signed.log, 77, lambda data: data.replace("hal", "HAL"))
    check, _, _ = await verify_cmd.run_checks(
        database_url,
        target(stack),
        signed.kit.region,
        signed.kit.service,
        {k["key_id"]: k for k in signed.keys.public_keys()},
    )
    postgres, stream = check.chains
    assert postgres.report.ok and postgres.report.checked == 260  # the chain alone holds
    assert stream.report.ok
    first = signed.signer.published[0]
    rewritten = [p for p in check.problems if p.startswith("REWRITTEN")]
    assert len(rewritten) == 3  # every later checkpoint disagrees too
    assert rewritten[0].startswith(
        f"REWRITTEN {signed.log} in PostgreSQL: the chain is "
        "consistent but position 120 disagrees with checkpoint"
    )
    assert f"signed {first['signed_at']}, key {first['key_id']}" in rewritten[0]
    assert (
        f"DIFFERENT {signed.log}: PostgreSQL and NATS (PAS_EVENTS) differ from position 77 on"
        in check.problems
    )

    code, out = await run(signed, database_url, stack, capsys)
    assert code == 1 and "REWRITTEN" in out and out.rstrip().splitlines()[-1].startswith("BROKEN")


async def test_a_forged_checkpoint_signature_is_named(
    signed: SignedLog,
    database_url: str,
    stack: StackInfo,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = signed.keys.public_keys()[0] | {
        "public_key": signed.keys.public_keys()[0]["public_key"][::-1]
    }
    code = await verify_cmd._verify(
        database_url, target(stack), signed.kit.region, signed.kit.service, {other["key_id"]: other}
    )
    out = capsys.readouterr().out
    assert code == 1
    assert out.count(f"BAD SIGNATURE {signed.log}: checkpoint") == 3, out
