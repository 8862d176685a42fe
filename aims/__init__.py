"""AIMS Workbench domain package: storage, catalogue, scoring, rules, Excel and chart builders.

Nothing here imports streamlit; pages call these functions and render the results.
"""
__version__ = "0.1.0"
