"""The implementation roadmap: phases and the effort scale, actions, generation from gaps and risk
treatments, the forecast, and charts. Imports risk, assessment, store, catalog, common."""
