"""Governance records: AI policy, roles and RACI, training, documented information, evidence
requests, the catalogue content behind them, and the governance summary. Imports assessment,
store, catalog, common."""
