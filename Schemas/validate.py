#!/usr/bin/env python3
"""Validate JSON instances against the Shixiang schemas, or check the schemas themselves.

Usage:
  validate.py --self-check
  validate.py [--pointer JSON_POINTER] SCHEMA INSTANCE

SCHEMA    a schema file (a path, or a path relative to this directory such as
          methods/events.read.result.schema.json) or a schema's $id.
INSTANCE  a file, or - for stdin. Either one JSON document (may span lines), or
          JSON lines (one document per non-blank line).
--pointer an RFC 6901 JSON pointer (e.g. /result, /params/event) applied to every
          instance before validation; use it to check a response's result
          against a method's result schema.

Every failure is printed to stdout on one line:
  instance <index>: <JSON path>: <message>
where <index> counts documents from 0 (for JSON lines: the non-blank line number
from 0) and the path points into the whole document. A summary goes to stderr.

Exit status: 0 all valid (or self-check passed); 1 some instance invalid (or
self-check failed); 2 usage error, unreadable file, unknown schema.

Requires Python 3.8+ and jsonschema >= 4.18 (with `referencing`).
"""
import json
import os
import re
import sys
from pathlib import Path

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
    from referencing.exceptions import Unresolvable
except ImportError as error:  # pragma: no cover
    print(f"validate.py: needs jsonschema >= 4.18 with referencing ({error}); pip install 'jsonschema>=4.18'",
          file=sys.stderr)
    sys.exit(2)

HERE = Path(__file__).resolve().parent
BASE_ID = "https://shixiang.example/schemas/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
REPO = HERE.parent


def fail_usage(message):
    print(f"validate.py: {message}", file=sys.stderr)
    sys.exit(2)


def schema_files():
    return sorted(p for p in HERE.rglob("*.schema.json") if p.is_file())


def load_schemas():
    """Returns ({$id: schema}, {$id: path}, [problems]) for every *.schema.json here."""
    schemas, paths, problems = {}, {}, []
    for path in schema_files():
        rel = path.relative_to(HERE).as_posix()
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as error:
            problems.append(f"{rel}: not readable JSON: {error}")
            continue
        if not isinstance(doc, dict):
            problems.append(f"{rel}: a schema file must hold an object")
            continue
        sid = doc.get("$id")
        if sid != BASE_ID + rel:
            problems.append(f"{rel}: $id is {sid!r}, expected {BASE_ID + rel!r}")
        if sid in schemas:
            problems.append(f"{rel}: $id {sid!r} already used by {paths[sid]}")
            continue
        if sid is None:
            continue
        schemas[sid] = doc
        paths[sid] = rel
    return schemas, paths, problems


def make_registry(schemas):
    return Registry().with_resources(
        (sid, Resource.from_contents(doc, default_specification=DRAFT202012)) for sid, doc in schemas.items())


def validator_for(schema, registry):
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def json_path(parts):
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
            out += "." + part
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


def short(value, limit=80):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain(error):
    """The failures behind `error` as [(absolute instance path, message, the error reported)].

    For anyOf/oneOf, alternatives rejected only because the instance has another JSON type (the null side
    of a nullable field, the batch side of a single request) are set aside, and the most specific
    remaining alternative is explained; when no alternative gets further than the value itself, the
    alternatives are summarized on one line."""
    if not error.context:
        message = error.message
        if error.validator == "contains":
            message = f"has no item matching {short(error.validator_value, 160)}"
        elif error.validator == "not":
            message = f"must not match {short(error.validator_value, 160)}"
        return [(list(error.absolute_path), message, error)]
    branches = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else 0, []).append(sub)
    here = len(error.absolute_path)
    explained = []
    for key in sorted(branches, key=lambda k: (not isinstance(k, int), k if isinstance(k, int) else 0, str(k))):
        subs = branches[key]
        leaves = [leaf for sub in subs for leaf in explain(sub)]
        type_only = all(sub.validator == "type" and not sub.context and len(sub.absolute_path) == here
                        for sub in subs)
        explained.append((type_only, subs, leaves))
    kept = [b for b in explained if not b[0]] or explained
    if len(kept) == 1:
        return kept[0][2]
    depth = lambda b: max(len(path) for path, _, _ in b[2])
    deepest = max(depth(b) for b in kept)
    if deepest > here:
        return next(b for b in kept if depth(b) == deepest)[2]
    subs = [sub for b in kept for sub in b[1]]
    if all(sub.validator == "const" and not sub.context for sub in subs):
        allowed = ", ".join(json.dumps(sub.validator_value, ensure_ascii=False) for sub in subs)
        return [(list(error.absolute_path), f"{short(error.instance)} is not one of the allowed values ({allowed})", error)]
    reasons = "; ".join(dict.fromkeys(message for b in kept for _, message, _ in b[2][:1]))
    return [(list(error.absolute_path), f"{short(error.instance)} matches none of the alternatives: {reasons}", error)]


def errors_for(validator, instance, prefix):
    lines = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        for path, message, source in explain(error):
            where = "/".join(str(p) for p in source.absolute_schema_path)
            message = message.replace("\n", " ")
            if len(message) > 400:
                message = message[:399] + "…"
            lines.append((json_path(prefix + path), f"{message} (schema: #/{where})"))
    return lines


