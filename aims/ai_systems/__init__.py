"""AI systems: the inventory, the EU AI Act classification and impact assessments. Imports store,
catalog, common."""
