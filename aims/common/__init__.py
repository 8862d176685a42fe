"""Plain helpers every area shares: input validation (validate), fast conversions of query results
(frames) and the house chart style (chart_style). Imports nothing of aims."""
