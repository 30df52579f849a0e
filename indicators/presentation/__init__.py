"""Figures and tables for the pages: Plotly figure dicts, django-tables2 tables, filters, CSV/XLSX writers."""
