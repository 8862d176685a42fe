"""The Excel engagement workbook: export everything, import the client's edits back.

    export.build(con, workspace_id) -> bytes             the whole workbook (.xlsx)
    soa.standalone(export.context(con, ws_id)) -> bytes  the Statement of Applicability on its own
    importer.plan(con, workspace_id, data) -> Plan       validate and preview (writes nothing)
    importer.apply(con, workspace_id, data, delete=...)  back up, then apply all-or-nothing
    csv.to_csv(frame) -> bytes                           any table as CSV, formula-injection safe

One module per sheet (cover, summary, gap_analysis, soa, ..., lists), registered in
registry.MODULES; engine.py holds what they share (columns, safe cells, styles, drop-downs).
"""
