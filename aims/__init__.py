"""AIMS Workbench: an ISO/IEC 42001 readiness workbench.

Areas, each a package; dependencies point one way, from the bottom up (a package imports only
packages listed before it):

    common      validation, fast frame conversions, the house chart style
    store       connections, migrations, transactions, change log, workspaces, backup
    catalog     the ISO/IEC 42001 catalogue and reference data, validated at load
    assessment  gap analysis ratings, scoring, Statement of Applicability, readiness charts
    ai_systems  inventory, EU AI Act classification, impact assessments
    risk        risk register, scoring, library, proposals, SoA trace, heatmaps
    roadmap     phases, actions, generation from gaps and risks, forecast, charts
    governance  AI policy, roles and RACI, training, documented information, evidence requests
    reports     figures that span areas (the overview)
    workbook    the Excel engagement workbook (export and import) and CSV files
    demo        the demo client and the synthetic benchmark data
    ui          the Streamlit layer the pages share: the only part of aims that imports streamlit
    cli         python -m aims ...
"""
__version__ = "0.1.0"
