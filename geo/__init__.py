"""Syria territorial control map: data model, loader, timeline engine and renderers.

This package never imports streamlit: the dashboard (streamlit_app.py) is a thin layer on top.
"""
