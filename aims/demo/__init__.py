"""Demo data: the fictional client Northwind Lending (client) and the seeded synthetic
consultancy-scale database of the benchmark (bench). Writes only through the areas' public
functions."""
