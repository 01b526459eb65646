"""Many API sessions from one thread (asyncio and httpx), for the benches that time the server under
a crowd. Each call makes the requests any Gradio client makes: the picture posted to the upload
route, the event joined (`/gradio_api/call/<api>`, with the session's hash, so its state is kept),
its result read from the event's stream. What gradio_client adds on the caller's side (threads and
a stream per call) stays out of the figures; on a 2-core machine where clients and server share
the cores, it would otherwise be most of them.

    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        inputs = await inputs_of(http)
        session = Session(http, inputs)
        answer = await session.call("predict", await session.upload(picture))
"""

import json
import secrets
from pathlib import Path

import httpx


class CallError(Exception):
    """The app refused the call: its one-line message (Gradio's error event), or what went wrong."""


async def inputs_of(http: httpx.AsyncClient) -> dict[str, int]:
    """How many inputs each endpoint of the app takes (states included), by its API name."""
    config = (await http.get("config")).json()
    return {d["api_name"]: len(d["inputs"]) for d in config["dependencies"] if d.get("api_name")}


class Session:
    """One visitor's session: its hash names it to the server (its gr.State, its visitor)."""

    def __init__(self, http: httpx.AsyncClient, inputs: dict[str, int]):
        self.http, self.inputs, self.hash = http, inputs, secrets.token_hex(8)

    async def upload(self, path: Path) -> dict:
        """Post the file to Gradio's upload route: the value an input of a file takes."""
        path = Path(path)
        response = await self.http.post("gradio_api/upload", files={"files": (path.name, path.read_bytes())})
        if response.status_code != 200:
            raise CallError(f"upload refused: {response.status_code} {response.text[:120]}")
        return {"path": response.json()[0], "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}

    async def call(self, api_name: str, *data) -> list:
        """Call `api_name` with the endpoint's first inputs `data` (the others empty, as the
        session's state fills them): its outputs."""
        data = [*data, *[None] * (self.inputs[api_name] - len(data))]
        joined = await self.http.post(f"gradio_api/call/{api_name}", json={"data": data, "session_hash": self.hash})
        if joined.status_code != 200:
            raise CallError(f"{api_name}: {joined.status_code} {joined.text[:120]}")
        event, result = None, None
        async with self.http.stream("GET", f"gradio_api/call/{api_name}/{joined.json()['event_id']}") as stream:
            async for line in stream.aiter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    result = json.loads(line.split(":", 1)[1])
                    break
        if event != "complete":
            raise CallError(f"{api_name}: {result or event}")
        return result

    async def page_event(self, fn_index: int, *data) -> list:
        """Run one of the page's own events (an api_name=False one, as the page joins it: by its index
        in the config's dependencies, with every input's value): its outputs."""
        joined = await self.http.post("gradio_api/queue/join", json={
            "data": list(data), "fn_index": fn_index, "session_hash": self.hash, "event_data": None})
        if joined.status_code != 200:
            raise CallError(f"event {fn_index}: {joined.status_code} {joined.text[:120]}")
        async with self.http.stream("GET", "gradio_api/queue/data", params={"session_hash": self.hash}) as stream:
            async for line in stream.aiter_lines():
                message = json.loads(line[5:]) if line.startswith("data:") else {}
                if message.get("msg") == "process_completed" and message.get("event_id") == joined.json()["event_id"]:
                    if not message.get("success"):
                        raise CallError(f"event {fn_index}: {(message.get('output') or {}).get('error')}")
                    return message["output"]["data"]
        raise CallError(f"event {fn_index}: its stream ended without a result")
