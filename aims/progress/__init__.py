"""Progress over time: baselines (frozen copies of a workspace's assessment), their comparison
with each other or with now, and trends of the headline figures."""
