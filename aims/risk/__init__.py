"""AI risks: the register, scoring rules and criteria, the risk library, proposals from impact
assessments (intake), the SoA trace, heatmaps and the demo risks. Imports ai_systems,
assessment, store, catalog, common."""
