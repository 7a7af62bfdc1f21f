"""Checks the Q Connect emulator and our ListSpans command against botocore.

Reads one JSON job from the file named by argv[1] and prints one JSON result:

  {"endpoint", "region", "accessKeyId", "secretAccessKey",
   "serialize": [{"op", "params"}],            # botocore's own request serializer, no network
   "calls": [{"op", "params", "credentials"?}]}  # boto3 client against the emulator

For every call botocore parses the emulator's answer with its REST-JSON parser
for that operation (errors included), and the raw body is also checked
strictly against the operation's output (or error) shape from botocore's
qconnect service model: unknown members, wrong types, missing required
members, enum values, unions and string patterns are reported as `problems`.
botocore itself ignores unknown members, so without that check a misspelt
field would pass unnoticed.
"""
import base64
import datetime
import json
import re
import sys

import boto3
import botocore
import botocore.session
from botocore.awsrequest import prepare_request_dict
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.serialize import create_serializer


def check(shape, value, where, problems):
    """Strict structural check of a JSON value against a botocore shape."""
    t = shape.type_name
    if shape.metadata.get("document"):
        return  # any JSON
    if value is None:
        problems.append(f"{where}: null is not a {t}")
        return
    if t == "structure":
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object ({shape.name}), got {type(value).__name__}")
            return
        members = {(m.serialization.get("name") or name): (name, m) for name, m in shape.members.items()}
        for key in value:
            if key not in members:
                problems.append(f"{where}.{key}: not a member of {shape.name}")
        for name in shape.required_members:
            wire = shape.members[name].serialization.get("name") or name
            if wire not in value:
                problems.append(f"{where}.{wire}: required by {shape.name} but missing")
        if shape.is_tagged_union:
            present = [k for k in value if k in members]
            if len(present) != 1:
                problems.append(f"{where}: union {shape.name} must set exactly one member, got {present}")
        for key, v in value.items():
            if key in members:
                check(members[key][1], v, f"{where}.{key}", problems)
    elif t == "list":
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list ({shape.name})")
            return
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and len(value) < lo or hi is not None and len(value) > hi:
            problems.append(f"{where}: {len(value)} items outside [{lo}, {hi}] of {shape.name}")
        for i, v in enumerate(value):
            check(shape.member, v, f"{where}[{i}]", problems)
    elif t == "map":
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a map ({shape.name})")
            return
        for k, v in value.items():
            check(shape.key, k, f"{where}<key {k}>", problems)
            check(shape.value, v, f"{where}.{k}", problems)
    elif t == "string":
        if not isinstance(value, str):
            problems.append(f"{where}: expected a string ({shape.name}), got {type(value).__name__}")
            return
        if shape.enum and value not in shape.enum:
            problems.append(f"{where}: {value!r} is not one of {shape.name} {shape.enum}")
        pattern = shape.metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, value, re.S):
            problems.append(f"{where}: {value!r} does not match {shape.name} pattern {pattern}")
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and len(value) < lo or hi is not None and len(value) > hi:
            problems.append(f"{where}: length {len(value)} outside [{lo}, {hi}] of {shape.name}")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{where}: expected an integer ({shape.name}), got {value!r}")
    elif t in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{where}: expected a number ({shape.name}), got {value!r}")
    elif t == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{where}: expected a boolean ({shape.name}), got {value!r}")
    elif t == "timestamp":
        # restJson1 timestamps in a body are epoch seconds unless the shape says otherwise.
        fmt = shape.serialization.get("timestampFormat")
        if fmt in (None, "unixTimestamp"):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                problems.append(f"{where}: timestamp must be epoch seconds, got {value!r}")
        elif not isinstance(value, str):
            problems.append(f"{where}: timestamp must be a {fmt} string, got {value!r}")
    elif t == "blob":
        if not isinstance(value, str):
            problems.append(f"{where}: blob must be base64 text")
    # document: any JSON


def plain(value):
    """botocore's parsed output → JSON (datetimes as ISO, bytes as base64)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    session = botocore.session.get_session()
    model = session.get_service_model("qconnect")
    out = {"botocore": botocore.__version__, "boto3": boto3.__version__, "serialized": [], "calls": []}

    serializer = create_serializer("rest-json", include_validation=True)
    for item in job.get("serialize", []):
        req = serializer.serialize_to_request(item["params"], model.operation_model(item["op"]))
        prepare_request_dict(req, endpoint_url="https://wisdom.us-east-1.amazonaws.com")
        out["serialized"].append({"op": item["op"], "method": req["method"], "urlPath": req["url_path"], "url": req["url"], "query": req["query_string"]})

    raw = {}

    def capture(operation_model, response_dict, **_):
        raw["status"] = response_dict["status_code"]
        raw["headers"] = dict(response_dict["headers"])
        raw["body"] = response_dict["body"]

    for item in job.get("calls", []):
        creds = item.get("credentials") or {"accessKeyId": job["accessKeyId"], "secretAccessKey": job["secretAccessKey"]}
        client = boto3.client(
            "qconnect",
            endpoint_url=job["endpoint"],
            region_name=job["region"],
            aws_access_key_id=creds["accessKeyId"],
            aws_secret_access_key=creds["secretAccessKey"],
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        )
        client.meta.events.register("before-parse.qconnect.*", capture)
        method = getattr(client, botocore.xform_name(item["op"]))
        op_model = model.operation_model(item["op"])
        result = {"op": item["op"], "problems": []}
        raw.clear()
        try:
            parsed = method(**item["params"])
            result["ok"] = True
            result["parsed"] = plain(parsed)
            result["httpStatus"] = parsed["ResponseMetadata"]["HTTPStatusCode"]
            body = json.loads(raw["body"] or b"{}")
            if op_model.output_shape is not None:
                check(op_model.output_shape, body, item["op"] + "Response", result["problems"])
        except ClientError as e:
            err = e.response["Error"]
            result["ok"] = False
            result["error"] = {"code": err.get("Code"), "message": err.get("Message")}
            result["httpStatus"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
            result["modeled"] = [s.name for s in op_model.error_shapes]
            body = json.loads(raw.get("body") or b"{}")
            shape = next((s for s in op_model.error_shapes if s.name == err.get("Code")), None)
            if shape is None and err.get("Code") in model.shape_names:
                shape = model.shape_for(err.get("Code"))  # a service error this operation does not list
            if shape is not None:
                check(shape, body, err.get("Code"), result["problems"])
                declared = shape.metadata.get("error", {}).get("httpStatusCode")
                if declared is not None and declared != result["httpStatus"]:
                    result["problems"].append(f"{shape.name}: HTTP {result['httpStatus']}, the model says {declared}")
            elif not isinstance(body, dict) or not isinstance(body.get("message", body.get("Message")), str):
                result["problems"].append(f"{err.get('Code')}: error body has no message")
        out["calls"].append(result)
        client.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