# ------------------------------------------------------------------ self-check

def walk_refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.append(ref)
        for key, value in node.items():
            if key in ("const", "enum", "examples", "default"):
                continue
            walk_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            walk_refs(value, found)


def swift_sources():
    """The repository's Swift sources, when this directory sits in the repository."""
    sources = REPO / "Sources"
    return sources if sources.is_dir() else None


def self_check():
    schemas, paths, problems = load_schemas()
    registry = make_registry(schemas)

    for sid, doc in schemas.items():
        rel = paths[sid]
        if doc.get("$schema") != DRAFT:
            problems.append(f"{rel}: $schema must be {DRAFT}")
        for key in ("title", "description"):
            if not isinstance(doc.get(key), str) or not doc[key].strip():
                problems.append(f"{rel}: missing {key}")
        try:
            Draft202012Validator.check_schema(doc)
        except jsonschema.SchemaError as error:
            problems.append(f"{rel}: not a valid 2020-12 schema: {error.message} at {json_path(error.absolute_path)}")
            continue
        refs = []
        walk_refs(doc, refs)
        resolver = registry.resolver(base_uri=sid)
        unresolved = False
        for ref in refs:
            try:
                resolver.lookup(ref)
            except Unresolvable as error:
                unresolved = True
                problems.append(f"{rel}: $ref {ref!r} does not resolve ({error})")
        # Examples embedded in a schema must satisfy it.
        validator = validator_for(doc, registry)
        for i, example in enumerate(doc.get("examples", [])):
            try:
                for where, message in errors_for(validator, example, []):
                    problems.append(f"{rel}: examples[{i}]: {where}: {message}")
            except Unresolvable as error:
                if not unresolved:
                    problems.append(f"{rel}: examples[{i}]: a $ref does not resolve ({error})")
                break

    # Every method has both schemas.
    methods_dir = HERE / "methods"
    params = {p.name[: -len(".params.schema.json")] for p in methods_dir.glob("*.params.schema.json")}
    results = {p.name[: -len(".result.schema.json")] for p in methods_dir.glob("*.result.schema.json")}
    for name in sorted(params ^ results):
        problems.append(f"methods/{name}: needs both {name}.params.schema.json and {name}.result.schema.json")

    # Event payload schemas: strict objects, as the README requires.
    events_dir = HERE / "events"
    event_schemas = {p.name[: -len(".schema.json")] for p in events_dir.glob("*.schema.json")}
    for name in sorted(event_schemas):
        doc = schemas.get(BASE_ID + f"events/{name}.schema.json", {})
        if doc.get("type") != "object" or doc.get("additionalProperties") is not False:
            problems.append(f"events/{name}.schema.json: an event's data schema must be `type: object` with `additionalProperties: false`")

    # The error code list and the response schema agree.
    codes_path = HERE / "rpc" / "error-codes.json"
    listed = {}
    try:
        with open(codes_path, encoding="utf-8") as f:
            listed = {c["code"]: c["name"] for c in json.load(f)["codes"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        problems.append(f"rpc/error-codes.json: unreadable: {error}")
    response = schemas.get(BASE_ID + "rpc/response.schema.json", {})
    in_schema = {c["const"]: c.get("title") for c in response.get("$defs", {}).get("code", {}).get("oneOf", [])}
    if listed and in_schema != listed:
        problems.append(f"rpc/response.schema.json $defs/code and rpc/error-codes.json disagree: "
                        f"{sorted(set(in_schema.items()) ^ set(listed.items()))}")

    # Against the Swift source, when available: every code, method and notification has its entry here.
    sources = swift_sources()
    if sources is not None:
        text = {p: p.read_text(encoding="utf-8", errors="replace") for p in sources.rglob("*.swift")}
        rpc_error = sources / "ShixiangRPC" / "RPCError.swift"
        if rpc_error in text:
            swift_codes = {int(v): n for n, v in
                           re.findall(r"public static let (\w+)\s*=\s*(-?\d+)", text[rpc_error])}
            if listed and swift_codes != listed:
                problems.append("rpc/error-codes.json disagrees with RPCErrorCode in "
                                f"Sources/ShixiangRPC/RPCError.swift: "
                                f"{sorted(set(swift_codes.items()) ^ set(listed.items()))}")
            try:
                with open(codes_path, encoding="utf-8") as f:
                    for entry in json.load(f)["codes"]:
                        used = any(re.search(r"RPCErrorCode\." + re.escape(entry["name"]) + r"\b", body)
                                   for path, body in text.items() if path != rpc_error)
                        if used != entry.get("emitted"):
                            problems.append(f"rpc/error-codes.json: {entry['name']} has emitted={entry.get('emitted')}"
                                            f" but the sources say {used}")
            except (OSError, ValueError, KeyError, TypeError):
                pass
        served = set()
        notified = set()
        for body in text.values():
            served |= set(re.findall(r'\.register\(\s*"([^"]+)"', body))
            if "registerListing()" in body and 'register("system.methods"' in body:
                served.add("system.methods")
            notified |= set(re.findall(r'notification\(\s*method:\s*"([^"]+)"', body))
            notified |= set(re.findall(r'\bnotify\(\s*"([^"]+)"', body))
        for name in sorted(served - params):
            problems.append(f"method {name} is served by the daemon but has no methods/{name}.*.schema.json")
        for name in sorted(params - served):
            problems.append(f"methods/{name}.*.schema.json exist but no source registers {name}")
        event_type_file = sources / "Registry" / "EventType.swift"
        if event_type_file in text:
            event_types = set(re.findall(r'public static let \w+\s*=\s*"([^"]+)"', text[event_type_file]))
            for name in sorted(event_types - event_schemas):
                problems.append(f"event type {name} (Sources/Registry/EventType.swift) has no events/{name}.schema.json")
            for name in sorted(event_schemas - event_types):
                problems.append(f"events/{name}.schema.json exists but Sources/Registry/EventType.swift has no such type")
        for name in sorted(notified):
            if not (HERE / "notifications" / f"{name}.schema.json").is_file():
                problems.append(f"notification {name} is sent by the daemon but has no notifications/{name}.schema.json")

    for problem in problems:
        print(problem)
    if problems:
        print(f"self-check: {len(problems)} problem(s) in {len(schemas)} schema(s)", file=sys.stderr)
        return 1
    extra = "" if sources is not None else " (Swift sources not found: skipped the source cross-checks)"
    print(f"self-check: {len(schemas)} schema(s) OK{extra}", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ instances

def read_instances(source):
    """Returns [(index, document or None, parse error or None)]."""
    try:
        if source == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(source, "rb") as f:
                text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail_usage(f"cannot read {source}: {error}")
    try:
        return [(0, json.loads(text), None)]
    except ValueError:
        pass
    out = []
    index = 0
    # Split on \n only: str.splitlines() would also split on U+2028/U+2029, which the daemon writes raw.
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            out.append((index, json.loads(line), None))
        except ValueError as error:
            out.append((index, None, f"not valid JSON ({error})"))
        index += 1
    if not out:
        fail_usage(f"{source}: no JSON document found")
    return out


def parse_pointer(pointer):
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        fail_usage(f"--pointer must be empty or start with /: {pointer!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def follow(document, tokens):
    """Returns (value, path parts) or raises LookupError."""
    value, parts = document, []
    for token in tokens:
        if isinstance(value, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", token) or int(token) >= len(value):
                raise LookupError(token)
            value = value[int(token)]
            parts.append(int(token))
        elif isinstance(value, dict) and token in value:
            value = value[token]
            parts.append(token)
        else:
            raise LookupError(token)
    return value, parts


def find_schema(name, schemas, paths):
    if name in schemas:
        return name
    candidates = [Path(name)]
    if not Path(name).is_absolute():
        candidates.append(HERE / name)
    for candidate in candidates:
        if candidate.is_file():
            resolved = candidate.resolve()
            for sid, rel in paths.items():
                if (HERE / rel).resolve() == resolved:
                    return sid
            fail_usage(f"{name} is not one of the schemas under {HERE}")
    fail_usage(f"unknown schema {name!r} (give a path such as methods/system.ping.result.schema.json or an $id)")


def validate(schema_name, source, pointer):
    schemas, paths, problems = load_schemas()
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        fail_usage("the schema directory has problems; run validate.py --self-check")
    sid = find_schema(schema_name, schemas, paths)
    registry = make_registry(schemas)
    validator = validator_for(schemas[sid], registry)
    tokens = parse_pointer(pointer) if pointer is not None else []

    instances = read_instances(source)
    invalid = 0
    for index, document, parse_error in instances:
        lines = []
        if parse_error is not None:
            lines.append(("$", parse_error))
        else:
            try:
                value, prefix = follow(document, tokens)
            except LookupError:
                lines.append(("$", f"no value at JSON pointer {pointer!r}"))
            else:
                try:
                    lines.extend(errors_for(validator, value, prefix))
                except Unresolvable as error:
                    fail_usage(f"{paths[sid]}: a $ref does not resolve ({error}); run validate.py --self-check")
        for where, message in lines:
            print(f"instance {index}: {where}: {message}")
        if lines:
            invalid += 1
    total = len(instances)
    target = paths[sid] + (f" at {pointer}" if pointer else "")
    if invalid:
        print(f"validate.py: {invalid} of {total} instance(s) invalid against {target}", file=sys.stderr)
        return 1
    print(f"validate.py: {total} instance(s) valid against {target}", file=sys.stderr)
    return 0


def main(argv):
    if argv in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    if argv == ["--self-check"]:
        return self_check()
    pointer = None
    args = list(argv)
    if len(args) >= 2 and args[0] == "--pointer":
        pointer = args[1]
        args = args[2:]
    elif args and args[0].startswith("--pointer="):
        pointer = args[0][len("--pointer="):]
        args = args[1:]
    if len(args) != 2 or args[0].startswith("--"):
        fail_usage("usage: validate.py --self-check | validate.py [--pointer JSON_POINTER] SCHEMA INSTANCE|-")
    return validate(args[0], args[1], pointer)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
