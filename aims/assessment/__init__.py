"""Gap analysis and the Statement of Applicability: one rating per workspace x requirement
(requirements), the readiness rules (scoring), SoA rows (soa) and readiness charts (charts).
Imports store, catalog, common."""
