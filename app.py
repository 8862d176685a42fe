"""AIMS Workbench entry point. Start with `streamlit run app.py`.

The database is AIMS_DB (a file path, default data/aims.duckdb); on an empty database a demo
client workspace is created. The frame (page config, navigation, workspace picker) is drawn by
aims.ui.chrome; the screens are the scripts in pages/.
"""
from aims.ui import chrome

chrome.entry()
