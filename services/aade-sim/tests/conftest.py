"""aade-sim test fixtures: a real uvicorn server in a thread and an invoice builder.

A real server (not ASGITransport) because the fault modes are about sockets: a client timing out
against a blackhole while /healthz keeps answering. One server per xdist worker; every test
starts from ``/_admin/reset`` and uses its own AA numbers, so tests never see each other's state.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from lxml import etree

from aade_sim.main import create_app
from aade_sim.settings import AadeSimSettings

USER, KEY = "test-provider", "test-key-1"
OTHER_USER, OTHER_KEY = "other-provider", "test-key-2"
AUTH = {"aade-user-id": USER, "ocp-apim-subscription-key": KEY}
NS = {
    "inv": "http://www.aade.gr/myDATA/invoice/v1.0",
    "icls": "https://www.aade.gr/myDATA/incomeClassificaton/v1.0",
}
SAMPLE = "mydata-samples/invoices/aade_1.1_taxes_per_line.xml"
PAGE_SIZE = 3


def shared_dir() -> Path:
    # Same rule as the service: EINV_SHARED_DIR, else ../shared from the repo root.
    return Path(os.environ.get("EINV_SHARED_DIR", "../shared"))


def athens_today() -> date:
    return datetime.now(ZoneInfo("Europe/Athens")).date()


class ThreadServer:
    def __init__(self, settings: AadeSimSettings) -> None:
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=0, log_level="warning",
            timeout_graceful_shutdown=1,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("aade-sim did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)


def sim_settings(**overrides: object) -> AadeSimSettings:
    values: dict[str, object] = {
        "environment": "test",
        "credentials": f"{USER}:{KEY},{OTHER_USER}:{OTHER_KEY}",
        "admin": True,
        "page_size": PAGE_SIZE,
        "hang_max_s": 20.0,
        "inline_validation_max_bytes": 6000,
        "shared_dir": str(shared_dir()),
    }
    values.update(overrides)
    return AadeSimSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def sim_app() -> Callable[..., FastAPI]:
    return lambda **overrides: create_app(sim_settings(**overrides))


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    server = ThreadServer(sim_settings())
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
async def client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as c:
        (await c.post("/_admin/reset")).raise_for_status()
        yield c
        await c.post("/_admin/reset")


_aa = itertools.count(int(time.time() * 1000) % 10**9 * 100 + os.getpid() % 100)


class InvoiceDoc:
    """The AADE 1.1 sample, dated today in Athens, with a fresh AA; edit it with lxml."""

    def __init__(self) -> None:
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
        self.root = etree.parse(str(shared_dir() / SAMPLE), parser).getroot()
        self.aa = str(next(_aa))
        self.set("inv:invoice/inv:invoiceHeader/inv:aa", self.aa)
        self.set("inv:invoice/inv:invoiceHeader/inv:issueDate", athens_today().isoformat())

    def find(self, path: str) -> etree._Element:
        el = self.root.find(path, NS)
        assert el is not None, path
        return el

    def set(self, path: str, value: str) -> InvoiceDoc:
        self.find(path).text = value
        return self

    def remove(self, path: str) -> InvoiceDoc:
        el = self.find(path)
        el.getparent().remove(el)
        return self

    def insert(self, parent: str, index: int, tag: str, value: str) -> InvoiceDoc:
        el = etree.Element(f"{{{NS['inv']}}}{tag}")
        el.text = value
        self.find(parent).insert(index, el)
        return self

    def body(self) -> bytes:
        return bytes(etree.tostring(self.root, xml_declaration=True, encoding="UTF-8"))


@pytest.fixture
def invoice() -> Callable[[], InvoiceDoc]:
    return InvoiceDoc


Result = dict[str, object]


def parse_response(body: bytes) -> list[Result]:
    """ResponseDoc → one dict per response: child tag → text, plus ``errors`` [(code, message)]
    and ``order`` (the child tags in document order)."""
    results = []
    for response in etree.fromstring(body).iterfind("response"):
        out: Result = {"order": [child.tag for child in response]}
        for child in response:
            out[child.tag] = child.text
        out["errors"] = [
            (int(e.findtext("code") or 0), e.findtext("message") or "")
            for e in response.iterfind("errors/error")
        ]
        results.append(out)
    return results


@pytest.fixture
def responses() -> Callable[[bytes], list[Result]]:
    return parse_response


@pytest.fixture
def auth() -> dict[str, str]:
    return dict(AUTH)


@pytest.fixture
def other_auth() -> dict[str, str]:
    return {"aade-user-id": OTHER_USER, "ocp-apim-subscription-key": OTHER_KEY}


Send = Callable[[InvoiceDoc], Awaitable[Result]]


@pytest.fixture
def send(client: httpx.AsyncClient) -> Send:
    async def post(doc: InvoiceDoc) -> Result:
        r = await client.post("/myDataProvider/SendInvoices", content=doc.body(), headers=AUTH)
        assert r.status_code == 200, r.text
        [result] = parse_response(r.content)
        return result

    return post
