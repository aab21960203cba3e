#!/usr/bin/env python3
"""Check a Sahabat audit bundle without Sahabat's code: Python's standard library,
`rfc8785` and `cryptography` only (pip install rfc8785 cryptography).

    python verify_bundle.py BUNDLE.zip [--keys KEYS.json]

--keys: the public keys registered with the centre ({"keys": [...]}), used
instead of the bundle's own keys.json. Exit status 0 when every check passes.

Checks (the formats are in DESIGN.md, "The hash chain" and "Signed checkpoints"):
 1. every file's SHA-256 equals manifest.json's; no file missing or unlisted
 2. per log, positions run 1, 2, 3 ... without gaps
 3. every hash: sha256(prevhash as 32 bytes || RFC 8785 JSON of
    {id, type, source, subject, time, position, aggregateversion, data}),
    prevhash of position 1 = 64 zeros
 4. every checkpoint's Ed25519 signature over the RFC 8785 JSON of
    {region, service, position, hash, signed_at, key_id}, by a key whose
    key_id is the first 16 hex digits of SHA-256 of its raw public key;
    a key after a log's first must be announced by a checkpoint signed with
    the key before it (CloudEvent attributes nextkeyid, nextpublickey,
    nextkeyvalidfrom, nextkeysignature)
 5. every checkpoint's hash equals the chain's at its position, so the last
    checkpoint of each log matches its chain
"""

import base64
import hashlib
import json
import sys
import zipfile

try:
    import rfc8785
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError as missing:
    sys.exit(f"{missing.name} is missing: pip install rfc8785 cryptography")

SIGNED = ["region", "service", "position", "hash", "signed_at", "key_id"]
BODY = ["id", "type", "source", "subject", "time", "position", "aggregateversion", "data"]
failures = []


def fail(file, log, position, problem):
    where = f"{file} [{log}]" if log else file
    if position is not None:
        where += f" position {position}"
    failures.append(f"FAIL {where}: {problem}")


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_by(public_key_b64, message, signature_b64):
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key_b64)).verify(
            unb64(signature_b64), message
        )
        return True
    except (InvalidSignature, ValueError):
        return False


def check_log(bundle, entry, keys):
    log, events_file = entry["log"], entry["events_file"]
    checkpoints_file = entry["checkpoints_file"]
    hashes, prevhash, position = {}, "0" * 64, 0
    for line in bundle.read(events_file).splitlines():
        position += 1
        event = json.loads(line)
        if event["position"] != position:
            return fail(
                events_file,
                log,
                position,
                f"position {position} expected, "
                f"found {event['position']} (an event removed or moved)",
            )
        if event["source"] != f"/pas/{entry['region']}/{entry['service']}":
            return fail(events_file, log, position, f"event of another log: {event['source']}")
        if event["prevhash"] != prevhash:
            return fail(events_file, log, position, "prevhash is not the previous event's hash")
        body = rfc8785.dumps({name: event[name] for name in BODY})
        if hashlib.sha256(bytes.fromhex(prevhash) + body).hexdigest() != event["hash"]:
            return fail(events_file, log, position, "hash does not match the event's content")
        prevhash = hashes[position] = event["hash"]
    if (entry["last_position"], entry["head_hash"]) != (position, prevhash):
        fail("manifest.json", log, position, "last position or head hash differs from the chain")

    own = sorted(
        (k for k in keys.values() if f"{k['region']}/{k['service']}" == log),
        key=lambda k: k["valid_from"],
    )
    trusted = {own[0]["key_id"]} if own else set()
    for line in bundle.read(checkpoints_file).splitlines():
        event = json.loads(line)
        data = event["data"]
        at = data["position"]
        name = f"checkpoint {event['id']} (key {data['key_id']}, signed {data['signed_at']})"
        key = keys.get(data["key_id"])
        if (
            key is None
            or f"{key['region']}/{key['service']}" != log
            or f"{data['region']}/{data['service']}" != log
        ):
            fail(checkpoints_file, log, at, f"{name}: no key of this log")
            continue
        message = rfc8785.dumps({name: data[name] for name in SIGNED})
        if not signed_by(key["public_key"], message, data["signature"]):
            fail(checkpoints_file, log, at, f"{name}: bad signature")
            continue
        if data["key_id"] not in trusted:
            fail(checkpoints_file, log, at, f"{name}: key not announced by the key before it")
            continue
        if "nextkeyid" in event:
            statement = rfc8785.dumps(
                {
                    "region": data["region"],
                    "service": data["service"],
                    "previous_key_id": data["key_id"],
                    "key_id": event["nextkeyid"],
                    "public_key": event["nextpublickey"],
                    "valid_from": event["nextkeyvalidfrom"],
                }
            )
            if signed_by(key["public_key"], statement, event.get("nextkeysignature", "")):
                trusted.add(event["nextkeyid"])
            else:
                fail(checkpoints_file, log, at, f"{name}: bad key rotation signature")
        if at > position:
            fail(
                events_file, log, at, f"{name} is beyond the log's end ({position}): events missing"
            )
        elif hashes.get(at) != data["hash"]:
            fail(events_file, log, at, f"history rewritten: the hash here differs from {name}")
    print(f"  {log}: {position} events checked")


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    bundle = zipfile.ZipFile(argv[0])
    manifest = json.loads(bundle.read("manifest.json"))
    names = set(bundle.namelist()) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        if name not in names:
            fail(name, None, None, "missing from the bundle")
        elif hashlib.sha256(bundle.read(name)).hexdigest() != digest:
            fail(name, None, None, "SHA-256 differs from manifest.json")
    for name in sorted(names - set(manifest["files"])):
        fail(name, None, None, "not listed in manifest.json")
    if argv[1:2] == ["--keys"]:
        with open(argv[2]) as given:
            keys_doc = json.load(given)
    else:
        keys_doc = json.loads(bundle.read("keys.json"))
    keys = {}
    for key in keys_doc["keys"]:
        if hashlib.sha256(unb64(key["public_key"])).hexdigest()[:16] != key["key_id"]:
            fail("keys.json", None, None, f"key_id {key['key_id']} is not its key's SHA-256")
        else:
            keys[key["key_id"]] = key
    for entry in manifest["logs"]:
        if entry["events_file"] in names and entry["checkpoints_file"] in names:
            check_log(bundle, entry, keys)
    print("\n".join(failures) if failures else "OK: every check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
