"""The audit cycle (ISO/IEC 42001 9.2, 9.3, 10.2 and the certification audits): the internal audit
programme and checklists, the findings register with nonconformities and corrective action,
management reviews, certification audits and evidence files. Imports governance, roadmap, risk,
assessment, catalog, store, access and common."""
