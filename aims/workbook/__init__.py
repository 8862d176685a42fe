"""The Excel engagement workbook: export everything, import the client's edits back.

    export.build(con, workspace_id) -> bytes             the whole workbook (.xlsx)
    soa.standalone(export.context(con, ws_id)) -> bytes  the Statement of Applicability on its own
    importer.plan(con, workspace_id, data) -> Plan       validate and preview (writes nothing)
    importer.apply(con, workspace_id, data, delete=...)  back up, then apply all-or-nothing
        (a workbook of another workspace raises importer.OtherWorkspace unless allow_other_workspace=True)
    package.check(data, max_unpacked) -> Package         the zip and XML prologs, before openpyxl reads them
    problems.first(problems) -> list[str]                the first hundred, then '... and N more problems'
    csv.to_csv(frame) -> bytes                           any table as CSV, formula-injection safe
    csv.systems(data) -> (rows, problems)                an uploaded AI system CSV, read or plainly refused

One module per sheet (cover, summary, gap_analysis, soa, ..., lists), registered in
registry.MODULES; engine.py holds what they share (columns, safe cells, styles, drop-downs).
"""
