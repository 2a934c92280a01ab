"""The dashboard: slide through the days and see who held every place in Syria.

Run: streamlit run streamlit_app.py (Community Cloud's entry point). The page is dashboard/app.py; the logic is in geo/.
SYRIA_MAP_EVENTS and SYRIA_MAP_PLACES point the app at other data files (the tests use them).
"""

from dashboard import main

main()
