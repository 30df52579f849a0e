"""Figures and tables for the pages: Plotly figure dicts, the indicator table (a plain builder), the
review queue (a django-tables2 table, review_tables.py), filters, CSV/XLSX writers."""
