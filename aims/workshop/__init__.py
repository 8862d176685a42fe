"""Workshop mode: client workshop sessions, their agenda, capture, parking lot and minutes."""
