"""Settings of the load bench (``bench/submit_load.py``, issue 7): production settings plus the
bench's bare-insert app, its URLconf and a query counter that acts only on requests asking
for it. Nothing else changes — middleware, database options, cache, templates and the flood
limits are the product's.

The flood limits (SEC-5, ``portal/flood.py``) count filings per client address. The bench does
NOT lift them: it runs the server with ``LIANXIN_TRUSTED_PROXY_HEADER=X-Forwarded-For`` (as
behind the production nginx) and gives each simulated citizen his own address, at most a few
filings each, so the limits are checked on every submission exactly as in production.
"""

from lianxin.settings import *  # noqa: F403
from lianxin.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench.load.apps.BenchLoadConfig"]
MIDDLEWARE = ["bench.load.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.load.urls"
