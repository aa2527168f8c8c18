"""``python -m dashboards``: runs the app on this machine only (127.0.0.1).

Extra arguments go to ``streamlit run``, e.g. ``python -m dashboards --server.port 8600``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli


def main() -> int:
    app = Path(__file__).with_name("app.py")
    sys.argv = ["streamlit", "run", str(app), "--server.address", "127.0.0.1", *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
