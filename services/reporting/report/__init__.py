"""The evaluation report: its figures from the projections, and its renderings."""
