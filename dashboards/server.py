"""The app as served: ``streamlit run dashboards/server.py`` (``make demo`` does it).

``dashboards/app.py`` is the Streamlit script; this wraps it in Streamlit's ASGI server
(``st.App``) with the routes that set and delete the session cookie
(``dashboards/session_routes.py``), so that a reload, a bookmark or a new tab keep the user
signed in. ``streamlit run dashboards/app.py`` still works, without that cookie.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.session_routes import ROUTES

app = st.App(Path(__file__).with_name("app.py"), routes=ROUTES)
