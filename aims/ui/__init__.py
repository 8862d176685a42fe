"""The Streamlit layer the pages share: page chrome (frame, connection, workspace picker,
navigation, cached reads), editable tables, the panels of each area and the benchmark that
drives the app. The only part of aims that imports streamlit."""
