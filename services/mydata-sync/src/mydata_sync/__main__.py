"""``python -m mydata_sync``: serve the API with uvicorn."""

from __future__ import annotations

import uvicorn

from kit.logs import configure_logging
from mydata_sync.main import SERVICE, create_app
from mydata_sync.settings import MydataSyncSettings


def main() -> None:
    settings = MydataSyncSettings()
    configure_logging(SERVICE, settings.log_level)
    # log_config=None keeps our JSON logging instead of uvicorn's own handlers.
    uvicorn.run(create_app(settings), host=settings.bind_host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
