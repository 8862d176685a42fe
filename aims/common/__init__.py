"""Plain helpers every area shares: input validation (validate), fast conversions of query results
(frames), the house chart style (chart_style) and user text shown as typed (text). Imports
nothing of aims."""
