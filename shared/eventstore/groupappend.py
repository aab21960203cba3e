"""The group append: the appends waiting at one moment, committed in one transaction.

One head lock, one head update, one NOTIFY, one COMMIT (one fsync) for the
group. Each append is still judged on its own, in queue order, and only its
caller gets its error; an append that fails takes no position (the next one
continues the chain where the last successful one ended):

* together (first try): the versions of all the group's streams, the holders
  of all its claims and whether its idempotency keys are used are read in one
  statement; `recording.judge` checks each append against them and against what
  the earlier appends of the group took; the accepted ones are written by one
  INSERT of all events (with the head and the NOTIFY), one of the new claims,
  one of the idempotency records, and each inline projection applied to all
  their events in position order.
* one by one (only if a shared statement of that try fails: an inline
  projection raised, PostgreSQL refused a row, another log took a claim
  meanwhile): the transaction is rolled back and redone with each append's
  statements in a savepoint of its own, rolled back alone if it fails.
* An append alone in the queue is simply a transaction of its own (no
  savepoint, no waiting for company).

Only what fails outside an append's own statements (the head lock, COMMIT,
the connection) fails every append of the group. An append with two faults
may report another of them in a group than alone (together, replays and held
claims are found before the projections run).
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from shared.envelope import RecordedEvent
from shared.eventstore import statements as sql
from shared.eventstore.groups import Group, GroupStats
from shared.eventstore.recording import AppendRequest, Facts, Head, Recorder, judge
from shared.eventstore.savepoint import Savepoint
from shared.eventstore.types import ConcurrencyError
from shared.readmodel import Delivered, Projection

Outcomes = list[list[RecordedEvent] | Exception]


class _Redo(Exception):
    """A statement shared by the group's appends failed: redo the group append by append."""


