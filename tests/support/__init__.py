"""What the tests share, and the benchmarks too (which may import it; the tests never import benchmarks/):
the test data's files (data.py), headless Chromium (chromium.py), a started Streamlit server (streamlit_server.py),
viewers checked against the engine (viewers.py), and the round-trip baseline's map (roundtrip/)."""
