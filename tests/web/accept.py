"""Accept headers the web tests send, as real clients send them."""

from __future__ import annotations

from typing import Final

#: What Chromium and Firefox send for a page.
BROWSER: Final = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
