"""Figures and tables for the pages: Plotly figure dicts, the indicator table, filters, CSV/XLSX writers."""