class GroupAppend:
    """Commits groups of appends to the log `log` (the commit of the store's GroupWriter)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        log: str,
        recorder: Recorder,
        inline: Sequence[Projection],
        stats: GroupStats,
    ) -> None:
        self.pool = pool
        self.log = log
        self.recorder = recorder
        self.inline = inline
        self.stats = stats

    async def commit(self, group: Group[AppendRequest]) -> Outcomes:
        """One transaction for `group`: one outcome per request, in order."""
        try:
            try:
                return await self._transaction(group, one_by_one=False)
            except _Redo:
                self.stats.redone += 1
                _forget_answers(group)
                return await self._transaction(group, one_by_one=True)
        except BaseException:
            _forget_answers(group)
            raise

    async def _transaction(self, group: Group[AppendRequest], *, one_by_one: bool) -> Outcomes:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(sql.LOCK_HEAD, self.log)
            if row is None:
                raise RuntimeError(f"log {self.log} has no head row: call setup() first")
            if not one_by_one:  # the first attempt: whoever queued while we waited joins
                group.take_more()
            requests = group.requests
            # What the appends are checked against is read in statements of their own,
            # after the lock: in READ COMMITTED a new statement sees what the writer we
            # waited for committed. (As a subquery of the locking SELECT it ran on the
            # snapshot taken *before* the wait, so a loser read the old version, passed the
            # check and died on the unique index: a 500, not a 409.)
            head: Head = (row[0], row[1])
            if len(requests) == 1 or one_by_one:
                return await self._one_by_one(conn, requests, head)
            return await self._together(conn, requests, head)

    async def _together(
        self, conn: asyncpg.Connection, requests: list[AppendRequest], head: Head
    ) -> Outcomes:
        """The group in a few shared statements; should one fail, `_Redo`."""
        claims = list({(c.scope, c.key): c for r in requests for c in r.claims}.values())
        keys = list({r.idempotency.key for r in requests if r.idempotency is not None})
        streams = list({r.key: r.stream_id for r in requests}.items())
        versions, holders, used = await sql.read_facts(conn, [s for _, s in streams], claims, keys)
        facts = Facts(
            versions={key: v for (key, _), v in zip(streams, versions, strict=True)},
            holders={
                (c.scope, c.key): h for c, h in zip(claims, holders, strict=True) if h is not None
            },
            used={k for k, u in zip(keys, used, strict=True) if u},
        )
        judged = judge(requests, facts, head, self.recorder)
        if not judged.accepted:
            return judged.outcomes
        try:
            events = [e for a in judged.accepted for e in a.recorded]
            await sql.insert_events(conn, self.log, events, judged.head)
            releases = [
                (c, a.request.stream_id) for a in judged.accepted for c in a.request.releases
            ]
            await sql.release_claims(conn, releases)  # before the claims: one may take them
            new_claims = [(c, a.request.stream_id) for a in judged.accepted for c in a.new_claims]
            if len(await sql.take_claims(conn, new_claims)) != len(new_claims):
                raise RuntimeError("a claim was taken meanwhile")
            answers = [
                (a.request.idempotency.key, a.request.idempotency.request_hash)
                + (a.answer[0], a.answer_json)
                for a in judged.accepted
                if a.request.idempotency is not None and a.answer is not None
            ]
            if len(await sql.remember(conn, answers)) != len(answers):
                raise RuntimeError("an idempotency key was used meanwhile")
            await sql.keep_snapshots(
                conn,
                [
                    (a.request.stream_id, a.request.snapshot)
                    for a in judged.accepted
                    if a.request.snapshot is not None
                ],
            )
            if self.inline:
                batch = [
                    Delivered(r.position, r, e)
                    for a in judged.accepted
                    for r, e in zip(a.recorded, a.request.events, strict=True)
                ]
                for projection in self.inline:
                    await projection.apply(conn, batch)
        except Exception as exc:
            raise _Redo from exc
        for a in judged.accepted:
            if a.request.idempotency is not None:
                a.request.idempotency.stored = a.answer
        return judged.outcomes

    async def _one_by_one(
        self, conn: asyncpg.Connection, requests: list[AppendRequest], head: Head
    ) -> Outcomes:
        """Each append's statements on their own; in a group, each in a savepoint.

        An append alone raises its error (its transaction is rolled back); in a group
        only its savepoint is rolled back and the error is its outcome.
        """
        alone = len(requests) == 1
        streams = list({r.key: r.stream_id for r in requests}.items())
        found, _, _ = await sql.read_facts(conn, [s for _, s in streams], [], [])
        versions = {key: v for (key, _), v in zip(streams, found, strict=True)}
        start = head
        outcomes: Outcomes = []
        savepoint = Savepoint(conn)
        for request in requests:
            try:
                version = versions.get(request.key, 0)
                if version != request.expected:  # as left by the earlier appends of the group
                    raise ConcurrencyError(request.stream_id, request.expected, version)
                recorded = self.recorder.record(
                    request.stream_id, version, head, request.events, request.metadata
                )
            except Exception as exc:  # noqa: BLE001 - this append's own failure
                if alone:
                    raise
                outcomes.append(exc)
                continue
            if alone:
                last = recorded[-1]
                await sql.insert_events(conn, self.log, recorded, (last.position, last.hash))
                await self._effects(conn, request, recorded)
                return [recorded]
            await savepoint.enter()
            try:
                await sql.insert_events(conn, self.log, recorded, None)
                await self._effects(conn, request, recorded)
            except Exception as exc:  # noqa: BLE001 - this append's own failure
                await savepoint.roll_back()
                if request.idempotency is not None:
                    request.idempotency.stored = None
                outcomes.append(exc)
                continue
            outcomes.append(recorded)
            head = (recorded[-1].position, recorded[-1].hash)
            versions[request.key] = version + len(recorded)
        if head != start:
            await sql.insert_events(conn, self.log, [], head)
        return outcomes

    async def _effects(
        self, conn: asyncpg.Connection, request: AppendRequest, recorded: list[RecordedEvent]
    ) -> None:
        """Inline projections, the idempotency record, the claims and snapshot of one append."""
        if self.inline:
            batch = [
                Delivered(r.position, r, e) for r, e in zip(recorded, request.events, strict=True)
            ]
            for projection in self.inline:
                await projection.apply(conn, batch)
        if request.idempotency is not None:
            await sql.remember_answer(conn, request.idempotency, recorded)
        await sql.release_claims(conn, [(c, request.stream_id) for c in request.releases])
        await sql.take_claims_of(conn, request.stream_id, request.claims)
        if request.snapshot is not None:
            await sql.keep_snapshots(conn, [(request.stream_id, request.snapshot)])


def _forget_answers(group: Group[AppendRequest]) -> None:
    for request in group:
        if request.idempotency is not None:
            request.idempotency.stored = None
