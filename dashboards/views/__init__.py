"""The app's pages, run by ``st.navigation``: they render what ``dashboards.queries`` return."""
