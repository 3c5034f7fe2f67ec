"""The shared fake vendor (sync_ai_models.demo.vendor_server) on 127.0.0.1, serving an OpenAI
list of chosen ids, for tests and benchmarks that run a real server process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sync_ai_models.demo.vendor_server import VendorState, vendor_app
from sync_ai_models.http.local_server import serve_in_thread
from tests.support.http_doubles import VENDOR_KEY, model_list


class LocalVendor:
    def __init__(self, state: VendorState, url: str) -> None:
        self.state = state
        self.base_url = f"{url}/openai"

    @property
    def model_ids(self) -> list[str]:
        return [entry["id"] for entry in self.state.lists.get("openai", [])]

    @model_ids.setter
    def model_ids(self, ids: list[str]) -> None:
        self.state.lists["openai"] = model_list(*ids)["data"]

    @property
    def requests(self) -> int:
        return self.state.listings["openai"]

    def env(self) -> dict[str, str]:
        return {
            "OPENAI_API_KEY": VENDOR_KEY,
            "OPENAI_BASE_URL": self.base_url,
            "SYNC_MODELS_DEV_URL": "off",  # tests never reach the network
        }


@contextmanager
def local_vendor(*model_ids: str) -> Iterator[LocalVendor]:
    state = VendorState(VENDOR_KEY)
    with serve_in_thread(vendor_app(state)) as url:
        vendor = LocalVendor(state, url)
        vendor.model_ids = list(model_ids)
        yield vendor
