"""The round-trip dashboard's map, the benchmark's baseline (benchmarks/roundtrip_app.py, roundtrip_map_component.py):
its day layers of places and zones, their compact wire form and its folium base map. Kept for the baseline and its
tests (test_place_layer.py, test_zone_layer.py, test_wire.py, test_render.py); the dashboard no longer uses it."""
